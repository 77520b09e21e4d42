"""Back to /diagnose/ brings the diagnosis back (with JavaScript).

The page is `private, no-store`, so the browser loads it again on Back instead of restoring it
(the back/forward cache may be off, as it is in the test browser: nothing here relies on it).
diagnose.js keeps the masked paste in the tab's own history entry and diagnoses it again on
arrival. These tests follow the paste through every place a browser keeps things: the page, the
box, history.state, sessionStorage and localStorage; the raw key is in none of them.
"""

import json

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.conftest import ENVELOPE, TRACE_ID

pytestmark = pytest.mark.e2e

SECRET = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
WITH_KEY = f"Authorization: Bearer {SECRET}\n{ENVELOPE}"
GATEWAY_504 = "HTTP/1.1 504 Gateway Time-out\nContent-Length: 0\n\n"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the rate limit of diagnoses lives in the cache


def diagnose(page: Page, text: str) -> None:
    page.locator("[data-diagnose-box]").fill(text)
    with page.expect_response(
        lambda r: r.url.endswith("/diagnose/") and r.request.method == "POST"
    ):
        page.get_by_role("button", name="Diagnose", exact=True).click()
    expect(page.locator("#diagnosis-title")).to_be_visible()


def open_diagnose_from_the_catalogue(page: Page) -> None:
    """/errors/ first, so that Back from /diagnose/ has somewhere on the site to go."""
    page.goto("/errors/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Diagnose").click()
    assert page.url.endswith("/diagnose/")


def go_to_support(page: Page) -> None:
    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()
    expect(page.locator("form [name=error_code]")).to_have_value("1007")


def back_to_the_diagnosis(page: Page) -> None:
    with page.expect_response(
        lambda r: r.url.endswith("/diagnose/") and r.request.method == "POST"
    ) as answer:
        page.go_back()
    # Diagnosed again through htmx: a fetch of the fragment, not a navigation (no prompt).
    assert answer.value.request.headers.get("hx-request") == "true"
    assert not answer.value.request.is_navigation_request()
    expect(page.locator("#diagnosis-title")).to_be_visible()


def kept_anywhere(page: Page) -> str:
    """Everything the tab keeps: the page's HTML, the box, history.state and both storages."""
    return page.evaluate(
        """() => {
          const all = (store) => Object.keys(store).map((key) => key + "=" + store.getItem(key));
          return [
            document.documentElement.outerHTML,
            document.querySelector("[data-diagnose-box]")?.value ?? "",
            JSON.stringify(history.state),
            ...all(sessionStorage),
            ...all(localStorage),
          ].join("\\n");
        }"""
    )


def test_back_from_contact_support_brings_the_diagnosis_back_masked(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    box = page.locator("[data-diagnose-box]")
    # After a diagnosis the box shows what the server read: the key masked, as without JavaScript.
    expect(box).to_have_value(f"Authorization: Bearer [REDACTED]\n{ENVELOPE}")
    assert SECRET not in kept_anywhere(page)

    go_to_support(page)
    back_to_the_diagnosis(page)

    assert page.url.endswith("/diagnose/")
    result = page.locator("#diagnosis")
    expect(result.locator(".diagnosis-card h3").first).to_contain_text("1007")
    expect(result).to_contain_text(TRACE_ID)
    expect(box).to_have_value(f"Authorization: Bearer [REDACTED]\n{ENVELOPE}")
    kept = kept_anywhere(page)
    assert SECRET not in kept and "[REDACTED]" in kept
    assert "[REDACTED]" in json.dumps(page.evaluate("history.state"))


def test_a_new_paste_replaces_the_kept_one(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    diagnose(page, ENVELOPE.replace(TRACE_ID, "0" * 32))
    go_to_support(page)
    back_to_the_diagnosis(page)

    expect(page.locator("[data-diagnose-box]")).to_have_value(ENVELOPE.replace(TRACE_ID, "0" * 32))
    expect(page.locator("#diagnosis")).to_contain_text("0" * 32)
    expect(page.locator("#diagnosis")).not_to_contain_text(TRACE_ID)
    assert "[REDACTED]" not in kept_anywhere(page)


def test_back_twice_leaves_the_site_in_two_steps(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    entries = page.evaluate("history.length")  # the browser's first blank page, /errors/, here
    diagnose(page, WITH_KEY)
    assert page.evaluate("history.length") == entries  # a diagnosis is not a step of its own
    go_to_support(page)
    assert page.evaluate("history.length") == entries + 1
    back_to_the_diagnosis(page)
    assert page.evaluate("history.length") == entries + 1  # diagnosing again added no entry

    page.go_back()
    assert page.url.endswith("/errors/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_forward()
    expect(page.locator("#diagnosis-title")).to_be_visible()  # Forward brings it back too
    assert page.evaluate("history.length") == entries + 1


def test_clear_forgets_the_paste(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    page.get_by_role("button", name="Clear", exact=True).click()
    expect(page.locator("[data-diagnose-box]")).to_have_value("")
    expect(page.locator("[data-diagnose-box]")).to_be_focused()
    expect(page.locator("#diagnosis-title")).to_have_count(0)
    assert "[REDACTED]" not in kept_anywhere(page)

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Support").click()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnose an error")
    expect(page.locator("[data-diagnose-box]")).to_have_value("")
    expect(page.locator("#diagnosis-title")).to_have_count(0)
    assert posts == []


def test_a_reload_starts_afresh(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    page.reload()
    expect(page.locator("[data-diagnose-box]")).to_have_value("")
    assert page.evaluate("history.state") in (None, {})
    assert "[REDACTED]" not in kept_anywhere(page)


def test_the_attached_paste_survives_back_and_forward(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    attach = page.locator("#diagnosis").get_by_label("Attach my paste to a support request")
    attach.check()
    go_to_support(page)
    back_to_the_diagnosis(page)
    expect(attach).to_be_checked()  # the same paste is still the one attached

    page.go_forward()
    envelope = page.locator("form [name=envelope]")
    expect(envelope).to_have_value(f"Authorization: Bearer [REDACTED]\n{ENVELOPE}")
    assert SECRET not in kept_anywhere(page)


def test_a_call_with_no_answer_comes_back_too(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, GATEWAY_504)
    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="How to retry safely").click()
    back_to_the_diagnosis(page)
    expect(page.locator("#diagnosis")).to_contain_text("An empty answer from a gateway")


def test_past_the_rate_limit_back_says_when_to_try_again_and_keeps_the_paste_masked(
    page: Page, watch, settings
) -> None:
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    cache.clear()
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    go_to_support(page)
    with page.expect_response(lambda r: r.url.endswith("/diagnose/") and r.status == 429):
        page.go_back()

    expect(page.locator("#diagnosis [role=alert]")).to_contain_text("try again in about")
    expect(page.locator("[data-diagnose-box]")).to_have_value(
        f"Authorization: Bearer [REDACTED]\n{ENVELOPE}"
    )
    assert SECRET not in kept_anywhere(page)
    watch.clear(page)  # the 429 was provoked on purpose
    cache.clear()


def test_emptying_the_box_forgets_the_paste(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    diagnose(page, WITH_KEY)
    page.locator("[data-diagnose-box]").fill("")
    assert "[REDACTED]" not in json.dumps(page.evaluate("history.state"))

    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    go_to_support(page)
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnose an error")
    expect(page.locator("[data-diagnose-box]")).to_have_value("")
    expect(page.locator("#diagnosis-title")).to_have_count(0)
    assert posts == []


def test_clear_while_diagnosing_keeps_it_cleared(page: Page) -> None:
    open_diagnose_from_the_catalogue(page)
    held = []

    def hold_posts(route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/diagnose/", hold_posts)
    page.locator("[data-diagnose-box]").fill(WITH_KEY)
    page.get_by_role("button", name="Diagnose", exact=True).click()
    page.wait_for_function(
        "document.querySelector('#diagnose-indicator.htmx-request, .htmx-request')"
    )
    assert len(held) == 1
    # The request still on its way is dropped (its answer would fill the page again).
    with page.expect_event("requestfailed", lambda r: r.method == "POST") as dropped:
        page.get_by_role("button", name="Clear", exact=True).click()
    assert dropped.value.failure == "net::ERR_ABORTED"
    expect(page.locator("[data-diagnose-box]")).to_have_value("")
    expect(page.locator("#diagnosis-title")).to_have_count(0)
    assert "[REDACTED]" not in kept_anywhere(page)
