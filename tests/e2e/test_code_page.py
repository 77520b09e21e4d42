"""One code's page in the browser: the copy button and keyboard access."""

import json

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_copy_example_puts_the_envelope_on_the_clipboard(page: Page, live_server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/errors/1007/")
    # Located by what it copies, not by its label: the label is what changes.
    button = page.locator("button[data-copy-target='#example']")
    expect(button).to_have_text("Copy example")

    button.click()

    expect(button).to_have_text("Copied")
    envelope = json.loads(page.evaluate("navigator.clipboard.readText()"))
    assert envelope["success"] is False
    assert envelope["error"]["code"] == 1007
    assert envelope["error"]["status"] == 429
    assert isinstance(envelope["error"]["retry_after"], int)
    assert len(envelope["trace_id"]) == 32
    # The label comes back, so the button can be used again.
    expect(button).to_have_text("Copy example")


@pytest.mark.parametrize("path", ["/", "/errors/1007/"])
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page: Page, path: str) -> None:
    page.goto(path)
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main")
    # The next Tab continues from main's content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
