"""The static export: every file is the live page, byte for byte, under the same URL."""

import gzip
from pathlib import Path

import brotli
import pytest
from django.core.management import CommandError, call_command

from errors.loading import get_catalogue
from errors.management.commands.export_site import (
    ENCODINGS,
    BrotliCopies,
    file_for,
    linked_pages,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(tmp_path_factory, django_db_blocker):
    target = tmp_path_factory.mktemp("site")
    with django_db_blocker.unblock():
        call_command("export_site", str(target), base_url="https://testserver")
    return target


def url_of(file: Path, root: Path) -> str:
    """The URL a file answers: index files are their folder, a query follows an "@"."""
    relative = "/" + file.relative_to(root).as_posix()
    folder, _, name = relative.rpartition("/")
    for index in ("index.html", "index.json"):
        stem, _, suffix = index.partition(".")
        if name == index:
            return folder + "/"
        if name.startswith(stem + "@") and name.endswith("." + suffix):
            return folder + "/?" + name.removeprefix(stem + "@").removesuffix("." + suffix)
    path, _, query = relative.partition("@")
    return path + (f"?{query}" if query else "")


def exported_pages(root: Path) -> list[Path]:
    """The files that answer a URL: not static files, not the compressed copies beside them."""
    return [
        p
        for p in root.rglob("*")
        if p.is_file()
        and not p.is_relative_to(root / "static")
        and not p.name.endswith(tuple(ENCODINGS.values()))
    ]


def test_every_exported_file_is_the_live_page_byte_for_byte(client, exported):
    pages = exported_pages(exported)
    catalogue = get_catalogue()
    linked_categories = len(catalogue.categories)  # /errors/?category=… from breadcrumbs
    assert len(pages) == 10 + 5 * 48 + 2 * len(catalogue.guides) + linked_categories
    for file in pages:
        url = url_of(file, exported)
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response.content == file.read_bytes(), url


DECOMPRESS = {".br": brotli.decompress, ".gz": gzip.decompress}


def test_every_compressed_copy_is_its_file_compressed(exported):
    copies = 0
    for file in exported_pages(exported):
        for suffix, decompress in DECOMPRESS.items():
            copy = file.with_name(file.name + suffix)
            if copy.exists():
                assert decompress(copy.read_bytes()) == file.read_bytes(), copy
                copies += 1
    assert copies > 2 * 5 * 48  # every code's page, .md, .json, problem.json, API entry


@pytest.mark.parametrize(
    "url",
    ["/errors/", "/errors/1007/", "/errors/1007.md", "/errors/1007/problem.json", "/llms.txt"],
)
def test_the_compressed_copies_are_the_bytes_django_sends(client, exported, url):
    file = exported / file_for(url, "text/html")
    for coding, suffix in ENCODINGS.items():
        response = client.get(url, secure=True, headers={"accept-encoding": coding})
        assert response["Content-Encoding"] == coding
        assert file.with_name(file.name + suffix).read_bytes() == response.content, url


def test_what_django_sends_plain_has_no_compressed_copy(client, exported):
    assert (
        client.get("/robots.txt", headers={"accept-encoding": "br, gzip"}).get("Content-Encoding")
        is None
    )
    assert not (exported / "robots.txt.br").exists()
    assert not (exported / "robots.txt.gz").exists()


def test_a_brotli_copy_that_cannot_be_made_fails_the_export(tmp_path):
    copies = BrotliCopies()
    try:
        copies.add(tmp_path / "page.html")
        (tmp_path / "page.html").write_bytes(b"<p>made</p>" * 100)
        copies.add(tmp_path / "gone.html")  # never written
        with pytest.raises(FileNotFoundError):
            copies.wait()
    finally:
        copies.close()
    assert brotli.decompress((tmp_path / "page.html.br").read_bytes()) == b"<p>made</p>" * 100


def test_a_release_is_exported_into_an_empty_folder(tmp_path):
    (tmp_path / "errors").mkdir()
    (tmp_path / "errors/9999.md").write_text("a code removed since")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_site", str(tmp_path), base_url="https://testserver")


def test_the_export_holds_the_whole_read_only_site(exported):
    for path in (
        "index.html",
        "errors/index.html",
        "errors/1007/index.html",
        "errors/1007.md",
        "errors/1007.json",
        "errors/1007/problem.json",
        "errors/index@category=2xxx.html",
        "guides/index.html",
        "guides/retries/index.html",
        "api/errors/index.json",
        "api/errors/1007/index.json",
        "api/openapi.json",
        "llms.txt",
        "llms-full.txt",
        "sitemap.xml",
        "robots.txt",
        "guides/retries.md",
        "feeds/changes.atom",
        "static/css/site.css",
        "static/favicon.svg",
    ):
        assert (exported / path).is_file(), path
    # Absolute URLs name the public origin given, not the machine that exported.
    assert b"https://testserver/errors/1007/" in (exported / "sitemap.xml").read_bytes()
    assert (
        b'"type": "https://testserver/errors/1007/"'
        in (exported / "errors/1007/problem.json").read_bytes()
    )


def test_a_base_url_must_be_an_origin(tmp_path):
    with pytest.raises(CommandError, match="not an http"):
        call_command("export_site", str(tmp_path), base_url="ftp://example.com")


def test_a_page_with_a_query_is_found_by_its_file_name():
    assert file_for("/errors/?page=2", "text/html; charset=utf-8") == "errors/index@page=2.html"
    assert file_for("/api/errors/?page=2", "application/json") == "api/errors/index@page=2.json"
    assert file_for("/errors/", "text/html") == "errors/index.html"
    assert url_of(Path("/s/errors/index@category=2xxx&page=2.html"), Path("/s")) == (
        "/errors/?category=2xxx&page=2"
    )


def test_only_links_of_pages_and_categories_are_followed():
    pages = {"/errors/", "/api/errors/"}
    body = (
        '<a href="/errors/?page=2">next</a> <a href="/errors/?category=2xxx&amp;page=3">'
        '<a href="/errors/?q=429">search</a> <a href="/errors/?retry=no">filter</a>'
        '<a href="https://elsewhere.example/errors/?page=2">x</a> <a href="/guides/?page=2">g</a>'
        '{"next": "/api/errors/?page=2", "previous": null}'
        '<a href="/errors/?page=%2F..%2Fx">odd</a>'
    )
    assert linked_pages(body, pages) == [
        "/errors/?page=2",
        "/errors/?category=2xxx&page=3",
        "/api/errors/?page=2",
    ]


@pytest.fixture(scope="module")
def exported_at_scale(tmp_path_factory, django_db_blocker):
    """A catalogue of 250 codes: the catalogue and the JSON list have a second and third page."""
    from django.test import override_settings

    from errors import loading, synthetic

    root = tmp_path_factory.mktemp("scale")
    content = synthetic.write_catalogue(root / "content", 250)
    target = root / "site"
    with override_settings(CONTENT_DIR=content, CATALOGUE_CACHE_DIR=""):
        with django_db_blocker.unblock():
            call_command("export_site", str(target), base_url="https://testserver", plain=True)
        yield target, content
    loading._loaded.pop(content, None)


def test_the_pages_a_large_catalogue_links_to_are_exported(client, settings, exported_at_scale):
    target, content = exported_at_scale
    settings.CONTENT_DIR = content
    settings.CATALOGUE_CACHE_DIR = ""
    for name in (
        "errors/index@page=2.html",
        "errors/index@page=3.html",
        "errors/index@category=2xxx.html",
        "api/errors/index@page=2.json",
        "api/errors/index@page=3.json",
    ):
        file = target / name
        assert file.is_file(), name
        response = client.get(url_of(file, target), secure=True)
        assert response.status_code == 200, name
        assert response.content == file.read_bytes(), name
    assert not (target / "errors/index@page=4.html").exists()
