"""From any paste to a next step, in a real browser: the dead-end pastes of issue 12, "Contact
support" as a plain link (new tab, Back without a resubmission prompt), "attach my paste",
"Was this helpful?" on a diagnosis, and axe on a diagnosis at phone and desktop widths."""

import re
from unittest import mock

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.db import DatabaseError
from playwright.sync_api import Dialog, Page, expect

from feedback.models import Vote
from tests.conftest import ENVELOPE, TRACE_ID
from tests.e2e.test_accessibility import describe

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}

GATEWAY_502 = (
    "HTTP/1.1 502 Bad Gateway\nServer: nginx\nContent-Type: text/html\n\n"
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
    "</center><hr><center>nginx</center></body></html>"
)
DEAD_ENDS = {
    "free text": ("messages just dont go out", "Codes that match your words", "4001"),
    "HTML 502": (GATEWAY_502, "Answered by a gateway, not by Linq", "How to retry safely"),
    "empty 503": (
        "HTTP/1.1 503 Service Unavailable\nContent-Length: 0\n\n",
        "An empty answer from a gateway",
        "How to retry safely",
    ),
    "curl (28)": (
        "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received",
        "No answer: the call timed out",
        "How to retry safely",
    ),
    "V2 invalid_phone_number": (
        '{"errors":[{"status":400,"code":"invalid_phone_number","title":"Invalid phone number",'
        '"detail":"Phone number must be in E.164 format"}]}',
        "This legacy error corresponds to 1002",
        "How to fix 1002",
    ),
}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # rate limits of diagnoses, support requests and feedback live in the cache


def field(page: Page, name: str):
    return page.locator(f"form [name={name}]")


def diagnose(page: Page, text: str) -> None:
    page.locator("[data-diagnose-box]").fill(text)
    with page.expect_response(
        lambda r: r.url.endswith("/diagnose/") and r.request.method == "POST"
    ):
        page.get_by_role("button", name="Diagnose", exact=True).click()
    expect(page.locator("#diagnosis-title")).to_be_visible()


@pytest.mark.parametrize("paste", DEAD_ENDS.values(), ids=DEAD_ENDS.keys())
def test_every_dead_end_paste_leads_to_a_next_step(page: Page, paste) -> None:
    text, says, next_step = paste
    page.goto("/diagnose/")
    diagnose(page, text)
    result = page.locator("#diagnosis")
    expect(result).to_contain_text(says)
    for dead_end in ("Unknown code", "paste the body", "not_json", "code_missing"):
        expect(result).not_to_contain_text(dead_end)
    step = result.get_by_role("link", name=re.compile(re.escape(next_step))).first
    expect(step).to_be_visible()
    href = step.get_attribute("href") or ""
    with page.expect_navigation():
        step.click()
    assert page.url.split("//", 1)[1].partition("/")[2].startswith(href.lstrip("/").split("#")[0])
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_finding_labels_are_words_and_a_trace_id_shows_once(page: Page) -> None:
    page.goto("/diagnose/")
    diagnose(page, '{"success": false, "error": {"status": 400, "code": "2004"}}')
    card = page.locator("#diagnosis .diagnosis-card")
    expect(card).to_contain_text("Code is not a number")
    expect(card).not_to_contain_text("code_not_integer")

    diagnose(page, TRACE_ID)
    card = page.locator("#diagnosis .diagnosis-card")
    expect(card.get_by_text("Trace id", exact=True)).to_have_count(1)
    expect(card.locator(".actions a").first).to_have_text("Contact support")


def test_contact_support_is_a_link_that_opens_in_a_new_tab(page: Page) -> None:
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    link = page.locator("#diagnosis").get_by_role("link", name="Contact support")
    assert link.evaluate("a => a.tagName") == "A"
    assert page.locator("#support-form, #diagnosis form[action='/support/new/']").count() == 0

    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    tab = opened.value
    tab.wait_for_load_state()
    assert "/support/new/?code=1007" in tab.url and "envelope" not in tab.url
    expect(tab.locator("form [name=trace_id]")).to_have_value(TRACE_ID)
    expect(tab.locator("form [name=http_status]")).to_have_value("429")
    tab.close()


def test_back_from_the_support_form_has_no_resubmission_prompt(page: Page) -> None:
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    # A form sent again would be a navigation that POSTs; diagnose.js diagnosing the kept
    # (masked) paste again is an htmx request, which test_diagnosis_back.py follows.
    resent: list[str] = []
    page.on(
        "request",
        lambda r: (
            resent.append(r.url) if r.method == "POST" and r.is_navigation_request() else None
        ),
    )

    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()
    expect(field(page, "error_code")).to_have_value("1007")
    response = page.go_back()

    assert page.url.endswith("/diagnose/")
    assert response is None or response.request.method == "GET"
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnose an error")
    expect(page.locator("#diagnosis-title")).to_be_visible()
    assert dialogs == [] and resent == []  # no form sent again, nothing asked


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}], ids=["no-js"])
def test_without_javascript_the_link_still_carries_what_was_found(page: Page) -> None:
    page.goto("/diagnose/")
    page.locator("[data-diagnose-box]").fill(ENVELOPE)
    with page.expect_navigation():
        page.get_by_role("button", name="Diagnose", exact=True).click()
    expect(page.get_by_text("Attach my paste to a support request")).to_be_hidden()
    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()
    assert "code=1007" in page.url and f"trace_id={TRACE_ID}" in page.url
    assert "status=429" in page.url
    expect(field(page, "error_code")).to_have_value("1007")
    expect(field(page, "envelope")).to_have_value("")  # never the paste without asking


def test_attach_my_paste_shows_the_masked_paste_on_the_form(page: Page) -> None:
    secret = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    page.goto("/diagnose/")
    diagnose(page, f"Authorization: Bearer {secret}\n{ENVELOPE}")
    page.locator("#diagnosis").get_by_label("Attach my paste to a support request").check()

    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()

    assert secret not in page.url
    expect(page.locator("[data-attach-paste]")).to_be_visible()
    envelope = field(page, "envelope")
    expect(envelope).to_have_value(re.compile(TRACE_ID))
    assert secret not in envelope.input_value() and "[REDACTED]" in envelope.input_value()


def test_without_ticking_the_paste_stays_behind(page: Page) -> None:
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()
    expect(field(page, "error_code")).to_have_value("1007")
    expect(field(page, "envelope")).to_have_value("")
    expect(page.locator("[data-attach-paste]")).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_was_this_helpful_on_a_diagnosis(page: Page) -> None:
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    feedback = page.locator("#diagnosis #feedback")
    feedback.get_by_label("Anything to add?").fill("Say when the limit resets")

    feedback.get_by_role("button", name="Yes, it helped").click()

    expect(page.locator("#feedback")).to_contain_text("Thank you")
    expect(page.locator("#diagnosis .diagnosis-card")).to_be_visible()  # the diagnosis stays
    vote = Vote.objects.get()
    assert (vote.page, vote.helpful, vote.comment) == (
        "diagnosis:1007",
        True,
        "Say when the limit resets",
    )


@pytest.mark.parametrize(
    "context_options",
    [
        {**PHONE, "color_scheme": "light"},
        {**PHONE, "color_scheme": "dark"},
        {**DESKTOP, "color_scheme": "light"},
        {**DESKTOP, "color_scheme": "dark"},
    ],
    ids=["375-light", "375-dark", "1280-light", "1280-dark"],
)
def assert_no_violations(axe: Axe, page: Page) -> None:
    """Not one axe violation of any impact, every rule in both colour schemes."""
    violations = axe.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert not violations, describe(violations)


def test_a_diagnosis_page_has_no_accessibility_violations(page: Page) -> None:
    axe = Axe()
    page.goto("/diagnose/")
    diagnose(page, GATEWAY_502)
    assert_no_violations(axe, page)
    diagnose(page, "messages just dont go out")
    assert_no_violations(axe, page)
    diagnose(page, ENVELOPE)
    page.locator("#diagnosis details summary").click()  # what would be attached, shown
    assert_no_violations(axe, page)
    width = (page.viewport_size or {"width": 0})["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.django_db(transaction=True)
def test_a_failed_save_keeps_the_comment_in_place(page: Page, watch) -> None:
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    feedback = page.locator("#feedback")
    feedback.get_by_label("Anything to add?").fill("keep this")

    with mock.patch.object(Vote.objects, "create", side_effect=DatabaseError("disk full")):
        feedback.get_by_role("button", name="No").click()
        expect(page.locator("#feedback")).to_contain_text("Nothing was saved")

    expect(page.locator("#feedback").get_by_label("Anything to add?")).to_have_value("keep this")
    expect(page.locator("#diagnosis .diagnosis-card")).to_be_visible()
    assert not Vote.objects.exists()
    # The 503 is the point of this test; nothing else may have gone wrong.
    assert [p for p in watch.problems() if "/feedback/" not in p] == []
    watch.clear(page)
