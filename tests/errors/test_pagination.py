"""Pages of the catalogue: the JSON list per SPEC §4, the catalogue page, search "Show all", and a
catalogue of 9,000 codes (the most the content format holds) that loads and passes the checks."""

import re

import pytest
from django.http import QueryDict

from errors import synthetic
from errors.loading import get_catalogue, validate_content
from errors.pagination import PageRequest, page_link, page_of, parse_page
from errors.views import SEARCH_PREVIEW

pytestmark = pytest.mark.django_db

ALL_CODES = [entry.code for entry in get_catalogue().codes]


def rows(response) -> int:
    return response.content.decode().count('class="code-row"')


# --- The module ---------------------------------------------------------------------------------


def test_page_request_reads_and_explains():
    assert parse_page(QueryDict("")) == PageRequest(1, 100)
    assert parse_page(QueryDict("page=3&page_size=500")) == PageRequest(3, 500)
    bad = ("page=0", "page=-1", "page=x", "page=1.5", "page=", "page_size=0", "page_size=501")
    for query in bad:
        assert parse_page(QueryDict(query)).problems, query


def test_pages_slice_and_count():
    page = page_of(list(range(25)), PageRequest(3, 10))
    assert page is not None
    assert page.items == [20, 21, 22, 23, 24]
    assert (page.pages, page.first_index, page.last_index) == (3, 21, 25)
    assert page.has_previous and not page.has_next
    assert page_of(list(range(25)), PageRequest(4, 10)) is None
    empty = page_of([], PageRequest(1, 10))
    assert empty is not None
    assert empty.items == [] and empty.pages == 1 and not empty.has_next


def test_links_keep_the_filters_and_drop_page_one():
    params = QueryDict("category=2xxx&retry=no&page=3&page_size=5")
    assert page_link("/errors/", params, 4) == "/errors/?category=2xxx&retry=no&page=4&page_size=5"
    assert page_link("/errors/", params, 1) == "/errors/?category=2xxx&retry=no&page_size=5"
    assert page_link("/errors/", QueryDict("page=2"), 1) == "/errors/"


# --- JSON ---------------------------------------------------------------------------------------


def test_the_json_list_has_the_spec_shape_on_one_page(client):
    data = client.get("/api/errors/").json()
    assert list(data) == ["count", "next", "previous", "errors"]
    assert data["count"] == 48 == len(data["errors"])
    assert data["next"] is None and data["previous"] is None


def test_following_next_walks_every_code_once_in_order(client):
    url, seen, pages = "/api/errors/?page_size=7", [], 0
    while url:
        data = client.get(url).json()
        assert data["count"] == 48
        seen += [e["code"] for e in data["errors"]]
        url, pages = data["next"], pages + 1
    assert seen == ALL_CODES
    assert pages == 7


def test_next_and_previous_keep_the_filters(client):
    data = client.get("/api/errors/?category=2xxx&page_size=5&page=2").json()
    assert data["count"] == 21
    assert [e["code"] for e in data["errors"]] == [2006, 2007, 2008, 2009, 2010]
    assert data["next"] == "/api/errors/?category=2xxx&page_size=5&page=3"
    assert data["previous"] == "/api/errors/?category=2xxx&page_size=5"
    last = client.get("/api/errors/?category=2xxx&page_size=5&page=5").json()
    assert [e["code"] for e in last["errors"]] == [2022]
    assert last["next"] is None


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "page=-2", "page_size=0", "page_size=501", "page_size=ten", "page=2"],
)
def test_bad_page_values_get_the_400_envelope(client, query):
    response = client.get(f"/api/errors/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "invalid_page"
    assert body["error"]["message"]
    assert body["trace_id"] == response["X-Trace-ID"]


def test_the_largest_page_size_is_accepted(client):
    assert len(client.get("/api/errors/?page_size=500").json()["errors"]) == 48


def test_the_openapi_document_describes_the_pages(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/errors/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 100,
    }
    schemas = spec["components"]["schemas"]

    def resolved(schema: dict) -> dict:
        return schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema

    schema = resolved(operation["responses"]["200"]["content"]["application/json"]["schema"])
    produced = client.get("/api/errors/?page_size=2").json()
    assert set(schema["required"]) == set(produced) == set(schema["properties"])
    assert "null" in resolved(schema["properties"]["next"])["type"]


# --- The catalogue page -------------------------------------------------------------------------


def test_everything_fits_so_the_catalogue_has_no_pager(client):
    page = client.get("/errors/").content.decode()
    assert 'class="pager"' not in page
    assert "Show all" not in page


def test_a_smaller_page_shows_a_pager_with_neighbours(client):
    response = client.get("/errors/?category=2xxx&page_size=10&page=2")
    page = response.content.decode()
    assert rows(response) == 10
    assert 'rel="prev" href="/errors/?category=2xxx&amp;page_size=10"' in page
    assert 'rel="next" href="/errors/?category=2xxx&amp;page_size=10&amp;page=3"' in page
    assert "Codes 11\N{EN DASH}20 of 21 · page 2 of 3" in page
    assert "21 codes" in page  # the count is of every page


def test_a_bad_page_on_the_catalogue_is_explained_not_fatal(client):
    response = client.get("/errors/?page=zero")
    assert response.status_code == 200
    assert "page must be a whole number" in response.content.decode()
    past = client.get("/errors/?page=9&page_size=10")
    assert past.status_code == 200
    assert "There is no page 9; this is the last one, page 5." in past.content.decode()
    assert rows(past) == 8


# --- At scale -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_content(tmp_path_factory):
    return synthetic.write_catalogue(tmp_path_factory.mktemp("content"), 9000)


@pytest.fixture
def large(settings, large_content):
    settings.CONTENT_DIR = large_content
    return get_catalogue()


def test_the_synthetic_catalogue_of_9000_codes_passes_the_checks(large, large_content):
    assert len(large.codes) == 9000
    assert len(large.categories) == 9
    assert all(len(large.in_category(c)) == 1000 for c in large.categories)
    assert validate_content(large_content) == []
    assert large.get(1007).message == "Rate limit exceeded"
    assert len({entry.message for entry in large.codes}) > 8000


def test_the_large_catalogue_is_paged_by_category(client, large):
    response = client.get("/errors/")
    page = response.content.decode()
    assert rows(response) == 100
    assert "9000 codes" in page
    assert "Codes 1\N{EN DASH}100 of 9000 · page 1 of 90" in page
    assert 'id="cat-1xxx"' in page and 'id="cat-2xxx"' not in page
    last = client.get("/errors/?page=90").content.decode()
    assert 'id="cat-9xxx"' in last and 'href="/errors/9999/"' in last


def test_a_large_search_shows_its_best_matches_and_offers_all(client, large):
    response = client.get("/errors/", {"q": "webhook"})
    page = response.content.decode()
    assert rows(response) == SEARCH_PREVIEW
    found = re.search(r"(\d+) codes matching", page)
    assert found is not None
    count = int(found[1])
    assert count > 500
    assert f'<a href="/errors/?q=webhook&amp;all=1">Show all {count} matching codes</a>' in page
    fragment = client.get("/errors/", {"q": "webhook"}, headers={"HX-Request": "true"})
    assert rows(fragment) == SEARCH_PREVIEW
    everything = client.get("/errors/", {"q": "webhook", "all": "1", "page": "2"})
    assert rows(everything) == 100
    assert f"Codes 101\N{EN DASH}200 of {count}" in everything.content.decode()


def test_the_large_json_list_is_paged(client, large):
    data = client.get("/api/errors/").json()
    assert data["count"] == 9000
    assert len(data["errors"]) == 100
    assert data["next"] == "/api/errors/?page=2"
    last = client.get("/api/errors/?page=18&page_size=500").json()
    assert last["errors"][-1]["code"] == 9999 and last["next"] is None
