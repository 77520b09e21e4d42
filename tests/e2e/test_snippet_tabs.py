"""The snippet tabs on a code page: CSS-only switching, copy buttons, the language remembered."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def panel(page: Page, language: str):
    return page.locator(f".tabs__panel[data-language='{language}']")


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_tabs_switch_without_javascript(page: Page) -> None:
    page.goto("/errors/3002/")
    expect(panel(page, "curl")).to_be_visible()
    expect(panel(page, "python")).to_be_hidden()

    page.get_by_text("Python", exact=True).click()

    expect(panel(page, "python")).to_be_visible()
    expect(panel(page, "curl")).to_be_hidden()
    expect(panel(page, "python")).to_contain_text("SCHEDULE = (1, 2, 4, 8, 16, 30)")


def test_each_tab_copies_its_own_snippet(page: Page, live_server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/errors/1007/")
    page.get_by_text("JavaScript", exact=True).click()
    button = panel(page, "javascript").get_by_role("button", name="Copy the JavaScript snippet")

    button.click()

    # The clipboard holds the JavaScript snippet, not the tab shown first (curl).
    page.wait_for_function("navigator.clipboard.readText().then(t => t.includes('secondsToWait'))")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "retry-after" in copied and "curl -sS" not in copied


def test_the_chosen_language_is_remembered_on_the_next_page(page: Page) -> None:
    page.goto("/errors/3001/")
    page.get_by_text("JavaScript", exact=True).click()

    page.goto("/errors/4004/")

    expect(page.locator("#snippet-tab-javascript")).to_be_checked()
    expect(panel(page, "javascript")).to_be_visible()
    expect(panel(page, "curl")).to_be_hidden()


def test_tabs_are_reachable_by_keyboard(page: Page) -> None:
    page.goto("/errors/2009/")
    page.locator("#snippet-tab-curl").focus()

    page.keyboard.press("ArrowRight")

    expect(page.locator("#snippet-tab-python")).to_be_checked()
    expect(panel(page, "python")).to_be_visible()
