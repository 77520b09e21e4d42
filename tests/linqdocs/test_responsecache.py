"""The response cache and compression: a cached answer is the fresh one, byte for byte, with its
own trace id; conditional requests still get 304; only the public reference is compressed."""

import gzip

import brotli
import pytest

from linqdocs.compression import accepted_coding
from linqdocs.responsecache import responses

pytestmark = pytest.mark.django_db

CACHED_URLS = [
    "/",
    "/errors/",
    "/errors/?q=rate+limit",
    "/errors/?category=2xxx&retry=no",
    "/errors/1007/",
    "/errors/9999/",
    "/errors/1007.md",
    "/errors/1007.json",
    "/errors/1007/problem.json",
    "/guides/",
    "/guides/retries/",
    "/api/errors/",
    "/api/errors/?page_size=5&page=2",
    "/api/errors/1007/",
    "/api/openapi.json",
    "/llms.txt",
    "/llms-full.txt",
    "/sitemap.xml",
]
HTMX = {"HX-Request": "true"}


def headers_of(response) -> dict:
    return {name: value for name, value in response.items() if name != "X-Trace-ID"}


@pytest.mark.parametrize("url", CACHED_URLS)
def test_a_cached_response_is_the_fresh_one(client, settings, url):
    settings.RESPONSE_CACHE_BYTES = 0
    fresh = client.get(url)
    settings.RESPONSE_CACHE_BYTES = 32 * 1024 * 1024
    first, second = client.get(url), client.get(url)
    assert len(responses) >= 1
    assert fresh.status_code == first.status_code == second.status_code
    assert fresh.content == first.content == second.content
    assert headers_of(fresh) == headers_of(first) == headers_of(second)
    assert len({fresh["X-Trace-ID"], first["X-Trace-ID"], second["X-Trace-ID"]}) == 3
    assert second["X-Trace-ID"].encode() not in second.content


def test_the_htmx_fragment_and_the_page_are_kept_apart(client):
    page = client.get("/errors/?q=429")
    fragment = client.get("/errors/?q=429", headers=HTMX)
    again = client.get("/errors/?q=429")
    assert page.content == again.content
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert page["ETag"] != fragment["ETag"]
    for response in (page, fragment):
        assert {"HX-Request", "HX-History-Restore-Request", "Accept-Encoding"} <= {
            v.strip() for v in response["Vary"].split(",")
        }


def test_a_page_is_rendered_once(client, monkeypatch):
    from errors import views

    calls = []
    real = views.render

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "render", counting)
    for _ in range(3):
        assert client.get("/errors/1007/").status_code == 200
    assert calls == ["errors/detail.html"]


def test_answers_that_carry_the_trace_id_are_not_kept(client):
    first, second = client.get("/api/errors/4242/"), client.get("/api/errors/4242/")
    assert first.status_code == second.status_code == 404
    assert first.json()["trace_id"] == first["X-Trace-ID"]
    assert second.json()["trace_id"] == second["X-Trace-ID"] != first["X-Trace-ID"]


@pytest.mark.parametrize("url", ["/errors/1007/", "/api/errors/", "/errors/?q=webhook"])
def test_etags_are_stable_and_validate_cached_answers(client, url):
    first, second = client.get(url), client.get(url)
    assert first["ETag"] == second["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    compressed = client.get(url, headers={"Accept-Encoding": "br"})
    assert compressed["ETag"] == "W/" + first["ETag"]
    assert client.get(url, headers={"If-None-Match": compressed["ETag"]}).status_code == 304
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


# --- Compression --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/errors/", "/api/errors/", "/llms-full.txt", "/errors/1007.md"])
def test_public_answers_are_compressed_on_request(client, url):
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br["Vary"]
    assert brotli.decompress(br.content) == plain.content
    assert int(br["Content-Length"]) == len(br.content) < len(plain.content)
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.content) == plain.content


def test_a_refused_coding_is_not_used(client):
    assert client.get("/errors/", headers={"Accept-Encoding": "br;q=0, gzip"})[
        "Content-Encoding"
    ] == ("gzip")
    assert "Content-Encoding" not in client.get("/errors/", headers={"Accept-Encoding": "identity"})


@pytest.mark.parametrize("url", ["/support/new/", "/diagnose/", "/support/new/?code=1007"])
def test_pages_with_a_form_token_are_never_compressed(client, url):
    response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_a_diagnosis_is_never_compressed_or_kept(client):
    body = '{"success": false, "error": {"status": 404, "code": 2001, "message": "Chat not found"}}'
    for _ in range(2):
        response = client.post(
            "/api/diagnose/", body, content_type="text/plain", headers={"Accept-Encoding": "br"}
        )
        assert response.status_code == 200
        assert "Content-Encoding" not in response
    assert len(responses) == 0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, br", "br"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("identity", None),
        ("gzip;q=abc", None),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, expected):
    assert accepted_coding(header) == expected


# --- What a first view loads ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "uses_htmx"),
    [
        ("/errors/", True),
        ("/diagnose/", True),
        ("/", False),
        # "Was this helpful?" answers in place on code pages and guides.
        ("/errors/1007/", True),
        ("/guides/retries/", True),
        ("/support/new/", False),
    ],
)
def test_htmx_loads_only_where_a_page_uses_it(client, url, uses_htmx):
    page = client.get(url).content.decode()
    assert ("htmx" in page and "hx-" in page) == uses_htmx
    assert ('src="/static/django_htmx/htmx' in page) == uses_htmx


@pytest.mark.parametrize(
    ("url", "attaches"),
    [
        ("/errors/", False),
        ("/", False),
        ("/errors/1007/", False),
        ("/guides/retries/", False),
        ("/diagnose/", True),
        ("/support/new/", True),
    ],
)
def test_the_attach_my_paste_script_loads_only_where_a_paste_is_attached(client, url, attaches):
    """It is a diagnosis's and the support form's: the catalogue's first view does without it."""
    page = client.get(url).content.decode()
    assert ('src="/static/js/attach.js"' in page) == attaches
    assert 'src="/static/js/site.js"' in page


@pytest.mark.parametrize(
    ("url", "shows_code"),
    [("/errors/", False), ("/", False), ("/errors/1007/", True), ("/guides/retries/", True)],
)
def test_code_colours_load_only_where_code_is_shown(client, url, shows_code):
    page = client.get(url).content.decode()
    assert ('href="/static/css/code.css"' in page) == shows_code
    assert ('class="highlight"' in page) <= shows_code  # no highlighted code without its colours
