"""The catalogue as a visitor meets it: history that Back can leave, a phone-first layout, filter
options with names and counts, and code blocks that fit and copy."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def wait_for_query(page: Page, *expected: tuple[str, str]) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == "/errors/" and query(url) == list(expected))


def back(page: Page) -> None:
    """Presses Back. Chromium may restore the page left from its back/forward cache, and
    Playwright can lose track of that page while waiting; the URL checks that follow are what
    tell where Back went."""
    try:
        page.go_back(wait_until="commit")
    except PlaywrightError as error:
        if "Not attached to an active page" not in str(error):
            raise


def type_with_pauses(page: Page, text: str) -> None:
    """Types word by word, pausing past the search's debounce after each, as a person does."""
    box = page.locator("[data-search-box]")
    box.click()
    for number, word in enumerate(text.split(" ")):
        page.keyboard.type(("" if number == 0 else " ") + word, delay=40)
        page.wait_for_timeout(600)


def test_live_search_adds_no_history_and_one_back_leaves(page: Page) -> None:
    page.goto("/guides/")
    page.goto("/errors/")
    before = page.evaluate("history.length")

    type_with_pauses(page, "attachment too large")

    wait_for_query(page, ("q", "attachment too large"))
    expect(page.locator("#results .code-row__code").first).to_have_text("5005")
    assert page.evaluate("history.length") == before

    # Clearing the box (the type=search clear button sends an input event) adds nothing either.
    page.locator("[data-search-box]").fill("")
    wait_for_query(page, ("q", ""))
    assert page.evaluate("history.length") == before

    back(page)
    page.wait_for_url(re.compile(r"/guides/$"))


def test_a_submitted_search_and_a_filter_change_are_one_back_each(page: Page) -> None:
    page.goto("/guides/")
    page.goto("/errors/")
    start = page.evaluate("history.length")
    box = page.locator("[data-search-box]")

    # The person types, pauses (the live search answers) and presses Enter. Without the pause,
    # a live search still waiting out its 300 ms could land after the filter ticked below.
    with page.expect_response(lambda response: "q=webhook" in response.url):
        box.fill("webhook")
    box.press("Enter")
    wait_for_query(page, ("q", "webhook"))
    # Typing has put the search in the address bar; Enter then adds no duplicate.
    assert page.evaluate("history.length") in (start, start + 1)
    after_search = page.evaluate("history.length")

    page.locator("summary", has_text="Filters").click()
    page.get_by_role("checkbox", name=re.compile(r"^4xxx")).check()
    wait_for_query(page, ("q", "webhook"), ("category", "4xxx"))
    assert page.evaluate("history.length") == after_search + 1
    expect(page.locator("#filters-active")).to_have_text("· 1 active")

    # Pressing Enter again on the same search is not a new step.
    box.press("Enter")
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("history.length") == after_search + 1

    back(page)
    wait_for_query(page, ("q", "webhook"))
    expect(page.locator("#filter-category-4xxx")).not_to_be_checked()
    page.go_forward()
    wait_for_query(page, ("q", "webhook"), ("category", "4xxx"))
    expect(page.locator("#filter-category-4xxx")).to_be_checked()
    steps_back = 0
    while urlsplit(page.url).path == "/errors/":
        # Each Back within the catalogue restores the page with a request; wait for it, as a
        # person reading the results would (a navigation cuts an unfinished one short).
        page.wait_for_load_state("networkidle")
        before = page.url
        back(page)
        page.wait_for_url(lambda url: url != before)  # noqa: B023 (used before the loop moves on)
        steps_back += 1
    assert steps_back == after_search - start + 2
    assert urlsplit(page.url).path == "/guides/"
    # The watch (no CSP violation, no console error) covers every Back and Forward above.


def test_filter_options_have_names_counts_and_clear(page: Page) -> None:
    page.goto("/errors/")
    page.locator("summary", has_text="Filters").click()
    category = page.get_by_role("checkbox", name=re.compile(r"^2xxx Resource Errors \(\d+\)$"))
    expect(category).to_be_visible()
    expect(page.locator("#filters-active")).to_have_text("· none active")
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)

    page.locator("[data-search-box]").fill("webhook")
    wait_for_query(page, ("q", "webhook"))
    # The counts follow the words: what ticking each option would now show.
    expect(page.locator("#filter-category-5xxx-count")).to_have_text("(0)")

    page.get_by_role("checkbox", name=re.compile(r"^4xxx")).check()
    wait_for_query(page, ("q", "webhook"), ("category", "4xxx"))
    count = int(page.locator("#filter-category-4xxx-count").inner_text().strip("()"))
    expect(page.locator("#results .code-row")).to_have_count(count)

    page.get_by_role("link", name="Clear filters").click()
    wait_for_query(page, ("q", "webhook"))
    expect(page.locator("#filters-active")).to_have_text("· none active")


@pytest.mark.parametrize("context_options", [PHONE], ids=["375px"])
def test_on_a_phone_results_come_first(page: Page) -> None:
    page.goto("/errors/?category=1xxx")

    filters = page.locator("details.filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator("summary", has_text="Filters")).to_contain_text("1 active")
    expect(page.get_by_role("checkbox").first).to_be_hidden()
    # The first code is on the first screen, not below 18 checkboxes.
    first = page.locator("#results .code-row").first.bounding_box()
    assert first is not None and first["y"] + 40 < 740, first
    # A touch screen has no "/" key to press.
    expect(page.locator(".search__key-hint")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("context_options", [DESKTOP], ids=["1280px"])
def test_the_shortcut_hint_shows_where_there_is_a_keyboard(page: Page) -> None:
    page.goto("/errors/")
    expect(page.locator(".search__key-hint")).to_be_visible()


@pytest.mark.parametrize("context_options", [DESKTOP], ids=["1280px"])
def test_a_guidance_match_uses_the_text_column_and_the_tip_is_not_repeated(page: Page) -> None:
    page.goto("/errors/?q=troubleshooting")
    match = page.locator(".code-row__match").first
    expect(match).to_contain_text("In the guidance:")
    box = match.bounding_box()
    assert box is not None and box["width"] > 500, box
    tips = page.locator(".code-row__tip").all_inner_texts()
    matches = page.locator(".code-row__match").all_inner_texts()
    for match_text in matches:
        assert not match_text.startswith("In the troubleshooting"), match_text
    assert tips


@pytest.mark.parametrize("context_options", [DESKTOP], ids=["1280px"])
@pytest.mark.parametrize("path", ["/errors/1007/", "/guides/retries/"])
def test_code_blocks_use_the_width_and_each_has_a_copy_button(
    page: Page, live_server, path: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(path)
    blocks = page.locator(".prose pre")
    assert blocks.count() >= 1
    # Visible blocks only (a snippet's other languages sit in hidden tabs).
    widths = page.evaluate(
        "[...document.querySelectorAll('.prose pre')].filter(p => p.offsetParent)"
        ".map(p => [p.clientWidth, p.scrollWidth, getComputedStyle(p).overflowX])"
    )
    for client, scroll, overflow in widths:
        assert client > 850, widths  # wider than the 72ch measure of the prose
        if scroll > client:
            assert overflow == "auto", widths  # a longer line scrolls, it is not cut

    # One copy button per block, in hidden tabs too.
    expect(page.locator(".prose button[data-copy-target]")).to_have_count(blocks.count())
    first = page.locator(".prose button[data-copy-target]:visible").first
    target = first.get_attribute("data-copy-target")
    first.click()
    expect(first).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == page.locator(str(target)).inner_text().strip()
