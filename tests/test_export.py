"""The static export: every file is the live page, byte for byte, under the same URL."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from errors.loading import get_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(tmp_path_factory, django_db_blocker):
    target = tmp_path_factory.mktemp("site")
    with django_db_blocker.unblock():
        call_command("export_site", str(target), base_url="https://testserver")
    return target


def url_of(file: Path, root: Path) -> str:
    relative = "/" + file.relative_to(root).as_posix()
    for index in ("index.html", "index.json"):
        if relative.endswith("/" + index):
            return relative.removesuffix(index)
    return relative


def exported_pages(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(root / "static")]


def test_every_exported_file_is_the_live_page_byte_for_byte(client, exported):
    pages = exported_pages(exported)
    assert len(pages) == 10 + 5 * 48 + 2 * len(get_catalogue().guides)
    for file in pages:
        url = url_of(file, exported)
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response.content == file.read_bytes(), url


def test_the_export_holds_the_whole_read_only_site(exported):
    for path in (
        "index.html",
        "errors/index.html",
        "errors/1007/index.html",
        "errors/1007.md",
        "errors/1007.json",
        "errors/1007/problem.json",
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
