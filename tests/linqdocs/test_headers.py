"""Security headers and the Content-Security-Policy on every response, conditional GETs and Vary."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.linqdocs.production import (
    PASTE,
    assert_security_headers,
)

# --- Headers and the Content-Security-Policy ---------------------------------------------------


HEADER_PAGES = [
    "/",
    "/errors/",
    "/errors/?q=rate+limit",
    "/errors/1007/",
    "/errors/9999/",
    "/guides/retries/",
    "/api/errors/",
    "/api/errors/1007/",
    "/api/nope/",
    "/nope/",
    "/healthz",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HEADER_PAGES)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert_security_headers(response)


def test_security_headers_on_a_304(client):
    first = client.get("/errors/1007/")
    not_modified = client.get("/errors/1007/", headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert_security_headers(not_modified)


def test_hsts_on_https_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    assert client.get("/robots.txt", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/robots.txt")  # never over plain HTTP


class _InlineCode(HTMLParser):
    """Collects everything in a page that a strict CSP (no unsafe-inline, no unsafe-eval) blocks."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self.htmx_config: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.blocked.append(f"event handler {name}=")
            if name == "style":
                self.blocked.append(f"style= on <{tag}>")
            if name.startswith(("hx-on", "data-hx-on")):
                self.blocked.append(f"{name} (htmx evaluates it)")
            if name in {"hx-trigger", "data-hx-trigger"} and "[" in value:
                self.blocked.append(f"hx-trigger filter {value!r} (htmx evaluates it)")
            if name in {
                "hx-vals",
                "hx-vars",
                "data-hx-vals",
                "data-hx-vars",
            } and value.lstrip().startswith(("js:", "javascript:")):
                self.blocked.append(f"{name} with JavaScript")
            if name in {"href", "src", "action"} and value.lower().startswith("javascript:"):
                self.blocked.append(f"javascript: URL in {name}")
            external = value.startswith(("http://", "https://", "//"))
            if name in {"src", "href"} and external and tag in {"script", "link", "img", "iframe"}:
                self.blocked.append(f"<{tag}> from another origin: {value}")
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.htmx_config = json.loads(attributes["content"])


STRICT_PAGES = [
    ("get", "/", {}),
    ("get", "/errors/", {}),
    ("get", "/errors/?q=rate+limit&retry=yes", {}),
    ("get", "/errors/1007/", {}),
    ("get", "/errors/9999/", {}),
    ("get", "/guides/", {}),
    ("get", "/guides/webhooks/", {}),
    ("get", "/diagnose/", {}),
    ("post", "/diagnose/", {"envelope": PASTE}),
    ("get", "/support/new/?code=1007&trace_id=2eff5df5c6f688733c007523c4d61cd9", {}),
    ("get", "/nope/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), STRICT_PAGES)
def test_pages_hold_under_the_strict_csp(client, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code < 500
    if not response["Content-Type"].startswith("text/html"):
        return
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []
    if "<html" in response.content.decode():
        # htmx itself must never need 'unsafe-eval' or inline styles, nor keep pastes in storage.
        assert parser.htmx_config is not None
        assert parser.htmx_config["allowEval"] is False
        assert parser.htmx_config["allowScriptTags"] is False
        assert parser.htmx_config["includeIndicatorStyles"] is False
        assert parser.htmx_config["historyCacheSize"] == 0


def test_htmx_fragments_hold_under_the_strict_csp(client):
    response = client.get("/errors/", {"q": "429"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []


# --- Conditional GET and Vary ------------------------------------------------------------------

CATALOGUE_PAGES = ["/", "/errors/", "/errors/1007/", "/errors/?q=rate+limit", "/guides/retries/"]


@pytest.mark.parametrize("url", CATALOGUE_PAGES)
def test_a_conditional_get_of_a_catalogue_page_gets_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]

    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]

    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304

    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_the_fragment_does_not_match_the_pages_etag(client):
    page = client.get("/errors/", {"q": "429"})
    fragment = client.get(
        "/errors/", {"q": "429"}, headers={"HX-Request": "true", "If-None-Match": page["ETag"]}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()


VARY_PAGES = [
    "/",
    "/errors/",
    "/errors/?q=429",
    "/errors/1007/",
    "/guides/",
    "/diagnose/",
    "/support/new/",
]
# Per-render tokens (CSRF, a form's double-submit token) differ on every render by design.
PER_RENDER_TOKEN = re.compile(r'(<input type="hidden"[^>]*? value=|"X-CSRFToken": ?)"[^"]*"')


@pytest.mark.django_db
@pytest.mark.parametrize("url", VARY_PAGES)
def test_vary_hx_request_wherever_htmx_gets_a_different_answer(client, url):
    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    differs = PER_RENDER_TOKEN.sub("", page.content.decode()) != PER_RENDER_TOKEN.sub(
        "", fragment.content.decode()
    )
    if differs:
        for response in (page, fragment):
            assert "HX-Request" in response.get("Vary", ""), url
    if url.startswith("/errors/?"):
        assert differs  # the search is where it must differ; the check above is not vacuous
