"""RESPONSE_CACHE=shared: rendered responses kept in Django's cache, for every worker and host.

Run against real Django cache backends: local memory, and the database table a deploy without
Redis uses. A second worker is played by forgetting everything held in this process's memory.
"""

import pytest
from django.core.cache import caches
from django.core.management import call_command

from errors import views
from linqdocs import responsecache
from linqdocs.responsecache import SharedResponseCache, responses, shared

pytestmark = pytest.mark.django_db

BACKENDS = {
    "locmem": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared-responses",
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "linqdocs_shared_responses",
    },
}


@pytest.fixture(params=sorted(BACKENDS))
def shared_cache(request, settings):
    settings.CACHES = {"default": BACKENDS[request.param]}
    if request.param == "database":
        call_command("createcachetable", verbosity=0)
    settings.RESPONSE_CACHE = "shared"
    caches["default"].clear()
    yield caches["default"]
    shared.clear()


@pytest.fixture
def renders(monkeypatch):
    made = []
    real = views.render

    def counting(*args, **kwargs):
        made.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "render", counting)
    return made


def test_a_page_is_rendered_once_for_every_worker(client, shared_cache, renders):
    first = client.get("/errors/1007/")
    responses.clear()  # nothing of it in this process's memory: another worker
    second = client.get("/errors/1007/")
    assert len(renders) == 1
    assert len(responses) == 0
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["X-Trace-ID"] != second["X-Trace-ID"]
    key_names = [name for name in shared._written]
    assert key_names and all(shared_cache.get(name) is not None for name in key_names)


def test_a_compressed_form_is_shared_too(client, shared_cache, monkeypatch):
    client.get("/errors/", headers={"Accept-Encoding": "br"})
    encodings = []
    real = responsecache.encode

    def counting(body, coding):
        encodings.append(coding)
        return real(body, coding)

    monkeypatch.setattr(responsecache, "encode", counting)
    again = client.get("/errors/", headers={"Accept-Encoding": "br"})
    assert again["Content-Encoding"] == "br"
    assert encodings == []  # the first request's Brotli body came from the shared cache


def test_memory_stays_the_default(client, settings, renders):
    assert settings.RESPONSE_CACHE == "memory"
    client.get("/errors/1007/")
    client.get("/errors/1007/")
    assert len(renders) == 1 and len(responses) >= 1 and len(shared) == 0


def test_a_response_over_the_budget_is_not_shared(client, shared_cache, settings, renders):
    settings.RESPONSE_CACHE_BYTES = 1000
    client.get("/errors/1007/")
    client.get("/errors/1007/")
    assert len(renders) == 2 and len(shared) == 0


def test_a_failing_cache_only_costs_the_rendering(client, settings, renders, monkeypatch):
    settings.RESPONSE_CACHE = "shared"

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache server went away")

        set = get

    monkeypatch.setattr(responsecache, "caches", {"default": Down()})
    first, second = client.get("/errors/1007/"), client.get("/errors/1007/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(renders) == 2


def test_keys_name_the_content_version_and_the_request():
    one = SharedResponseCache.name(("v1|page", "https", "example.com", "/errors/"))
    other = SharedResponseCache.name(("v2|page", "https", "example.com", "/errors/"))
    assert one != other and one.startswith("response:")
