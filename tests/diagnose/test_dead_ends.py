"""No paste ends in a dead end: words get the codes they match, a gateway's page or a call with no
answer gets transient-failure advice, a legacy V2 error the v3 code it corresponds to; and every
diagnosis offers its fix first and support second, except where only Linq can act."""

import json
import re
from html import unescape

import pytest
from django.test import Client

from diagnose.engine import FINDINGS, diagnose
from diagnose.engine.outside import outside_failure
from diagnose.engine.words import codes_for_words, reads_as_prose
from diagnose.labels import FINDING_LABELS, finding_label
from diagnose.presentation import present_report
from errors.loading import get_catalogue
from feedback import pages
from tests.diagnose.cases import T1, envelope

FREE_TEXT = "messages just dont go out"
WEBHOOK_TEXT = "webhook never arrives"
NGINX_502 = (
    "HTTP/1.1 502 Bad Gateway\nServer: nginx\nContent-Type: text/html\n\n"
    "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway"
    "</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
)
CLOUDFLARE_504 = (
    "HTTP/2 504\ncontent-type: text/html; charset=UTF-8\nserver: cloudflare\n\n"
    "<!DOCTYPE html><html><head><title>api.linqapp.com | 504: Gateway time-out</title></head>"
    "<body>Cloudflare Ray ID: 8a1b2c3d4e5f6a7b</body></html>"
)
HTML_ONLY_503 = "<html><head><title>503 Service Temporarily Unavailable</title></head></html>"
EMPTY_503 = "HTTP/1.1 503 Service Unavailable\nContent-Length: 0\n\n"
CURL_28 = "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received"
CURL_7 = "curl: (7) Failed to connect to api.linqapp.com port 443 after 2 ms: Connection refused"
RESET = (
    "requests.exceptions.ConnectionError: ('Connection aborted.', "
    "ConnectionResetError(104, 'Connection reset by peer'))"
)
V2_PHONE = (
    '{"errors":[{"status":400,"code":"invalid_phone_number","title":"Invalid phone number",'
    '"detail":"Phone number must be in E.164 format"}]}'
)
TRANSIENT = [NGINX_502, CLOUDFLARE_504, HTML_ONLY_503, EMPTY_503, CURL_28, CURL_7, RESET]


# --- Words ----------------------------------------------------------------------------------------


def test_free_text_falls_back_to_the_codes_its_words_match():
    report = diagnose(FREE_TEXT)
    (finding,) = report.findings
    assert (finding.id, finding.level) == ("not_json", "info")  # not a red error: words are fine
    assert report.related is not None
    assert 4001 in [entry.code for entry in report.related][:3]  # "go out": delivery
    data = report.as_dict()
    assert data["related_codes"][0] == {
        "code": report.related[0].code,
        "message": report.related[0].message,
        "url": f"/errors/{report.related[0].code}/",
    }
    view = present_report(report)
    assert view.search is not None and view.search.url == "/errors/?q=messages+just+dont+go+out"
    assert view.support is not None and view.support.url == "/support/new/?from=diagnosis"
    assert view.feedback_page == "diagnosis:words"


def test_free_text_adds_up_scores_without_making_a_row_per_code(rows_made):
    """A common word finds thousands of codes in a large catalogue: only its scores are read,
    never a row (field and snippet) per code, which made a sentence cost 250 ms at 9,000."""
    found = codes_for_words("the recipient could not be reached", get_catalogue())
    assert found and rows_made == []


def test_a_webhook_that_never_arrives_finds_the_webhook_codes():
    codes = [entry.code for entry in codes_for_words(WEBHOOK_TEXT, get_catalogue())]
    assert codes[0] == 4003


def test_words_that_match_no_code_still_get_a_next_step():
    report = diagnose("hello there")
    assert report.related == ()
    assert report.as_dict()["related_codes"] == []
    view = present_report(report)
    assert view.search is not None and view.support is not None


@pytest.mark.parametrize(
    "text", ["2004", "not json {", '{"a": 1}', "x" * 20, "key=value other=thing", "a " * 600]
)
def test_only_a_sentence_reads_as_words(text):
    assert not reads_as_prose(text)
    assert diagnose(text).related is None


def test_the_page_and_the_fragment_show_the_codes_that_match(client):
    for headers in ({}, {"HX-Request": "true"}):
        html = Client().post("/diagnose/", {"envelope": FREE_TEXT}, headers=headers).content
        text = html.decode()
        section = re.search(r'<section class="related-codes".*?</section>', text, re.S)
        assert section is not None
        assert "Codes that match your words" in section[0]
        assert 'href="/errors/4001/"' in section[0]
        assert 'href="/errors/?q=messages+just+dont+go+out"' in section[0]
        assert 'href="/support/new/?from=diagnosis"' in section[0]
        assert ">not_json<" not in text


# --- Gateways, proxies and calls with no answer --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "status"),
    [
        (NGINX_502, "gateway", 502),
        (CLOUDFLARE_504, "gateway", 504),
        (HTML_ONLY_503, "gateway", 503),
        (EMPTY_503, "empty_body", 503),
        (CURL_28, "timeout", None),
        (CURL_7, "connection", None),
        (RESET, "connection", None),
        ("curl: (6) Could not resolve host: api.linqapp.con", "dns", None),
    ],
)
def test_failures_outside_the_api_are_recognised(text, kind, status):
    failure = outside_failure(text)
    assert failure is not None
    assert (failure.kind, failure.http_status) == (kind, status)


@pytest.mark.parametrize(
    "text",
    [
        envelope(code=3002, status=500, message="Server operation failed"),
        "HTTP/1.1 500 Internal Server Error\n\n" + envelope(code=3002, status=500),
        "HTTP/1.1 404 Not Found\n\n<html><title>404</title></html>",
        FREE_TEXT,
        "2004",
    ],
)
def test_linq_s_own_answers_and_other_text_are_not_taken_for_them(text):
    assert outside_failure(text) is None


@pytest.mark.parametrize("text", TRANSIENT)
def test_a_gateway_page_or_a_call_with_no_answer_gets_transient_advice(text):
    report = diagnose(text)
    (first,) = report.findings
    assert first.id in ("gateway_response", "transport_error")
    assert "backoff" in first.message and "idempotency_key" in first.message
    assert "contact support" in first.message
    # Nothing else: no "unknown code", no "code missing", no "not JSON", no "paste the body".
    assert [f.id for d in report.diagnoses for f in d.findings] == []
    assert "paste the" not in first.message.casefold()
    (diagnosis,) = report.diagnoses
    assert diagnosis.retry.verdict == "yes"
    assert diagnosis.retry.schedule_seconds == (1, 2, 4, 8, 16, 30)
    card = present_report(report).diagnoses[0]
    assert card.title_text != "Unknown code" and card.title_text != "No error code"
    assert card.fix is not None and card.fix.url == "/guides/retries/"
    assert card.actions == (card.fix, card.support)  # no share link that would be a 404
    assert present_report(report).feedback_page == "diagnosis:no-answer"
    assert report.diagnosed  # the command line does not call it "nothing could be diagnosed"


def test_a_gateway_page_keeps_its_trace_id_header(client):
    paste = NGINX_502.replace("Server: nginx\n", f"Server: nginx\nX-Trace-ID: {T1}\n")
    card = present_report(diagnose(paste)).diagnoses[0]
    assert card.share is not None and client.get(card.share.url).status_code == 200
    (diagnosis,) = diagnose(paste).diagnoses
    assert diagnosis.trace_id == T1
    assert diagnosis.support_url == f"/support/new/?trace_id={T1}&status=502&failure=gateway"


@pytest.mark.django_db
def test_support_from_a_call_with_no_answer_says_what_happened(client):
    (diagnosis,) = diagnose(CURL_28).diagnoses
    link = present_report(diagnose(CURL_28)).diagnoses[0].support.url
    assert link == "/support/new/?failure=timeout&from=diagnosis"
    assert diagnosis.support_url == "/support/new/?failure=timeout"
    form = client.get(link).context["form"]
    assert form["subject"].value() == "No answer: the call timed out"
    assert form["description"].value().startswith("What happened:\nNo answer: the call timed out.")
    gateway = client.get("/support/new/?status=502&failure=gateway").context["form"]
    assert gateway["subject"].value() == "Answered by a gateway, not by Linq (HTTP 502)"
    # Anything but a known kind is ignored: the link never carries text of its own.
    made_up = client.get("/support/new/?failure=%3Cb%3Ehi%3C/b%3E").context["form"]
    assert not made_up["subject"].value()


def test_a_host_that_does_not_resolve_is_fixed_not_waited_out():
    report = diagnose("curl: (6) Could not resolve host: api.linqapp.con")
    assert report.diagnoses[0].retry.verdict == "no"
    assert "waiting will not fix it" in report.findings[0].message


# --- Legacy V2 ------------------------------------------------------------------------------------


def test_a_legacy_v2_error_corresponds_to_its_v3_code_when_the_message_matches():
    report = diagnose(V2_PHONE)
    assert report.input_kind == "legacy_v2"
    assert [d.code for d in report.diagnoses] == [1002]
    (finding,) = report.findings
    assert finding.id == "legacy_v2_format"
    assert "This legacy error corresponds to 1002" in finding.message
    assert "`invalid_phone_number`" in finding.message
    assert "retired" not in finding.message
    card = present_report(report).diagnoses[0]
    assert (card.fact_text("legacy") or "").startswith("This legacy error corresponds to 1002")
    assert card.fix is not None and card.fix.url == "/errors/1002/#how-to-fix-it"
    assert card.diagnosis.observed["http_status"] == 400


def test_a_legacy_v2_error_without_a_matching_message_stays_unmapped():
    report = diagnose('{"errors": [{"status": 418, "code": "teapot", "title": "I am a teapot"}]}')
    assert report.diagnoses == ()
    assert "not this catalogue's" in report.findings[0].message


# --- Words for finding ids, titles and the order of the actions -----------------------------------


def test_every_finding_id_has_words():
    assert set(FINDINGS) <= set(FINDING_LABELS)
    for finding_id in FINDINGS:
        label = finding_label(finding_id)
        assert "_" not in label and label[0].isupper(), finding_id


def test_a_trace_id_alone_says_trace_id_once():
    card = present_report(diagnose(T1)).diagnoses[0]
    labels = [card.title_text] + [fact.label for fact in card.facts]
    assert sum("trace id" in label.casefold() for label in labels) == 1


@pytest.mark.parametrize(
    ("paste", "first"),
    [
        ("2004", "How to fix 2004"),  # fix the token
        ("1007", "How to fix 1007"),  # wait
        ("4003", "How to fix 4003"),  # the developer's webhook endpoint
        ("3007", "How to fix 3007"),  # waits for the recipient
        ("3001", "Contact support"),  # only Linq can act
        ("3006", "Contact support"),
        ("4001", "Contact support"),
        ("4002", "Contact support"),
        (T1, "Contact support"),  # only support can look a call up
        ("9999", "Contact support"),  # nothing else to offer
    ],
)
def test_the_fix_comes_first_and_support_only_where_only_linq_can_act(paste, first):
    card = present_report(diagnose(paste)).diagnoses[0]
    labels = [link.label for link in card.actions]
    assert labels[0] == first
    assert "Contact support" in labels
    if card.diagnosis.entry is not None:
        assert card.fix is not None
        assert card.fix.url == f"/errors/{card.diagnosis.code}/#how-to-fix-it"
        assert set(labels[:2]) == {card.fix.label, "Contact support"}


def test_the_fix_anchor_is_on_the_code_page(client):
    html = client.get("/errors/2004/").content.decode()
    assert 'id="how-to-fix-it"' in html


def test_the_json_is_unchanged_apart_from_the_words_field(client):
    for paste in (envelope(), T1, NGINX_502, V2_PHONE):
        data = json.loads(client.post("/api/diagnose/", paste, content_type="text/plain").content)
        assert "related_codes" not in data


def test_diagnosis_feedback_keys_name_real_pages():
    for key in ("diagnosis:1007", "diagnosis:words", "diagnosis:no-answer", "diagnosis:trace-id"):
        page = pages.resolve(key)
        assert page is not None and page.url == "/diagnose/"
    assert present_report(diagnose(T1)).feedback_page == "diagnosis:trace-id"
    assert present_report(diagnose(envelope())).feedback_page == "diagnosis:1007"
    assert unescape(pages.title("diagnosis:1007")) == "Diagnosis of 1007 Rate limit exceeded"
