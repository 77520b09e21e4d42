"""The browser watch must be able to fail, and the site's own assets must load under its CSP.

Every other browser test relies on the `page` fixture reporting console errors, page errors,
failed requests and CSP violations; these tests provoke each one and check it is caught.
"""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_inline_script_is_blocked_and_reported(page: Page, watch) -> None:
    page.goto("/errors/1007/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true;";
          document.body.append(script);
        }"""
    )
    page.wait_for_function("window.__csp.length > 0")

    assert page.evaluate("window.__inlineRan") is None, "the CSP let an inline script run"
    assert [v["directive"] for v in page.evaluate("window.__csp")] == ["script-src-elem"]
    with pytest.raises(AssertionError, match="CSP violation: script-src-elem"):
        watch.assert_clean(page)
    assert any("Content Security Policy" in line for line in watch.console_errors)
    watch.clear(page)


def test_inline_style_is_blocked_and_reported(page: Page, watch) -> None:
    page.goto("/errors/")
    page.evaluate("""() => document.body.setAttribute("style", "outline: 5px solid red")""")
    page.wait_for_function("window.__csp.length > 0")

    assert page.evaluate("getComputedStyle(document.body).outlineWidth") != "5px"
    with pytest.raises(AssertionError, match="CSP violation: style-src-attr"):
        watch.assert_clean(page)
    watch.clear(page)


def test_violations_on_an_earlier_page_are_not_lost(page: Page, watch) -> None:
    page.goto("/errors/")
    page.evaluate("""() => document.body.setAttribute("style", "color: red")""")
    page.wait_for_function("window.__csp.length > 0")
    page.goto("/errors/1007/")

    assert page.evaluate("window.__csp") == []
    with pytest.raises(AssertionError, match=r"style-src-attr.*on http.*/errors/ "):
        watch.assert_clean(page)
    watch.clear(page)


def test_page_errors_console_errors_and_failed_requests_are_reported(page: Page, watch) -> None:
    page.goto("/errors/")
    with page.expect_event("pageerror"):
        page.evaluate("""() => setTimeout(() => { throw new Error("provoked failure"); })""")
    with page.expect_event("console"):
        page.evaluate("""() => console.error("provoked console error")""")
    with page.expect_response("**/static/no-such-file.css"):
        page.evaluate("""() => fetch("/static/no-such-file.css")""")
    page.route("**/static/js/site.js", lambda route: route.abort("connectionrefused"))
    with page.expect_event("requestfailed"):
        page.reload()

    with pytest.raises(AssertionError) as failure:
        watch.assert_clean(page)
    report = str(failure.value)
    assert "page error: provoked failure" in report
    assert "console error: provoked console error" in report
    assert "no-such-file.css: HTTP 404" in report
    assert "site.js: net::ERR_CONNECTION_REFUSED" in report
    watch.clear(page)


def test_site_assets_load_from_the_live_server(page: Page) -> None:
    loaded: dict[str, int] = {}
    page.on("response", lambda response: loaded.__setitem__(response.url, response.status))
    page.goto("/errors/")

    statics = {
        url.split("/static/", 1)[1]: status for url, status in loaded.items() if "/static/" in url
    }
    assert statics.get("css/site.css") == 200
    assert statics.get("js/site.js") == 200
    assert any(
        path.startswith("django_htmx/htmx") and status == 200 for path, status in statics.items()
    ), statics
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not start"
    assert page.evaluate("htmx.config.allowEval") is False, "the htmx-config meta was not applied"
    # The stylesheet is applied: the skip link sits off screen until it is focused.
    assert page.locator(".skip-link").evaluate("el => getComputedStyle(el).position") == "absolute"


def test_site_has_a_favicon(page: Page) -> None:
    # Browsers ask for one on their own and log the 404 in the console of every visitor.
    page.goto("/")
    declared = page.locator("link[rel~='icon']")
    href = declared.first.get_attribute("href") if declared.count() else "/favicon.ico"
    assert href, "the icon link has no href"

    response = page.request.get(href)

    assert response.ok, f"{href} answers HTTP {response.status}"
