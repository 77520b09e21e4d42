"""The support queue as an engineer sees it in a 1280 px browser window: every column on screen,
no cell cut off, references on one line; then a reply that the developer reads on their page."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from support.models import Ticket, TicketMessage
from tests.conftest import TRACE_ID, make_ticket
from tests.e2e.test_accessibility import blocking_violations

pytestmark = pytest.mark.e2e

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
COLUMNS = {
    "reference_link": "Reference",
    "age": "Age",
    "status_label": "Status",
    "code": "Code",
    "trace_id": "Trace id",
    "email": "Email",
    "assignee_name": "Assignee",
}
EMAILS = [
    "dev@acme.io",
    "platform-oncall@northwind-logistics.com",
    "ada.lovelace@analytical-engines.co.uk",
    "sms-bot-alerts@contoso.example",
]
# Per column: how far each cell's content overflows its box, and on how many lines its text sits
# (text rectangles more than a few pixels apart vertically are separate lines).
CELL_FIT = """(column) => [...document.querySelectorAll(`#result_list .field-${column}`)]
  .map((cell) => {
    const tops = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) tops.push(rect.top);
    }
    tops.sort((a, b) => a - b);
    const lines = tops.filter((top, i) => i === 0 || top - tops[i - 1] > 4).length;
    return {
      text: cell.textContent.trim(),
      overflow: cell.scrollWidth - cell.clientWidth,
      right: cell.getBoundingClientRect().right,
      lines,
    };
  })"""


@pytest.fixture
def queue(transactional_db, django_user_model, support_agent_group):
    """An engineer and a realistic queue: long addresses, every status, several assignees."""
    cache.clear()
    agent = django_user_model.objects.create_user(
        "grace", password="correct horse", is_staff=True, first_name="Grace", last_name="Hopper"
    )
    agent.groups.add(support_agent_group)
    colleague = django_user_model.objects.create_user(
        "margaret", password="x", is_staff=True, first_name="Margaret", last_name="Hamilton"
    )
    statuses = list(Ticket.Status)
    for n in range(24):
        ticket = make_ticket(
            email=EMAILS[n % len(EMAILS)],
            trace_ids=f"{n:02x}{TRACE_ID[2:]}",
            error_code=[1007, 2004, 3002, 5001][n % 4],
            status=statuses[n % 4],
            assignee=[None, agent, colleague][n % 3],
        )
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=timezone.now() - timedelta(hours=n * 7)
        )
    return agent


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/admin/login/?next=/admin/support/ticket/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("context_options", [DESKTOP], ids=["1280px"])
def test_the_queue_reads_at_a_glance_at_1280px(page: Page, queue) -> None:
    sign_in(page, "grace", "correct horse")
    expect(page.locator("#result_list")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, (
        "the page scrolls sideways"
    )
    for column, header in COLUMNS.items():
        heading = page.locator(f"#result_list thead th.column-{column}")
        expect(heading).to_be_visible()
        expect(heading).to_contain_text(re.compile(header, re.I))
        cells = page.evaluate(CELL_FIT, column)
        assert len(cells) == 24, column
        for cell in cells:
            assert cell["overflow"] <= 0, f"{column} cell {cell['text']!r} is cut off"
            assert cell["right"] <= 1280, f"{column} cell {cell['text']!r} is off screen"
            assert cell["lines"] == 1, f"{column} cell {cell['text']!r} wraps"
    # The filters sit beside the list, every one of them.
    for title in ("status", "error code", "category", "assignee", "age"):
        expect(page.locator("#changelist-filter")).to_contain_text(f"By {title}")


@pytest.mark.parametrize("context_options", [DESKTOP], ids=["1280px"])
def test_a_reply_from_the_admin_reaches_the_developers_page(page: Page, queue) -> None:
    ticket = Ticket.objects.filter(status="new").earliest("created_at")
    sign_in(page, "grace", "correct horse")
    page.get_by_role("link", name=ticket.reference).click()
    expect(page.locator(".desk-paste")).to_contain_text("<script>alert(1)</script>")
    page.get_by_label("Reply to the developer").fill("Wait for the Retry-After seconds, please.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/support/requests/{ticket.public_token}/")
    expect(page.locator("#status-heading")).to_contain_text("Waiting on developer")
    expect(page.locator(".thread__messages")).to_contain_text("Wait for the Retry-After seconds")
    page.get_by_label("Your answer").fill("Done, it works now.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to support").click()
    expect(page.locator("#thread")).to_contain_text("Your answer was sent to support.")
    expect(page.locator("#status-heading")).to_contain_text("Open")


PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("context_options", [PHONE], ids=["360px"])
def test_the_developers_page_with_a_thread_fits_a_phone_and_passes_axe(
    page: Page, transactional_db
) -> None:
    ticket = make_ticket(status="waiting", email="platform-oncall@northwind-logistics.com")
    TicketMessage.objects.create(
        ticket=ticket,
        kind="reply",
        body="Please send the whole response, headers included:\ncurl -i https://api.linqapp.com/"
        + "v3/chats/"
        + "a" * 60,
    )
    TicketMessage.objects.create(ticket=ticket, kind="answer", body="Here: " + "x" * 80)
    page.goto(f"/support/requests/{ticket.public_token}/")
    expect(page.locator(".thread__message")).to_have_count(2)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the request's page is {width} px wide on a phone"
    found = blocking_violations(Axe(), page)
    assert not found, found
