"""Search quality, judged on queries a developer would really type."""

import re

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from errors.loading import get_catalogue
from errors.search import Hit, Snippet, _snippet, plain_guidance, search
from errors.searchrequest import Filters, SearchRequest, parse_request


def codes(q: str, **filters) -> list[int]:
    return [hit.entry.code for hit in search(SearchRequest(q=q, filters=Filters(**filters)))]


# (query, the code that must come first, codes that must all be found, codes that must not be)
REALISTIC = [
    ("2004", 2004, {2004}, set()),
    ("1007", 1007, {1007}, {1001}),
    ("  5005 ", 5005, {5005}, set()),
    ("429", 1007, {1007}, {2004}),
    ("Too Many Requests", 1007, {1007}, set()),
    ("too many requests", 1007, {1007}, set()),
    ("unauthorized", 2004, {2004}, set()),
    ("Unauthorised", 2004, {2004}, set()),  # British spelling: one letter off
    ("rate limit", 1007, {1007}, set()),
    ("rate limt", 1007, {1007}, set()),  # typo
    ("ratelimit exceeded", 1007, {1007}, set()),
    ("chat not found", 2001, {2001}, set()),
    ("webhook", None, {2010, 4003}, set()),
    ("webhok", None, {2010, 4003}, set()),  # typo
    ("file too large", 5005, {5005}, set()),
    ("E.164", 1002, {1002}, set()),
    ("phone number format", 1002, {1002}, set()),
    ("bearer token", 2004, {2004}, set()),
    ("presigned url expired", 2003, {2003}, set()),
    ("sandbox recipient", 2008, {2008}, set()),
    ("contact card already exists", 2014, {2014}, set()),
    ("still being created", 2009, {2009}, set()),
    ("Service unavailable", 4004, {4004}, set()),
    ("503", 4004, {4004}, set()),
    ("504", 3005, {3005}, set()),
    ("network timeout", 3005, {3005}, set()),
    ("retry_after", None, {1007}, set()),
    ("jpeg", 5004, {5004}, set()),
    ("how do I fix chat not found", 2001, {2001}, set()),
    ("teh chat is unavailable", 2013, {2013}, set()),
]


@pytest.mark.parametrize(("q", "first", "found", "absent"), REALISTIC)
def test_realistic_queries(q, first, found, absent):
    result = codes(q)
    if first is not None:
        assert result[:1] == [first], result
    assert found <= set(result), result
    assert not absent & set(result), result


def test_prefixes_and_ranges():
    assert codes("20") == [*range(2001, 2020), 2021, 2022]
    assert codes("2xxx") == codes("20")
    assert codes("5") == list(range(5001, 5008))
    assert codes("300") == list(range(3001, 3008))
    assert codes("1xxx")[:1] == [1001]


def test_http_status_finds_every_code_with_it():
    assert set(codes("404")) >= {2001, 2002, 2003, 2007, 2010, 2012, 2019, 2021}
    conflicts = {1006, 2009, 2013, 2014, 2015, 2016, 2017, 2018}
    # Codes answering 409 come first; pages that only mention "409" in passing follow.
    assert set(codes("409")[: len(conflicts)]) == conflicts


def test_ranking_exact_code_then_message_then_troubleshooting_then_guidance():
    hits = search(SearchRequest(q="webhook"))
    fields = [hit.matched_in for hit in hits]
    order = ["message", "HTTP status", "troubleshooting", "guidance"]
    assert fields == sorted(fields, key=order.index)
    assert hits[0].entry.code in (2010, 4003)
    # An exact code beats a word that is also in a message.
    assert codes("2004 unauthorized")[0] == 2004


def test_a_guidance_match_carries_a_snippet_around_the_match():
    hit = next(h for h in search(SearchRequest(q="idempotency")) if h.matched_in == "guidance")
    assert hit.snippet is not None
    assert hit.snippet.match.lower().startswith("idempotency")
    assert hit.snippet.before or hit.snippet.after
    text = hit.snippet.before + hit.snippet.match + hit.snippet.after
    assert text in plain_guidance(hit.entry.guidance_source)


def test_a_snippet_is_plain_text_and_says_where_it_was_cut():
    text = "one two three four five six seven eight nine ten"
    assert _snippet(text, 14, 18, context=5) == Snippet(
        before="three ", match="four", after=" five", cut_before=True, cut_after=True
    )
    whole = _snippet("<b>idempotency</b> keys", 3, 14)
    assert whole == Snippet("<b>", "idempotency", "</b> keys", cut_before=False, cut_after=False)


def test_the_result_row_marks_the_match_and_escapes_the_text():
    entry = get_catalogue().codes[0]
    snippet = Snippet("<script>x</script> & ", "<b>", " keys", cut_before=True, cut_after=False)
    html = render_to_string(
        "errors/_code_row.html", {"entry": entry, "hit": Hit(entry, 10, "guidance", snippet)}
    )
    assert (
        "In the guidance: …&lt;script&gt;x&lt;/script&gt; &amp; <mark>&lt;b&gt;</mark> keys</p>"
        in html
    )
    assert "<script>" not in html and "<b>" not in html


def test_the_search_page_shows_the_marked_snippet(client):
    page = client.get("/errors/", {"q": "idempotency"}).content.decode()
    assert "In the guidance: " in page
    assert re.search(r"<mark>[Ii]dempotency\w*</mark>", page)


def test_nothing_found():
    assert codes("xylophone") == []
    assert codes("xylophone quasar") == []


def test_empty_query_lists_everything_in_order():
    assert len(codes("")) == 48
    assert codes("") == sorted(codes(""))


def test_filters_combine_with_each_other_and_the_query():
    assert set(codes("", categories=("2xxx",), verdicts=("yes",))) == {2007, 2009, 2022}
    assert set(codes("", statuses=(409,), verdicts=("sometimes",))) == {2015}
    assert codes("not found", statuses=(404,), categories=("2xxx",))[0] in (2001, 2002, 2003)
    assert set(codes("", categories=("1xxx", "5xxx"), statuses=(429, 500))) == {
        1007,
        5001,
        5002,
        5003,
    }
    assert codes("webhook", categories=("5xxx",)) == []


def test_parse_request_reads_repeated_and_comma_separated_params():
    params = QueryDict("q=rate&category=1xxx&category=2XXX&retry=yes,no&http=429&http=404")
    wanted = parse_request(params)
    assert wanted.q == "rate"
    assert wanted.filters == Filters(
        categories=("1xxx", "2xxx"), verdicts=("yes", "no"), statuses=(429, 404)
    )
    assert wanted.problems == ()


def test_parse_request_explains_what_it_ignored():
    wanted = parse_request(QueryDict("category=9xxx&retry=maybe&http=abc&http=700"))
    assert wanted.filters == Filters()
    assert len(wanted.problems) == 4
    assert "no category '9xxx'" in wanted.problems[0]
    assert "not 'maybe'" in wanted.problems[1]


def test_very_long_queries_are_cut():
    wanted = parse_request(QueryDict(f"q={'a' * 5000}"))
    assert len(wanted.q) == 200
    assert wanted.problems


def test_a_typo_shows_where_the_word_it_was_taken_for_is():
    """ "attachmnt" is scored by "attachment": the row says it matched in the message, like the
    word spelt right, instead of scanning every field for the typo and naming none."""
    right = {h.entry.code: h.matched_in for h in search(SearchRequest(q="attachment"))}
    typo = {h.entry.code: h.matched_in for h in search(SearchRequest(q="attachmnt"))}
    both = typo.keys() & right.keys()
    assert len(both) >= 5
    assert {code: typo[code] for code in both} == {code: right[code] for code in both}
    assert "message" in typo.values()
