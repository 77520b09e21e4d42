"""HTTP by the book (linqdocs.httppolicy): 405 with Allow before CSRF, HEAD wherever GET works,
304s that carry their 200's headers, and a deliberate Cache-Control for every class of response."""

from io import BytesIO

import pytest
from django.test import Client

from tests.conftest import ENVELOPE

REVALIDATE = "max-age=0, must-revalidate"
PRIVATE = "private, no-store"

# Every GET route of the site, by class (SPEC §4).
REVALIDATED = [
    "/",
    "/errors/",
    "/errors/?q=429",
    "/errors/1007/",
    "/errors/1007.md",
    "/errors/1007.json",
    "/errors/1007/problem.json",
    "/guides/",
    "/guides/retries/",
    "/api/errors/",
    "/api/errors/1007/",
    "/api/openapi.json",
    "/llms.txt",
    "/llms-full.txt",
    "/sitemap.xml",
    "/robots.txt",
    "/feeds/changes.atom",
    "/diagnose/shared/?code=1007&status=429&trace_id=2eff5df5c6f688733c007523c4d61cd9",
]
PRIVATE_PAGES = ["/diagnose/", "/diagnose/?example=code", "/support/new/", "/support/new/?code=7"]
COMPARED_HEADERS = ("Content-Type", "Cache-Control", "Vary", "ETag", "Last-Modified", "Allow")


@pytest.fixture
def strict_client():
    """A client that is checked for CSRF like a browser's request."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("method", ["put", "delete", "patch", "post"])
@pytest.mark.parametrize("url", ["/api/errors/", "/errors/1007/", "/robots.txt", "/guides/"])
def test_a_method_a_route_does_not_take_is_405_with_allow_not_a_csrf_failure(
    strict_client, method, url
):
    response = getattr(strict_client, method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Cache-Control"] == "no-store"
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "method_not_allowed"
    assert b"csrf" not in response.content.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "allowed"), [("/diagnose/", "GET, HEAD, POST")])
def test_wrong_methods_on_form_pages_are_405(strict_client, url, allowed):
    response = strict_client.put(url)
    assert (response.status_code, response["Allow"]) == (405, allowed)
    assert strict_client.get("/support/new/").status_code == 200
    response = strict_client.delete("/support/new/")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST")


@pytest.mark.django_db
def test_a_post_to_a_form_page_still_needs_its_csrf_token(strict_client):
    response = strict_client.post("/diagnose/", {"envelope": ENVELOPE})
    assert response.status_code == 403  # the right method, without the token: CSRF still answers


@pytest.mark.django_db
@pytest.mark.parametrize("url", REVALIDATED + PRIVATE_PAGES)
def test_head_is_answered_wherever_get_is_with_the_same_headers(client, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == head.status_code == 200, url
    assert head.content == b""
    for name in COMPARED_HEADERS:
        if name == "ETag" and get.get("Cache-Control") == PRIVATE:
            continue  # none is sent; checked below
        assert head.get(name) == get.get(name), (url, name)


@pytest.mark.parametrize("url", REVALIDATED)
def test_catalogue_responses_are_revalidated_with_their_etag(client, url):
    response = client.get(url)
    assert response["Cache-Control"] == REVALIDATE
    assert response["ETag"]


@pytest.mark.parametrize(
    ("url", "headers"),
    [(url, {}) for url in REVALIDATED] + [("/errors/?q=429", {"HX-Request": "true"})],
)
def test_a_304_carries_the_same_vary_etag_and_cache_control_as_its_200(client, url, headers):
    full = client.get(url, headers=headers)
    assert full.status_code == 200
    not_modified = client.get(url, headers={**headers, "If-None-Match": full["ETag"]})
    assert not_modified.status_code == 304, url
    for name in ("Cache-Control", "Vary", "ETag"):
        assert not_modified.get(name) == full.get(name), (url, name)


def test_the_catalogue_304_keeps_its_htmx_vary(client):
    first = client.get("/errors/")
    again = client.get("/errors/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert "HX-History-Restore-Request" in again["Vary"]
    assert "HX-Request" in again["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_pages_that_set_a_cookie_are_private_and_send_no_changing_etag(client, url):
    first = Client().get(url)
    second = Client().get(url)
    assert "csrftoken" in first.cookies  # why it is private
    for response in (first, second):
        assert response["Cache-Control"] == PRIVATE
    # The CSRF token makes each render differ: an ETag would change on every request.
    assert first.get("ETag") is None and second.get("ETag") is None


@pytest.mark.django_db
def test_pages_holding_a_paste_are_private(client):
    page = client.post("/diagnose/", {"envelope": ENVELOPE})
    api = client.post("/api/diagnose/", ENVELOPE, content_type="text/plain")
    for response in (page, api):
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE
        assert "ETag" not in response


@pytest.mark.parametrize("url", ["/no-such-page/", "/errors/1007/?", "/api/nothing/"])
def test_error_answers_are_not_stored(client, url):
    response = client.get(url)
    if response.status_code == 200:  # the query-less twin of a catalogue page
        assert response["Cache-Control"] == REVALIDATE
    else:
        assert response["Cache-Control"] == "no-store"


def test_an_unknown_code_is_revalidated_like_its_page(client):
    response = client.get("/errors/9999/")
    assert response.status_code == 404
    assert response["Cache-Control"] == REVALIDATE


@pytest.mark.django_db
def test_an_oversized_form_post_gets_the_pages_own_413_before_csrf(strict_client, caplog):
    body = {"email": "dev@example.com", "description": "x" * (600 * 1024)}
    response = strict_client.post("/support/new/", body)
    assert response.status_code == 413
    assert "more than this form accepts" in response.content.decode()
    assert response["Cache-Control"] == PRIVATE
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]


def chunked_post(client, body: bytes, *, server_frames_it: bool):
    """A chunked body as a WSGI server hands it over: no Content-Length, de-chunked input."""
    extra = {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": "", "wsgi.input": BytesIO(body)}
    if server_frames_it:
        extra["wsgi.input_terminated"] = True
    return client.generic("POST", "/api/diagnose/", body, "text/plain", **extra)


def test_a_chunked_body_is_read(client):
    response = chunked_post(client, ENVELOPE.encode(), server_frames_it=True)
    assert response.status_code == 200
    assert response.json()["diagnoses"][0]["code"] == 1007


def test_a_chunked_body_past_the_limit_is_413(client):
    response = chunked_post(client, b"x" * (64 * 1024 + 1), server_frames_it=True)
    assert response.status_code == 413
    assert response.json()["findings"][0]["id"] == "input_too_large"


def test_a_chunked_body_the_server_cannot_frame_gets_a_clear_411(client):
    response = chunked_post(client, ENVELOPE.encode(), server_frames_it=False)
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    assert "Content-Length" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_an_oversized_post_to_the_diagnosis_page_gets_its_own_message(strict_client, caplog):
    response = strict_client.post("/diagnose/", {"envelope": "x" * (600 * 1024)})
    assert response.status_code == 413
    assert "64 KiB" in response.content.decode()
    assert not [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]
