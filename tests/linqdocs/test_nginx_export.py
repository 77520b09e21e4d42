"""The README's "Serving the reference as files", run for real: `export_site` writes the site, and
a real nginx with the README's own configuration (only ports, paths and the certificate changed)
serves it over TLS in front of gunicorn. nginx must answer every exported page with Django's bytes
and headers, and hand Django everything that needs it.

A request reached Django when its trace id (nginx's `$request_id`, passed on as X-Trace-ID) is in
gunicorn's log; nginx answered it from a file when it is not.
"""

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.errors.test_export import url_of
from tests.linqdocs.nginx_deployment import (
    COMPRESSED,
    ORIGIN,
    SECURITY_HEADERS,
    Deployment,
    deployed,
)


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    yield from deployed()


# --- What nginx answers from files ----------------------------------------------------------------


def exported_urls(root: Path) -> list[str]:
    return sorted(
        url_of(file, root)
        for file in root.rglob("*")
        if file.is_file()
        and not file.is_relative_to(root / "static")
        and not file.name.endswith(COMPRESSED)
    )


def test_every_exported_page_comes_from_nginx_as_django_serves_it(deployment):
    urls = exported_urls(deployment.root)
    for expected in (
        "/",
        "/errors/",
        "/errors/1007/",
        "/errors/1007.md",
        "/errors/1007.json",
        "/errors/1007/problem.json",
        "/errors/?category=2xxx",
        "/api/errors/",
        "/api/errors/1007/",
        "/api/openapi.json",
        "/guides/",
        "/guides/retries/",
        "/guides/retries.md",
        "/llms.txt",
        "/llms-full.txt",
        "/sitemap.xml",
        "/robots.txt",
        "/feeds/changes.atom",
    ):
        assert expected in urls
    for url in urls:
        served, live = deployment.nginx(url), deployment.django(url)
        assert (served.status, live.status) == (200, 200), url
        assert not deployment.reached_django(served), f"{url} was not answered from its file"
        assert served.body == live.body, url
        assert served.header("Content-Type") == live.header("Content-Type"), url
        assert served.header("Cache-Control") == live.header("Cache-Control"), url
        for name in SECURITY_HEADERS:
            assert served.header(name) == live.header(name), f"{url}: {name}"
        assert live.vary() - {"accept-encoding"} <= served.vary(), url


def test_the_content_types_are_the_ones_tools_expect(deployment):
    expected = {
        "/errors/1007/": "text/html; charset=utf-8",
        "/errors/1007.md": "text/markdown; charset=utf-8",
        "/errors/1007.json": "application/json",
        "/errors/1007/problem.json": "application/problem+json",
        "/api/errors/": "application/json",
        "/llms.txt": "text/plain; charset=utf-8",
        "/sitemap.xml": "application/xml",
    }
    for url, content_type in expected.items():
        assert deployment.nginx(url).header("Content-Type") == content_type, url


def test_pages_go_out_compressed_as_django_compresses_them(deployment):
    page = deployment.root / "errors/index.html"
    for coding, suffix in (("br", ".br"), ("gzip", ".gz")):
        if coding == "br" and not deployment.brotli:
            continue  # gzip only
        served = deployment.nginx("/errors/", **{"Accept-Encoding": coding})
        live = deployment.django("/errors/", **{"Accept-Encoding": coding})
        assert served.header("Content-Encoding") == live.header("Content-Encoding") == coding
        assert served.body == live.body == page.with_name(page.name + suffix).read_bytes()
        assert {"accept-encoding", "hx-request"} <= served.vary()
        assert not deployment.reached_django(served)
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()


def test_static_files_come_from_nginx_fingerprinted_and_compressed(deployment):
    home = deployment.nginx("/").body.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the home page links no fingerprinted stylesheet"
    served = deployment.nginx(stylesheet[1], **{"Accept-Encoding": "gzip"})
    live = deployment.django(stylesheet[1], **{"Accept-Encoding": "gzip"})
    assert served.status == live.status == 200
    assert served.header("Content-Encoding") == live.header("Content-Encoding") == "gzip"
    assert served.body == live.body
    assert served.header("Cache-Control") == "max-age=315360000, public, immutable"
    assert served.header("Content-Security-Policy") == live.header("Content-Security-Policy")
    assert not deployment.reached_django(served)


def test_head_is_answered_from_the_file_with_the_same_headers(deployment):
    full, head = deployment.nginx("/errors/1007.md"), deployment.nginx("/errors/1007.md", "HEAD")
    assert head.status == 200 and head.body == b""
    assert not deployment.reached_django(head)
    for name in ("Content-Type", "Content-Length", "ETag", "Cache-Control", *SECURITY_HEADERS):
        assert head.header(name) == full.header(name), name


def test_a_page_is_revalidated_with_nginx_s_etag(deployment):
    first = deployment.nginx("/errors/1007/")
    etag = first.header("ETag")
    assert etag
    again = deployment.nginx("/errors/1007/", **{"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert again.header("Cache-Control") == "max-age=0, must-revalidate"


# --- What reaches Django --------------------------------------------------------------------------


def test_searches_and_htmx_requests_reach_django(deployment):
    search = deployment.nginx("/errors/?q=webhook")
    assert search.status == 200 and deployment.reached_django(search)
    assert b"webhook" in search.body.lower()
    spaced = deployment.nginx("/errors/?q=rate+limit")
    assert spaced.status == 200 and deployment.reached_django(spaced)
    # A query of pages that was not exported (48 codes fit on one page) has no file either.
    first_page = deployment.nginx("/errors/?page=1")
    assert first_page.status == 200 and deployment.reached_django(first_page)

    fragment = deployment.nginx("/errors/", **{"HX-Request": "true"})
    assert fragment.status == 200 and deployment.reached_django(fragment)
    assert b"<html" not in fragment.body  # the fragment, not the exported page
    assert "hx-request" in fragment.vary()
    filtered = deployment.nginx("/errors/?category=2xxx", **{"HX-Request": "true"})
    assert filtered.status == 200 and deployment.reached_django(filtered)
    assert b"<html" not in filtered.body


def test_an_unknown_code_gets_django_s_helpful_404(deployment):
    answer = deployment.nginx("/errors/9999/")
    assert answer.status == 404 and deployment.reached_django(answer)
    assert b"9999" in answer.body
    for name in SECURITY_HEADERS:
        assert answer.header(name), name


def test_the_export_s_own_file_names_are_not_pages(deployment):
    for path in (
        "/errors/index.html",
        "/errors/1007/index.html",
        "/errors/index@category=2xxx.html",
        "/api/errors/index.json",
        "/errors/1007.md.gz",
        "/errors/index.html.br",
    ):
        answer = deployment.nginx(path)
        assert answer.status == 404 and deployment.reached_django(answer), path


def test_other_methods_and_addresses_reach_django(deployment):
    posted = deployment.nginx("/errors/", method="POST", body=b"")
    assert posted.status == 405 and deployment.reached_django(posted)
    assert "GET" in (posted.header("Allow") or "")
    api = deployment.nginx("/api/errors/", method="POST", body=b"")
    assert api.status == 405 and deployment.reached_django(api)
    assert api.header("Content-Type") == "application/json"  # the API's envelope

    redirect = deployment.nginx("/errors/1007")
    assert redirect.status == 301 and redirect.header("Location") == "/errors/1007/"
    assert deployment.reached_django(redirect)

    health = deployment.nginx("/healthz")
    assert health.status == 200 and deployment.reached_django(health)
    assert b'"status": "ok"' in health.body

    admin = deployment.nginx("/admin/")
    assert admin.status == 302 and deployment.reached_django(admin)
    assert (admin.header("Location") or "").startswith("/admin/login/")

    support = deployment.nginx("/support/new/")
    assert support.status == 200 and deployment.reached_django(support)

    # Plain HTTP is sent to HTTPS.
    insecure = deployment.plain_http("/errors/")
    assert insecure.status == 301 and insecure.header("Location") == f"{ORIGIN}/errors/"


def test_a_diagnosis_is_posted_through_nginx(deployment):
    form = deployment.nginx("/diagnose/")
    assert form.status == 200 and deployment.reached_django(form)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    cookie = re.search(r"(csrftoken=[^;]+)", form.header("Set-Cookie") or "")
    assert token and cookie
    answer = deployment.nginx(
        "/diagnose/",
        method="POST",
        body=urlencode(
            {"csrfmiddlewaretoken": token[1].decode(), "envelope": '{"error": {"code": 1007}}'}
        ).encode(),
        **{
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie[1],
            "Origin": ORIGIN,
            "Referer": f"{ORIGIN}/diagnose/",
        },
    )
    assert answer.status == 200, answer.body[:2000]
    assert deployment.reached_django(answer)
    assert b"/errors/1007/" in answer.body
