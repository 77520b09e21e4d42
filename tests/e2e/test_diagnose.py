"""Diagnose in the browser: in-place diagnosis, examples, copy, countdown, then support."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.conftest import ENVELOPE, TRACE_ID

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"^LNQ-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def field(page: Page, name: str):
    return page.locator(f"form [name={name}]")


def diagnose(page: Page, text: str) -> None:
    """Paste into the box and press Diagnose; returns once the result is in place."""
    page.locator("[data-diagnose-box]").fill(text)
    with page.expect_response(
        lambda r: r.url.endswith("/diagnose/") and r.request.method == "POST"
    ):
        page.get_by_role("button", name="Diagnose", exact=True).click()
    expect(page.locator("#diagnosis .diagnosis-card").first).to_be_visible()


def test_a_pasted_envelope_is_diagnosed_in_place(page: Page) -> None:
    page.goto("/diagnose/")
    page.evaluate("window.__samePage = true")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)

    diagnose(page, ENVELOPE)

    card = page.locator("#diagnosis .diagnosis-card")
    expect(card).to_have_count(1)
    expect(card.locator(".diagnosis-card__title")).to_contain_text("1007 Rate limit exceeded")
    expect(card.locator(".trace-id")).to_have_text(TRACE_ID)
    expect(page.locator("[data-diagnose-box]")).to_have_value(ENVELOPE)
    assert page.evaluate("window.__samePage") is True, "diagnosing reloaded the whole page"
    assert page.url.endswith("/diagnose/")
    assert [r.headers.get("hx-request") for r in posts] == ["true"]


def test_ctrl_enter_in_the_box_diagnoses(page: Page) -> None:
    page.goto("/diagnose/")
    box = page.locator("[data-diagnose-box]")
    box.fill("2004")

    box.press("Control+Enter")

    expect(page.locator("#diagnosis .diagnosis-card__title")).to_contain_text("2004")
    expect(box).to_have_value("2004")


def test_an_example_fills_the_box_without_leaving_the_page(page: Page) -> None:
    page.goto("/diagnose/")
    page.evaluate("window.__samePage = true")
    example = page.get_by_role("link", name="401 envelope")
    text = example.get_attribute("data-example")
    assert text and '"code": 2004' in text

    example.click()

    box = page.locator("[data-diagnose-box]")
    expect(box).to_have_value(text)
    expect(box).to_be_focused()
    assert page.url.endswith("/diagnose/")
    assert page.evaluate("window.__samePage") is True


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_examples_and_diagnosis_work_without_javascript(page: Page) -> None:
    page.goto("/diagnose/")
    page.get_by_role("link", name="401 envelope").click()
    page.wait_for_url(re.compile(r"/diagnose/\?example="))
    expect(page.locator("[data-diagnose-box]")).to_have_value(re.compile(r'"code": 2004'))

    with page.expect_navigation():
        page.get_by_role("button", name="Diagnose", exact=True).click()

    card = page.locator("#diagnosis .diagnosis-card")
    expect(card.locator(".diagnosis-card__title")).to_contain_text("2004")
    expect(page.locator("[data-diagnose-box]")).to_have_value(re.compile(r'"code": 2004'))


def test_copy_the_trace_id(page: Page, live_server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    button = page.locator(f"#diagnosis button[data-copy='{TRACE_ID}']")
    expect(button).to_be_visible()

    button.click()

    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == TRACE_ID


def seconds_left(text: str) -> int:
    match = re.fullmatch(r"That is in (\d+) s\.", text.strip())
    assert match, f"countdown reads {text!r}"
    return int(match.group(1))


def test_the_retry_countdown_ticks(page: Page) -> None:
    page.goto("/diagnose/")
    page.get_by_role("link", name="429 from curl -i").click()
    page.get_by_role("button", name="Diagnose", exact=True).click()
    countdown = page.locator("#diagnosis .countdown")
    expect(countdown).to_be_visible()
    # A sentence of its own after "… at 14:03:07 UTC.": it starts with a capital.
    expect(countdown).to_have_text(re.compile(r"^That is in \d+ s\.$"))
    first = seconds_left(countdown.inner_text())
    assert 0 < first <= 30

    page.wait_for_function(
        "(first) => /^That is in \\d+ s\\.$/.test(document.querySelector('#diagnosis .countdown')"
        ".textContent) && parseInt(document.querySelector('#diagnosis .countdown')"
        ".textContent.slice(11)) < first",
        arg=first,
        timeout=3_000,
    )
    assert seconds_left(countdown.inner_text()) < first


def test_contact_support_prefills_the_form_and_sending_it_gives_a_reference(
    page: Page,
) -> None:
    cache.clear()  # the per-client rate limit of support requests lives in the cache
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    # The fix comes first for 1007 (wait, then retry); support is offered second, as a link.
    actions = page.locator("#diagnosis .diagnosis-card .actions a")
    expect(actions.first).to_have_text("How to fix 1007")
    expect(actions.nth(1)).to_have_text("Contact support")
    page.locator("#diagnosis").get_by_label("Attach my paste to a support request").check()

    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()

    assert "/support/new/?code=1007" in page.url and "from=diagnosis" in page.url
    assert "envelope" not in page.url and "success" not in page.url  # never the paste
    expect(field(page, "trace_id")).to_have_value(TRACE_ID)
    expect(field(page, "error_code")).to_have_value("1007")
    expect(field(page, "http_status")).to_have_value("429")
    expect(field(page, "subject")).not_to_have_value("")
    expect(field(page, "description")).not_to_have_value("")
    # The attached paste is shown, masked, in the form's own box before anything is sent.
    expect(page.locator("[data-attach-paste]")).to_be_visible()
    expect(field(page, "envelope")).to_have_value(re.compile(TRACE_ID))

    field(page, "email").fill("dev@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to support").click()

    assert re.search(r"/support/requests/[^/]+/$", page.url), page.url
    reference = page.locator(".reference")
    expect(reference).to_have_text(REFERENCE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(page.locator(".facts")).to_contain_text(TRACE_ID)
    expect(page.locator(".facts")).to_contain_text("1007")


def test_contact_support_from_a_code_page_prefills_the_code(page: Page) -> None:
    page.goto("/errors/1007/")

    page.get_by_role("link", name="Contact support about 1007").click()

    page.wait_for_url(re.compile(r"/support/new/\?code=1007$"))
    expect(field(page, "error_code")).to_have_value("1007")


def test_a_bad_trace_id_is_explained_and_the_typing_kept(page: Page) -> None:
    page.goto(f"/support/new/?code=1007&trace_id={TRACE_ID}&status=429")
    field(page, "email").fill("dev@example.com")
    field(page, "trace_id").fill("not-a-trace-id")
    field(page, "subject").fill("Rate limited all day")
    field(page, "description").fill("Every send answers 1007.")

    with page.expect_navigation():
        page.get_by_role("button", name="Send to support").click()

    expect(page.get_by_role("alert")).to_contain_text("Trace id")
    trace_id = field(page, "trace_id")
    expect(trace_id).to_have_value("not-a-trace-id")
    expect(trace_id).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field--invalid")).to_contain_text("is not a trace id")
    expect(field(page, "subject")).to_have_value("Rate limited all day")
    expect(field(page, "email")).to_have_value("dev@example.com")


def test_too_many_diagnoses_keep_the_paste_and_say_when_to_try_again(
    page: Page, watch, settings
) -> None:
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    cache.clear()
    page.goto("/diagnose/")
    diagnose(page, ENVELOPE)
    box = page.locator("[data-diagnose-box]")
    box.fill("2004")
    with page.expect_response(lambda r: r.url.endswith("/diagnose/") and r.status == 429):
        page.get_by_role("button", name="Diagnose", exact=True).click()

    notice = page.locator("#diagnosis [role=alert]")
    expect(notice).to_contain_text("try again in about")
    expect(notice).to_contain_text("UTC")
    expect(page.locator("#diagnosis .diagnosis-card")).to_have_count(0)
    expect(box).to_have_value("2004")
    watch.clear(page)  # the 429 was provoked on purpose
    cache.clear()
