"""DIAGNOSE_RATE_LIMIT: /diagnose/ and /api/diagnose/ limited per client like the support form."""

import pytest
from django.core.cache import cache

from diagnose.checks import check_rate_limit


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("value", ["300/10m", "60/m", "0", ""])
def test_a_readable_rate_passes_the_check(settings, value):
    settings.DIAGNOSE_RATE_LIMIT = value
    assert check_rate_limit() == []


@pytest.mark.parametrize("value", ["lots", "5 per minute", "10/0m", "-1/m"])
def test_an_unreadable_rate_fails_the_check_by_name(settings, value):
    settings.DIAGNOSE_RATE_LIMIT = value
    (error,) = check_rate_limit()
    assert error.id == "diagnose.E001"
    assert "DIAGNOSE_RATE_LIMIT" in error.msg


PASTE = '{"success": false, "error": {"status": 429, "code": 1007}}'
SECRET = "sk_live_51HqLyjWDarjtT1zdp7dcXZX0FAKEFAKE"


def test_the_api_answers_429_in_the_envelope_with_retry_after(client, settings):
    settings.DIAGNOSE_RATE_LIMIT = "2/m"
    for _ in range(2):
        assert client.post("/api/diagnose/", PASTE, content_type="text/plain").status_code == 200
    limited = client.post("/api/diagnose/", PASTE, content_type="text/plain")
    assert limited.status_code == 429
    body = limited.json()
    assert body["success"] is False
    assert body["error"]["status"] == 429 and body["error"]["code"] == "rate_limited"
    assert 1 <= body["error"]["retry_after"] <= 60
    assert limited["Retry-After"] == str(body["error"]["retry_after"])
    assert body["trace_id"] == limited["X-Trace-ID"]
    assert "no-store" in limited["Cache-Control"]


def test_the_page_keeps_the_paste_masked_and_says_when_to_try_again(client, settings):
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    paste = f"Authorization: Bearer {SECRET}\n{PASTE}"
    assert client.post("/diagnose/", {"envelope": paste}).status_code == 200
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        limited = client.post("/diagnose/", {"envelope": paste}, **headers)
        html = limited.content.decode()
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 3600
        assert "try again in about" in html and "UTC" in html
        assert SECRET not in html
        assert "no-store" in limited["Cache-Control"]
    page = client.post("/diagnose/", {"envelope": paste}).content.decode()
    assert "Authorization: Bearer [REDACTED]" in page  # the paste is still in the box
    assert "&quot;code&quot;: 1007" in page or '"code": 1007' in page


def test_clients_are_counted_apart_and_zero_turns_the_limit_off(client, settings):
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    assert client.post("/api/diagnose/", PASTE, content_type="text/plain").status_code == 200
    assert client.post("/api/diagnose/", PASTE, content_type="text/plain").status_code == 429
    other = client.post(
        "/api/diagnose/", PASTE, content_type="text/plain", REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 200
    settings.DIAGNOSE_RATE_LIMIT = "0"
    for _ in range(5):
        assert client.post("/api/diagnose/", PASTE, content_type="text/plain").status_code == 200


def test_the_get_page_is_not_counted(client, settings):
    settings.DIAGNOSE_RATE_LIMIT = "1/h"
    for _ in range(3):
        assert client.get("/diagnose/").status_code == 200
    assert client.post("/diagnose/", {"envelope": PASTE}).status_code == 200


def test_the_openapi_document_names_the_429(client):
    responses = client.get("/api/openapi.json").json()["paths"]["/api/diagnose/"]["post"]
    assert "429" in responses["responses"]
