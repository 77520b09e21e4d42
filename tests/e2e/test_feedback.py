"""'Was this helpful?' in a real browser: in place with htmx, and as a plain form without
JavaScript, where the answer is posted once and reloading or Back never posts it again."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from feedback.models import Vote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_with_javascript_the_answer_is_sent_in_place(page: Page) -> None:
    page.goto("/errors/2004/")
    page.evaluate("window.__samePage = true")
    feedback = page.locator("#feedback")
    feedback.get_by_label("Anything to add?").fill("The token header name would help")

    feedback.get_by_role("button", name="No").click()

    expect(page.locator("#feedback")).to_contain_text("Thank you")
    expect(page.locator("#feedback")).to_be_focused()
    assert page.evaluate("window.__samePage") is True
    assert page.url.endswith("/errors/2004/")
    vote = Vote.objects.get()
    assert (vote.page, vote.helpful, vote.comment) == (
        "code:2004",
        False,
        "The token header name would help",
    )


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}], ids=["no-js"])
def test_without_javascript_the_answer_posts_redirects_and_never_posts_twice(page: Page) -> None:
    page.goto("/guides/retries/")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    with page.expect_navigation():
        page.locator("#feedback").get_by_role("button", name="Yes, it helped").click()

    assert page.url.endswith("/guides/retries/?feedback=thanks#feedback")
    expect(page.locator("#feedback")).to_contain_text("Thank you")
    assert Vote.objects.filter(page="guide:retries", helpful=True).count() == 1

    page.reload()  # a GET: no "confirm form resubmission", nothing posted again
    page.go_back()
    page.go_forward()
    assert len(posts) == 1
    assert Vote.objects.count() == 1


def test_a_refused_answer_keeps_the_comment_in_place(page: Page) -> None:
    page.goto("/errors/1007/")
    box = page.locator("#feedback").get_by_label("Anything to add?")
    box.evaluate("el => el.removeAttribute('maxlength')")
    box.fill("x" * 1001)

    page.locator("#feedback").get_by_role("button", name="No").click()

    expect(page.locator("#feedback [role=alert]")).to_contain_text("under 1,000 characters")
    expect(page.locator("#feedback [role=alert]")).to_be_focused()
    expect(page.locator("#feedback").get_by_label("Anything to add?")).to_have_value("x" * 1001)
    assert not Vote.objects.exists()
