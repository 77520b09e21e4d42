"""Snapshots of the loaded catalogue: written once per content version, read back whole, never
trusted for another version, and never needed for correctness."""

import os
import shutil

import pytest

from errors import loading as module
from errors import search, snapshots, startup
from errors.catalogue import Catalogue, ErrorCode
from errors.loading import load_catalogue


def entry(catalogue: Catalogue, code: int) -> ErrorCode:
    found = catalogue.get(code)
    assert found is not None
    return found


@pytest.fixture
def content(tmp_path, settings):
    folder = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, folder)
    settings.CATALOGUE_CACHE_DIR = str(tmp_path / "cache")
    settings.CONTENT_DIR = folder
    return folder


def test_a_prepared_catalogue_is_read_back_with_its_indexes(content, monkeypatch):
    prepared = startup.prepare()
    assert "search" in prepared.derived and "messages" in prepared.derived
    assert len(list((content.parent / "cache").glob("catalogue-*.pickle"))) == 1

    def no_parsing(*args):
        raise AssertionError("the content was parsed again")

    monkeypatch.setattr(module, "_collect", no_parsing)
    again = load_catalogue(content)
    assert again is not prepared
    assert again.digest == prepared.digest and again.digest
    assert [e.code for e in again.codes] == [e.code for e in prepared.codes]
    assert entry(again, 1007).guidance.html == entry(prepared, 1007).guidance.html
    assert search.index_for(again) is again.derived["search"]
    hits = search.SearchRequest(q="rate limit")
    assert [h.entry.code for h in search.search(hits, again)][:3] == [
        h.entry.code for h in search.search(hits, prepared)
    ][:3]


def test_a_changed_file_is_a_new_version(content):
    first = startup.prepare()
    path = content / "codes" / "1007.md"
    path.write_text(path.read_text().replace("Linq counts your calls", "Linq counts calls"))
    os.utime(path, ns=(1, 1))
    module._loaded.pop(content, None)
    second = load_catalogue(content)
    assert second.snapshot_key != first.snapshot_key
    assert second.digest != first.digest
    assert "Linq counts calls" in entry(second, 1007).guidance_source


def test_a_damaged_snapshot_is_ignored(content):
    key = snapshots.key(content)
    cache = content.parent / "cache"
    cache.mkdir()
    (cache / f"catalogue-{key}.pickle").write_bytes(b"not a pickle")
    assert entry(load_catalogue(content), 1007).message == "Rate limit exceeded"


def test_snapshots_can_be_turned_off(content, settings):
    settings.CATALOGUE_CACHE_DIR = ""
    startup.prepare()
    assert not (content.parent / "cache").exists()
