"""Search and filters on the catalogue: in place with htmx, in the URL, and without JavaScript."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

RESULT_CODES = "#results .code-row__code"


def result_codes(page: Page) -> list[str]:
    return page.locator(RESULT_CODES).all_inner_texts()


def query(url: str) -> list[tuple[str, str]]:
    """The URL's query as (name, value) pairs: `q=rate+limit` and `q=rate%20limit` are the same."""
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def wait_for_query(page: Page, *expected: tuple[str, str]) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == "/errors/" and query(url) == list(expected))


def test_search_as_you_type_filters_and_history(page: Page) -> None:
    page.goto("/errors/")
    status = page.get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\s*4\d codes\s*$"))
    all_codes = result_codes(page)
    assert len(all_codes) > 40
    # A full page load would lose this; an in-place swap keeps it.
    page.evaluate("window.__samePage = true")

    page.locator("[data-search-box]").press_sequentially("rate limit", delay=30)

    wait_for_query(page, ("q", "rate limit"))
    expect(page.locator(RESULT_CODES).first).to_have_text("1007")
    expect(status).to_contain_text("matching “rate limit”")
    searched = result_codes(page)
    assert len(searched) < len(all_codes)
    assert page.evaluate("window.__samePage") is True, "typing reloaded the whole page"
    expect(page).to_have_title("“rate limit” — Error codes · linqdocs")

    page.locator("summary", has_text="Filters").click()  # the disclosure that holds them
    page.get_by_role("checkbox", name=re.compile(r"^2xxx")).check()

    wait_for_query(page, ("q", "rate limit"), ("category", "2xxx"))
    expect(page.locator(RESULT_CODES)).to_have_count(1)
    filtered = result_codes(page)
    assert filtered == ["2008"]
    expect(status).to_contain_text("with the filters")
    assert page.evaluate("window.__samePage") is True, "a filter reloaded the whole page"

    page.go_back()
    wait_for_query(page, ("q", "rate limit"))
    expect(page.locator(RESULT_CODES)).to_have_count(len(searched))
    assert result_codes(page) == searched
    # After a restore the filters' disclosure is closed again: the box is looked up hidden or not.
    expect(page.locator("#filter-category-2xxx")).not_to_be_checked()
    expect(page.locator("[data-search-box]")).to_have_value("rate limit")

    page.go_forward()
    wait_for_query(page, ("q", "rate limit"), ("category", "2xxx"))
    expect(page.locator(RESULT_CODES)).to_have_count(1)
    assert result_codes(page) == filtered
    expect(page.locator("#filter-category-2xxx")).to_be_checked()

    page.reload()
    assert page.evaluate("window.__samePage") is None
    assert result_codes(page) == filtered
    expect(page.locator("[data-search-box]")).to_have_value("rate limit")
    expect(page.locator("#filter-category-2xxx")).to_be_checked()
    expect(status).to_contain_text("1 code matching “rate limit” with the filters")


def test_a_shared_filtered_url_shows_the_same_results(page: Page) -> None:
    page.goto("/errors/?q=rate+limit&category=2xxx")

    assert result_codes(page) == ["2008"]
    expect(page.locator("[data-search-box]")).to_have_value("rate limit")


def test_an_empty_result_says_so_and_suggests_searches(page: Page) -> None:
    page.goto("/errors/")
    page.evaluate("window.__samePage = true")

    page.locator("[data-search-box]").fill("xylophone")

    wait_for_query(page, ("q", "xylophone"))
    empty = page.locator("#results .empty")
    expect(empty.get_by_role("heading")).to_have_text("No codes match “xylophone”")
    suggestions = empty.get_by_role("link")
    assert suggestions.count() >= 2
    expect(page.get_by_role("status")).to_have_text(re.compile(r"No codes found"))
    assert page.evaluate("window.__samePage") is True

    suggestion = suggestions.first
    suggested = suggestion.inner_text()
    suggestion.click()
    wait_for_query(page, ("q", suggested))
    expect(page.locator(RESULT_CODES).first).to_be_visible()
    expect(page.locator("[data-search-box]")).to_have_value(suggested)


def test_an_empty_result_caused_by_filters_offers_all_categories(page: Page) -> None:
    page.goto("/errors/?q=rate+limit&category=3xxx")

    empty = page.locator("#results .empty")
    expect(empty).to_contain_text("2 codes match without the filters")
    empty.get_by_role("link", name="search all categories").click()
    wait_for_query(page, ("q", "rate limit"))
    assert result_codes(page)[0] == "1007"


@pytest.mark.parametrize("path", ["/", "/errors/", "/no-such-page/"])
def test_slash_focuses_the_search_box(page: Page, watch, path: str) -> None:
    if path == "/no-such-page/":
        watch.expect_error_document(path)
    page.goto(path)
    box = page.locator("[data-search-box]")
    expect(box).not_to_be_focused()

    page.keyboard.press("/")

    expect(box).to_be_focused()
    expect(box).to_have_value("")


@pytest.mark.parametrize("path", ["/errors/1007/", "/guides/retries/", "/diagnose/"])
def test_slash_on_a_page_without_a_search_box_opens_the_catalogue_search(
    page: Page, path: str
) -> None:
    page.goto(path)
    expect(page.locator("[data-search-box]")).to_have_count(0)

    page.keyboard.press("/")

    page.wait_for_url(re.compile(r"/errors/#search-q$"))
    expect(page.locator("[data-search-box]")).to_be_focused()


def test_slash_is_typed_normally_inside_the_search_box(page: Page) -> None:
    page.goto("/errors/")
    box = page.locator("[data-search-box]")
    box.fill("1xxx")
    box.press("End")
    box.press("/")
    expect(box).to_have_value("1xxx/")


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_search_works_without_javascript(page: Page) -> None:
    page.goto("/errors/")
    page.locator("[data-search-box]").fill("429")
    page.locator("summary", has_text="Filters").click()
    page.get_by_role("checkbox", name=re.compile(r"^1xxx")).check()

    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()

    assert query(page.url) == [("q", "429"), ("category", "1xxx")]
    assert result_codes(page)[0] == "1007"
    expect(page.get_by_role("status")).to_contain_text("matching “429” with the filters")
    # Copy buttons need the script; without it they stay hidden rather than do nothing.
    page.goto("/errors/1007/")
    copy = page.locator("button[data-copy-target]")
    expect(copy).to_have_count(4)  # the example, and one per snippet language
    for button in copy.all():
        expect(button).to_be_hidden()


def requests_typing_sends(page: Page, text: str) -> list[str]:
    """The htmx requests typing `text` into the page's search box makes the page send.

    Not a sleep past the debounce: the page's clock is fake while typing, then every timer the
    typing set (the catalogue's 300 ms debounce among them) is run at once, and a request sent
    after them marks the end. Any request the typing caused was sent, and seen, before it.
    """
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.headers.get("hx-request") else None)
    # Installed, the fake clock still runs in step with the real one; paused, it fires nothing.
    start = datetime.now(UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(minutes=1))
    page.locator("[data-search-box]").press_sequentially(text, delay=20)
    page.clock.run_for(5_000)
    with page.expect_request(lambda request: urlsplit(request.url).path == "/robots.txt"):
        page.evaluate("fetch('/robots.txt')")
    page.clock.resume()
    return sent


def test_typing_in_the_catalogues_box_sends_a_request(page: Page) -> None:
    """The check below can see a debounced request: here, where one must come, it does."""
    page.goto("/errors/")
    sent = requests_typing_sends(page, "webhook")
    assert [query(url) for url in sent] == [[("q", "webhook")]]


@pytest.mark.parametrize("path", ["/", "/errors/9999/"])
def test_a_search_box_outside_the_catalogue_submits_to_it(page: Page, watch, path: str) -> None:
    if path == "/errors/9999/":
        watch.expect_error_document(path)
    page.goto(path)
    box = page.locator("[data-search-box]")
    assert requests_typing_sends(page, "webhook") == []  # nothing fires while typing here
    assert urlsplit(page.url).path == path

    box.press("Enter")

    wait_for_query(page, ("q", "webhook"))
    assert urlsplit(page.url).path == "/errors/"
    expect(page.locator(RESULT_CODES).first).to_have_text(re.compile(r"^(2010|4003)$"))
