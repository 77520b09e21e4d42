"""What diagnose.js may keep in the tab's history so that Back brings a diagnosis back: the
paste as the server read it, secrets masked (`data-paste` on the result), and nothing else."""

from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client

from tests.diagnose.test_views import HTMX, PAGE, TOKEN, TOKEN_PASTE, found, post_page


@pytest.fixture
def client():
    cache.clear()  # the rate limit of diagnoses
    return Client(enforce_csrf_checks=True)


def kept(html: str) -> str:
    return unescape(found(r'<section id="diagnosis"[^>]* data-paste="([^"]*)"', html))


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "page"])
def test_the_result_carries_the_paste_masked(client, headers) -> None:
    html = post_page(client, TOKEN_PASTE, **headers).content.decode()
    paste = kept(html)
    assert TOKEN not in html
    assert "Bearer [REDACTED]" in paste and "HTTP/2 429" in paste


def test_the_empty_form_and_an_example_carry_nothing(client) -> None:
    assert "data-paste" not in client.get(PAGE).content.decode()
    example = client.get(PAGE + "?example=rate-limited").content.decode()
    assert "1007" in found(r"<textarea[^>]*>([^<]+)</textarea>", example)  # the box is filled
    assert "data-paste" not in example  # but nothing was diagnosed


def test_past_the_rate_limit_the_answer_still_carries_the_paste_masked(client, settings) -> None:
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    post_page(client, "2004", **HTMX)
    response = post_page(client, TOKEN_PASTE, **HTMX)
    assert response.status_code == 429
    html = response.content.decode()
    assert TOKEN not in html and "Bearer [REDACTED]" in kept(html)


def test_an_oversized_paste_carries_nothing(client, settings) -> None:
    html = post_page(client, "x" * (70 * 1024), **HTMX).content.decode()
    assert 'id="diagnosis"' in html and "data-paste" not in html


def test_the_help_text_says_what_the_tab_keeps(client) -> None:
    html = client.get(PAGE).content.decode()
    assert "nothing you paste is stored or logged by this site" in html
    assert found(r"<span data-kept-in-tab hidden>([^<]*)</span>", html).startswith(
        " So that Back brings your diagnosis back"
    )
