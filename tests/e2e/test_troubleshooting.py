"""From a paste to a fix or a sent request: no dead end, no resubmission prompt, focus where the
next step is."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.conftest import TRACE_ID

pytestmark = pytest.mark.e2e


def field(page: Page, name: str):
    return page.locator(f"form [name={name}]")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the per-client rate limit of support requests lives in the cache


@pytest.mark.parametrize(
    "context_options", [{}, {"java_script_enabled": False}], ids=["js", "no-js"]
)
def test_focus_moves_to_the_error_summary_after_a_refused_submit(page: Page) -> None:
    page.goto(f"/support/new/?code=1007&trace_id={TRACE_ID}")
    # What the browser checks itself (required fields) is filled; the server refuses the rest.
    field(page, "email").fill("dev@example.com")
    field(page, "description").fill("Every send answers 1007.")
    field(page, "trace_id").fill("trace_abc123")
    field(page, "error_code").fill("429")

    with page.expect_navigation():
        page.get_by_role("button", name="Send to support").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Trace id")
    expect(summary).to_contain_text("Error code")


def test_the_prompts_are_placeholders_and_never_sent(page: Page) -> None:
    page.goto("/support/new/")
    description = field(page, "description")
    expect(description).to_have_value("")
    expect(description).to_have_attribute("placeholder", re.compile("What changed recently"))

    page.goto("/support/new/?code=2004&endpoint=POST%20/v3/chats")
    expect(field(page, "endpoint")).to_have_value("POST /v3/chats")
    value = description.input_value()
    assert "Linq answered HTTP 401 with error 2004" in value
    assert "What changed recently" not in value and "(" not in value
