"""The request that was sent, checked in the browser: field-level findings with and without JS."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import TRACE_ID

pytestmark = pytest.mark.e2e

TOKEN = "sk_live_9fQ2mXr7TbK4vLp8sN3wYc6D"
CURL = f"""curl -X POST https://api.linqapp.com/api/partner/v3/chats \\
  -H "Authorization: Bearer {TOKEN}" \\
  -H "Content-Type: application/json" \\
  -d '{{"from": "+12223334444", "to": ["4155551234"],
       "message": {{"parts": [{{"type": "text", "value": "hello"}}], "idempotency_key": "k1"}}}}'"""
FAILED_SEND = f"""{CURL}
< HTTP/1.1 400 Bad Request
< Content-Type: application/json
<
{{"success": false, "error": {{"status": 400, "code": 1002,
  "message": "Phone number must be in E.164 format"}}, "trace_id": "{TRACE_ID}"}}"""


def submit(page: Page, text: str) -> None:
    page.locator("[data-diagnose-box]").fill(text)
    page.get_by_role("button", name="Diagnose", exact=True).click()
    expect(page.locator("#diagnosis")).to_contain_text("You pasted")


def test_a_request_alone_says_why_it_would_be_refused(page: Page) -> None:
    page.goto("/diagnose/")
    submit(page, CURL)

    result = page.locator("#diagnosis")
    expect(result).to_contain_text("the request that was sent")
    expect(result).to_contain_text("would be refused with 1002")
    details = result.locator(".finding-details").first
    expect(details.locator("dd").first).to_have_text("to[0]")
    expect(details).to_contain_text("4155551234")
    expect(details).to_contain_text("+14155551234")
    expect(details.get_by_role("link", name="1002")).to_have_attribute("href", "/errors/1002/")
    assert TOKEN not in page.content()


def test_the_field_that_caused_the_pasted_error_comes_first(page: Page) -> None:
    page.goto("/diagnose/")
    submit(page, FAILED_SEND)

    card = page.locator("#diagnosis .diagnosis-card")
    expect(card).to_have_count(1)
    expect(card.locator(".diagnosis-card__title")).to_contain_text("1002")
    first = card.locator(".findings li").first
    expect(first).to_contain_text("This is why")
    expect(first.locator(".finding-details")).to_contain_text("to[0]")
    assert TOKEN not in page.content()


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}], ids=["no-js"])
def test_without_javascript_the_same_findings_come_back(page: Page) -> None:
    page.goto("/diagnose/")
    submit(page, CURL)

    expect(page.locator("#diagnosis")).to_contain_text("would be refused with 1002")
    expect(page.locator("#diagnosis .finding-details").first).to_contain_text("to[0]")
