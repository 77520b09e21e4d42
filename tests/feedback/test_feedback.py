"""'Was this helpful?': stored without and with htmx, refused clearly, reported in the admin; and
searches that found nothing, counted for the writers without keeping a secret."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.test.utils import override_settings

from feedback import missed
from feedback.masking import mask
from feedback.models import MissedSearch, Vote
from linqdocs import ratelimit

pytestmark = pytest.mark.django_db
TOKEN = "sk_live_4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the rate limit and the live-search memory live in the cache
    yield
    cache.clear()


def post(client, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/feedback/", data, headers=headers)


# --- Every code page, guide and diagnosis asks ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "key"), [("/errors/1007/", "code:1007"), ("/guides/retries/", "guide:retries")]
)
def test_code_pages_and_guides_ask_with_a_plain_form(client, url, key):
    page = client.get(url).content.decode()
    assert "Was this helpful?" in page
    assert 'method="post" action="/feedback/"' in page
    assert f'name="page" value="{key}"' in page
    assert 'name="helpful" value="yes"' in page and 'name="helpful" value="no"' in page


# --- Without JavaScript: post, redirect, get -----------------------------------------------------


def test_an_answer_is_stored_and_redirects_back_with_thanks(client):
    response = post(client, page="code:1007", helpful="no", comment="Which header holds it?")

    assert response.status_code == 302
    assert response["Location"] == "/errors/1007/?feedback=thanks#feedback"
    vote = Vote.objects.get()
    assert (vote.page, vote.helpful, vote.comment) == ("code:1007", False, "Which header holds it?")
    thanked = client.get("/errors/1007/?feedback=thanks").content.decode()
    assert "Thank you: your answer was saved" in thanked
    assert 'name="helpful"' not in thanked  # no second form to post again


def test_an_answer_without_a_comment_is_fine(client):
    assert post(client, page="guide:retries", helpful="yes").status_code == 302
    assert Vote.objects.get().helpful is True


# --- With htmx: in place --------------------------------------------------------------------------


def test_with_htmx_the_thanks_replaces_the_form(client):
    response = post(client, htmx=True, page="guide:webhooks", helpful="yes")

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="feedback"' in body and "Thank you" in body
    assert Vote.objects.filter(page="guide:webhooks").count() == 1


# --- Refusals keep what was typed ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["code:9999", "guide:nope", "/errors/1007/", "", "diagnosis:x"])
def test_an_unknown_page_is_refused_and_nothing_stored(client, page):
    response = post(client, page=page, helpful="no", comment="kept")
    assert response.status_code == 400
    assert "does not name a page that can be rated" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_missing_answer_or_a_long_comment_is_explained_and_the_comment_kept(client):
    response = post(client, page="code:2004", comment="my words")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose Yes or No." in body
    assert ">my words</textarea>" in body

    response = post(client, htmx=True, page="code:2004", helpful="no", comment="x" * 1001)
    assert response.status_code == 200  # htmx swaps only 2xx: the form comes back in place
    body = response.content.decode()
    assert "Keep the comment under 1,000 characters (it has 1001)" in body
    assert 'role="alert"' in body
    assert not Vote.objects.exists()


@override_settings(FEEDBACK_RATE_LIMIT="2/h")
def test_answers_are_rate_limited_per_client(client):
    assert post(client, page="code:1007", helpful="yes").status_code == 302
    assert post(client, page="code:1007", helpful="yes").status_code == 302

    response = post(client, page="code:1007", helpful="no", comment="third")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "try again in about" in response.content.decode()
    assert ">third</textarea>" in response.content.decode()
    assert Vote.objects.count() == 2


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_failed_save_answers_503_and_keeps_the_comment(client, caplog, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    with mock.patch.object(Vote.objects, "create", side_effect=DatabaseError("disk full")):
        response = client.post(
            "/feedback/",
            {"page": "code:1007", "helpful": "no", "comment": "please keep me"},
            headers=headers,
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert ">please keep me</textarea>" in body  # in the form, to send again
    assert "Comment: please keep me" in body  # and as text to e-mail instead
    assert ("<html" in body) is not htmx
    # The failure is logged (linqdocs.unsaved.keeps_input), what was typed is not.
    assert "storage failed during POST /feedback/" in caplog.text
    assert "please keep me" not in caplog.text


def test_a_failed_rate_limit_count_keeps_the_comment_too(client):
    with mock.patch.object(ratelimit, "hit", side_effect=DatabaseError("cache table locked")):
        response = post(client, page="code:1007", helpful="yes", comment="still here")
    assert response.status_code == 503
    assert ">still here</textarea>" in response.content.decode()


def test_a_form_on_another_site_is_refused(client):
    response = client.post(
        "/feedback/",
        {"page": "code:1007", "helpful": "no"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_only_post_is_answered(client):
    assert client.get("/feedback/").status_code == 405


def test_a_comment_is_masked_before_it_is_stored(client):
    comment = f"my key {TOKEN} and Authorization: Bearer abc.def.ghi, mail me at dev@example.com"
    post(client, page="code:2004", helpful="no", comment=comment)
    stored = Vote.objects.get().comment
    assert TOKEN not in stored and "abc.def.ghi" not in stored and "dev@example.com" not in stored
    assert stored.startswith("my key [REDACTED]")


# --- The admin report ---------------------------------------------------------------------------


def test_the_report_lists_pages_with_the_most_no_first_and_their_comments(admin_client):
    for page, helpful, comment in [
        ("code:1007", True, ""),
        ("code:1007", True, ""),
        ("code:2004", False, "No example for the header"),
        ("code:2004", False, ""),
        ("guide:retries", False, "too long"),
        ("guide:retries", True, ""),
    ]:
        Vote.objects.create(page=page, helpful=helpful, comment=comment)

    response = admin_client.get("/admin/feedback/vote/report/")
    assert response.status_code == 200
    body = response.content.decode()
    order = [body.index(key) for key in ("code:2004", "guide:retries", "code:1007")]
    assert order == sorted(order)
    assert "Guide: Retries and backoff" in body
    assert "No example for the header" in body and "too long" in body
    assert "Report by page" in admin_client.get("/admin/feedback/vote/").content.decode()


def test_the_report_is_for_staff_only(client):
    response = client.get("/admin/feedback/vote/report/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- Searches that found nothing ----------------------------------------------------------------


def test_a_search_that_finds_nothing_is_counted_and_one_that_finds_something_is_not(
    client, admin_client
):
    client.get("/errors/", {"q": "xylophone"})
    client.get("/errors/", {"q": "  XYLOPHONE "})
    client.get("/errors/", {"q": "rate limit"})

    assert list(MissedSearch.objects.values_list("query", "count")) == [("xylophone", 2)]
    listing = admin_client.get("/admin/feedback/missedsearch/").content.decode()
    assert "xylophone" in listing


def test_a_token_typed_into_the_search_box_is_never_stored(client):
    client.get("/errors/", {"q": TOKEN})
    client.get("/errors/", {"q": "Bearer eyJhbGciOi.payload.sig"})
    client.get("/errors/", {"q": "2eff5df5c6f688733c007523c4d61cd9"})

    stored = list(MissedSearch.objects.values_list("query", flat=True))
    assert stored, "the searches were counted"
    for query in stored:
        assert TOKEN.casefold() not in query and "eyjhbgcioi" not in query
        assert "2eff5df5" not in query


def test_a_long_query_is_capped(client):
    client.get("/errors/", {"q": "qwxz " * 60})
    (query,) = MissedSearch.objects.values_list("query", flat=True)
    assert len(query) <= 100


def test_pauses_while_typing_count_once_as_the_person_left_the_search(client):
    live = {"HX-Request": "true", "HX-Trigger": "search-q"}
    for typed in ["xyl", "xylo", "xylophon", "xylophone"]:
        client.get("/errors/", {"q": typed}, headers=live)
    client.get("/errors/", {"q": "qwzx"}, headers=live)  # a new search, not an extension

    assert dict(MissedSearch.objects.values_list("query", "count")) == {"xylophone": 1, "qwzx": 1}


def test_a_failing_counter_never_fails_the_search(client, caplog):
    with mock.patch.object(missed, "record", side_effect=DatabaseError("locked")):
        response = client.get("/errors/", {"q": "xylophone"})
    assert response.status_code == 200
    assert "not counted" in caplog.text


def test_mask_leaves_ordinary_words_and_codes_alone():
    assert mask("rate limit 1007 retry_after webhook E.164") == (
        "rate limit 1007 retry_after webhook E.164"
    )
