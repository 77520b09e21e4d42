"""Catalogue pages, guides, the JSON API and the files for tools, as browsers and tools see them."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from errors.loading import get_catalogue
from errors.search import search
from errors.searchrequest import Filters, SearchRequest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/errors/", "/errors/1007/", "/errors/5005/", "/guides/", "/guides/retries/"]


@pytest.fixture(autouse=True)
def _no_database_queries():
    """Catalogue, code, guide and search requests never touch the database, except to count a
    search that found nothing (feedback.MissedSearch)."""
    with CaptureQueriesContext(connection) as queries:
        yield
    other = [q["sql"] for q in queries if "feedback_missedsearch" not in q["sql"]]
    other = [sql for sql in other if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert not other, other


def html(response) -> str:
    return response.content.decode()


# --- Pages and fragments -----------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_whole(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert html(response).startswith("<!doctype html>")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Trace-ID"])


def test_the_catalogue_groups_every_code_by_category(client):
    page = html(client.get("/errors/"))
    for category in get_catalogue().categories:
        assert f'id="cat-{category.id}"' in page
        assert category.default_retry_text in page
    for entry in get_catalogue().codes:
        assert f'href="/errors/{entry.code}/"' in page
    assert page.count('class="code-row"') == 48
    assert "48 codes" in page


def test_the_catalogue_form_works_without_javascript(client):
    page = html(client.get("/errors/", {"q": "rate limit"}))
    assert '<form class="search" action="/errors/" method="get"' in page
    assert 'value="rate limit"' in page
    assert page.index('href="/errors/1007/"') < page.index("</ol>")
    assert "matching “rate limit”" in page


def test_an_htmx_search_returns_only_the_results_fragment(client):
    response = client.get("/errors/", {"q": "429"}, headers={"HX-Request": "true"})
    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert re.match(r'\s*<title>[^<]*</title>\s*<div id="results">', page)
    assert 'href="/errors/1007/"' in page
    # The count travels out of band into the status region, which screen readers announce.
    assert re.search(
        r'<span id="results-count" data-hx-swap-oob="true">\d+ codes? matching “429”</span>', page
    )
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client):
    response = client.get(
        "/errors/",
        {"q": "429"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert html(response).startswith("<!doctype html>")


def test_filters_show_as_checked_and_combine(client):
    page = html(client.get("/errors/?category=2xxx&retry=yes&http=409"))
    assert re.search(r'value="2xxx" checked', page)
    assert re.search(r'value="yes" checked', page)
    assert re.search(r'value="409" checked', page)
    assert page.count('class="code-row"') == 1
    assert 'href="/errors/2009/"' in page


def test_the_empty_result_says_so_and_suggests(client):
    page = html(client.get("/errors/", {"q": "xylophone"}))
    assert "No codes match “xylophone”" in page
    assert "?q=429" in page
    assert "/diagnose/" in page


def test_the_empty_result_blames_the_filters_when_they_are_the_cause(client):
    # Words that match somewhere, and a category where they match nothing: chosen from the
    # catalogue, so that rewording a page cannot take the test's premise away.
    catalogue = get_catalogue()
    assert search(SearchRequest(q="webhook"), catalogue)
    empty = [
        c.id
        for c in catalogue.categories
        if not search(SearchRequest(q="webhook", filters=Filters(categories=(c.id,))), catalogue)
    ]
    assert empty, "every category matches 'webhook': pick other words"
    page = html(client.get("/errors/", {"q": "webhook", "category": empty[0]}))
    assert "without the filters" in page
    assert "?q=webhook" in page


def test_a_bad_filter_is_explained_not_fatal(client):
    response = client.get("/errors/", {"category": "9xxx", "http": "abc"})
    assert response.status_code == 200
    assert "There is no category &#x27;9xxx&#x27;" in html(response)


def test_search_text_is_escaped(client):
    page = html(client.get("/errors/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_home_page_offers_search_categories_and_diagnosis(client):
    page = html(client.get("/"))
    assert "data-search-box" in page
    assert 'href="/diagnose/"' in page
    for category in get_catalogue().categories:
        assert f"?category={category.id}" in page


# --- One code ------------------------------------------------------------------------------


def test_a_code_page_has_everything_the_spec_lists(client):
    page = html(client.get("/errors/1007/"))
    assert "Rate limit exceeded" in page
    assert "429</span> Too Many Requests" in page
    assert "1xxx · Client/Request Errors" in page
    assert "No — fix the request" in page  # the category default …
    assert "badge--yes" in page  # … refined by the per-code verdict
    assert "Wait retry_after seconds, then retry." in page
    assert 'See <a href="/guides/rate-limits/">Rate Limits</a>.' in page
    assert '<h2 id="what-triggers-it">' in page
    assert 'id="example-envelope"' in page and '"trace_id"' in page
    assert 'href="/errors/2008/"' in page  # a related code
    assert 'href="/diagnose/"' in page
    assert 'href="/support/new/?code=1007"' in page
    # The pager: the codes before and after this one, both present.
    assert 'href="/errors/1006/" rel="prev"' in page
    assert 'href="/errors/1008/" rel="next"' in page


def test_a_backoff_code_states_the_schedule(client):
    page = html(client.get("/errors/3002/"))
    assert "1, 2, 4, 8, 16, 30 s" in page


def test_previous_and_next(client):
    page = html(client.get("/errors/2019/"))
    assert 'href="/errors/2018/" rel="prev"' in page
    assert 'href="/errors/2021/" rel="next"' in page
    first = html(client.get("/errors/1001/"))
    assert 'rel="prev"' not in first
    assert 'href="/errors/1002/" rel="next"' in first  # the pager is there, with one side
    last_code = get_catalogue().codes[-1]
    last = html(client.get(last_code.url))
    assert 'rel="next"' not in last
    assert 'rel="prev"' in last


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/errors/1009/", "would be a"),
        ("/errors/2020/", "2xxx"),
        ("/errors/9999/", "outside every category"),
        ("/errors/abc/", "Search for the words instead"),
        ("/errors/10070000000/", "Search for the words instead"),
    ],
)
def test_unknown_codes_get_a_helpful_404(client, url, expected):
    response = client.get(url)
    page = html(response)
    assert response.status_code == 404
    assert expected in page
    assert "data-search-box" in page


def test_the_404_for_a_near_miss_lists_the_nearest_codes(client):
    page = html(client.get("/errors/2020/"))
    assert 'href="/errors/2019/"' in page and 'href="/errors/2021/"' in page


def test_an_unknown_guide_is_a_404(client):
    assert client.get("/guides/no-such-guide/").status_code == 404


def test_a_guide_lists_the_codes_that_point_to_it(client):
    page = html(client.get("/guides/rate-limits/"))
    assert 'href="/errors/1007/"' in page
    assert 'class="toc"' in page


# --- Formats for tools ----------------------------------------------------------------------


def test_api_one_code_has_the_spec_shape(client):
    response = client.get("/api/errors/1007/")
    data = response.json()
    assert response["Content-Type"] == "application/json"
    assert data["code"] == 1007
    assert data["message"] == "Rate limit exceeded"
    assert data["http_status"] == 429
    assert data["category"] == {
        "id": "1xxx",
        "name": "Client/Request Errors",
        "default_retry": "no",
    }
    assert data["retry"] == {"verdict": "yes", "advice": "Wait retry_after seconds, then retry."}
    assert data["troubleshooting"] == (
        "Wait for reset or contact support for higher limits. See Rate Limits."
    )
    assert data["url"] == "/errors/1007/"
    assert data["guidance_html"].startswith("<h2")
    assert list(data) == [
        "code", "message", "http_status", "category", "retry", "troubleshooting", "url",
        "guidance_html",
    ]  # fmt: skip


def test_api_catalogue_has_the_spec_shape_and_filters(client):
    data = client.get("/api/errors/").json()
    assert data["count"] == 48 == len(data["errors"])
    assert "guidance_html" not in data["errors"][0]
    filtered = client.get("/api/errors/?retry=sometimes&category=4xxx").json()
    assert [e["code"] for e in filtered["errors"]] == [4002, 4003]
    assert client.get("/api/errors/?q=429").json()["errors"][0]["code"] == 1007
    assert client.get("/api/errors/?http=503").json()["count"] == 1


def test_api_errors_use_the_linq_envelope(client):
    response = client.get("/api/errors/4242/")
    assert response.status_code == 404
    body = response.json()
    assert body["success"] is False
    assert body["error"]["status"] == 404
    assert body["error"]["code"] == "unknown_code"
    assert body["trace_id"] == response["X-Trace-ID"]
    bad = client.get("/api/errors/?category=9xxx")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_filter"


def test_api_unknown_path_uses_the_envelope(client):
    response = client.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_code_as_markdown_json_and_problem_details(client):
    markdown = client.get("/errors/1007.md")
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown.content.decode().startswith("# 1007 — Rate limit exceeded")
    assert client.get("/errors/1007.json").json()["code"] == 1007
    problem = client.get("/errors/1007/problem.json")
    assert problem["Content-Type"] == "application/problem+json"
    assert problem.json() == {
        "type": "http://testserver/errors/1007/",
        "title": "Rate limit exceeded",
        "status": 429,
        "detail": "Wait for reset or contact support for higher limits. See Rate Limits.",
        "code": 1007,
        "category": "1xxx",
        "retry": "yes",
        "retry_advice": "Wait retry_after seconds, then retry.",
    }
    assert client.get("/errors/1009.json").status_code == 404
    assert client.get("/errors/1009.md").status_code == 404


def test_llms_files(client):
    index = client.get("/llms.txt").content.decode()
    assert index.startswith("# linqdocs")
    assert "[1007 Rate limit exceeded](/errors/1007.md)" in index
    full = client.get("/llms-full.txt").content.decode()
    assert full.count("## Example envelope") == 48


def test_robots_names_the_sitemap(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_pages_accept_get_only(client):
    assert client.post("/errors/").status_code == 405


def test_guidance_json_round_trips(client):
    data = client.get("/api/errors/2004/").json()
    assert json.loads(json.dumps(data)) == data


def test_head_is_answered_like_get(client):
    response = client.head("/errors/1007/")
    assert response.status_code == 200
    assert response.content == b""
    assert client.head("/robots.txt").status_code == 200


@pytest.mark.parametrize(
    "url", ["/errors/", "/errors/1007/", "/errors/?q=rate+limit", "/api/errors/"]
)
def test_conditional_get_answers_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304


def test_the_fragment_and_the_page_have_different_etags(client):
    page = client.get("/errors/?q=429")
    fragment = client.get("/errors/?q=429", headers={"HX-Request": "true"})
    assert page["ETag"] != fragment["ETag"]
    revalidated = client.get(
        "/errors/?q=429", headers={"HX-Request": "true", "If-None-Match": page["ETag"]}
    )
    assert revalidated.status_code == 200
    assert "<html" not in revalidated.content.decode()


def test_non_ascii_digits_are_not_codes(client):
    # str.isdigit() accepts 1007 written in Arabic-Indic digits; the catalogue must not.
    arabic_1007 = "\u0661\u0660\u0660\u0667"
    assert client.get(f"/errors/{arabic_1007}/").status_code == 404
    assert client.get(f"/api/errors/{arabic_1007}/").json()["error"]["code"] == "unknown_code"


def test_an_htmx_search_carries_the_new_page_title(client):
    fragment = client.get("/errors/", {"q": "webhook"}, headers={"HX-Request": "true"})
    assert "<title>“webhook” — Error codes · linqdocs</title>" in html(fragment)
    page = client.get("/errors/", {"q": "webhook"})
    assert "<title>“webhook” — Error codes · linqdocs</title>" in html(page)


@pytest.mark.parametrize("url", ["/", "/errors/9999/", "/no-such-page/"])
def test_search_boxes_without_a_results_region_are_plain_forms(client, url):
    # data-hx-target="#results" on a page without #results: an htmx error on every keystroke.
    page = html(client.get(url))
    assert 'action="/errors/" method="get"' in page
    assert "hx-get" not in page
    assert 'id="results"' not in page


def test_filter_options_carry_names_counts_and_the_active_count(client):
    page = html(client.get("/errors/?q=webhook&category=4xxx"))
    assert re.search(r"4xxx Delivery Errors <span [^>]*>\(\d+\)</span>", page)
    assert "· 1 active" in page
    assert '<a href="/errors/?q=webhook">Clear filters</a>' in page
    assert "hx-swap-oob" not in page


def test_the_fragment_updates_the_filter_counts_out_of_band(client):
    response = client.get("/errors/?q=webhook", headers={"HX-Request": "true"})
    page = html(response)
    assert not page.lstrip().startswith("<!doctype")
    assert re.search(r'id="filter-category-1xxx-count" data-hx-swap-oob="true">\(\d+\)<', page)
    assert 'id="filters-active" data-hx-swap-oob="true">· none active<' in page
    assert 'id="filters-clear" data-hx-swap-oob="true"></span>' in page


def test_typing_replaces_the_url_and_only_submits_and_filters_push(client):
    form = html(client.get("/errors/")).split('<form class="search"')[1].split("</form>")[0]
    box_match = re.search(r"<input type=\"search\"[^>]*>", form)
    assert box_match is not None
    box = box_match[0]
    assert 'data-hx-replace-url="true"' in box and 'data-hx-push-url="false"' in box
    assert 'data-hx-trigger="input changed delay:300ms"' in box
    assert re.search(r'data-hx-trigger="submit"[^>]*data-hx-push-url="true"', form, re.S)
    details_match = re.search(r'<details class="filters"[^>]*>', form)
    assert details_match is not None
    details = details_match[0]
    assert 'data-hx-trigger="change"' in details and 'data-hx-push-url="true"' in details
