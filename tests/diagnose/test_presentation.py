"""One presentation of a diagnosis: the page, the htmx fragment and the terminal show the same
facts, under the same labels, in the same order, because all three render diagnose.presentation."""

import contextlib
import io
import re
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from diagnose.engine import INPUT_KINDS, diagnose, shared_diagnosis
from diagnose.labels import finding_label
from diagnose.presentation import (
    CHANGE,
    DOCUMENTED,
    HTTP_STATUS,
    KIND_LABELS,
    MESSAGE,
    RETRY,
    TRACE_ID,
    present_diagnosis,
    present_report,
    segments,
)
from tests.diagnose.cases import CASES, NOW, T1, envelope

CURL_429 = (
    "HTTP/1.1 429 Too Many Requests\n"
    "Date: Tue, 03 Nov 2026 14:02:37 GMT\n"
    "Retry-After: 30\n\n" + envelope(retry_after=30)
)


def terminal(paste: str) -> str:
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO(), "no_color": True}
    # Exit status 2 when nothing was diagnosed: the text is written all the same.
    with contextlib.suppress(CommandError):
        call_command("diagnose", stdin=io.StringIO(paste), **options)
    return out.getvalue()


def page_text(paste: str, headers: dict[str, str] | None = None) -> str:
    html = Client(headers=headers).post("/diagnose/", {"envelope": paste}).content.decode()
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_facts_of_a_known_code_in_order():
    card = present_report(diagnose(CURL_429, now=NOW)).diagnoses[0]
    assert [f.key for f in card.facts] == [DOCUMENTED, HTTP_STATUS, RETRY, TRACE_ID, CHANGE]
    assert [f.label for f in card.facts] == [
        "Documented",
        "HTTP status seen",
        "Retry?",
        "Trace id",
        "What to change",
    ]
    assert card.fact_text(RETRY) == "Retry after 30 s, at 14:03:07 UTC."
    assert card.retry_note == "Counted from the response's `Date` header."
    assert (card.title_code, card.title_text) == (1007, "Rate limit exceeded")
    assert card.read is not None and card.read.url == "/errors/1007/"
    assert card.share is not None and card.share.url.startswith(
        "/diagnose/shared/?code=1007&status=429"
    )


def test_a_message_seen_only_when_it_differs():
    same = present_diagnosis(diagnose(envelope(), now=NOW).diagnoses[0])
    other = present_diagnosis(diagnose(envelope(message="Slow down"), now=NOW).diagnoses[0])
    assert same.fact_text(MESSAGE) is None
    assert other.fact_text(MESSAGE) == "Slow down"


def test_a_trace_id_alone_has_no_retry_fact():
    card = present_report(diagnose(T1, now=NOW)).diagnoses[0]
    assert [f.key for f in card.facts] == [TRACE_ID]
    # The fact is labelled "Trace id"; a title saying it again was read out twice.
    assert (card.title_code, card.title_text) == (None, "A call only support can look up")
    assert card.support_first and card.actions[0] == card.support  # only support can look it up


def test_a_shared_diagnosis_has_no_share_link_and_says_none_plainly():
    diagnosis = shared_diagnosis({"code": "2004"})
    assert diagnosis is not None
    card = present_diagnosis(diagnosis, shared=True)
    assert card.share is None
    assert card.fact_text(TRACE_ID) == "none"


def test_report_counts_and_advice():
    batch = present_report(diagnose(CASES["NDJSON"].paste, now=NOW))
    # Three errors, two of them alike but for their trace ids: one card for those two.
    assert batch.count_note == "(3, 2 distinct)" and batch.groups and batch.advice is None
    assert [card.diagnosis.count for card in batch.diagnoses] == [2, 1]
    code = present_report(diagnose("2004", now=NOW))
    assert code.count_note == "" and not code.groups
    assert code.advice is not None and code.advice.startswith(
        "This is what the code means in general."
    )


def test_every_input_kind_has_a_label():
    assert set(KIND_LABELS) == set(INPUT_KINDS)


def test_segments():
    assert segments("Read `error.code` first") == [
        (False, "Read "),
        (True, "error.code"),
        (False, " first"),
    ]
    assert segments("an `unpaired backtick") == [(False, "an `unpaired backtick")]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_page_fragment_and_terminal_show_the_same_facts_in_the_same_order(case):
    view = present_report(diagnose(case.paste))
    outputs = {
        "page": page_text(case.paste),
        "fragment": page_text(case.paste, {"HX-Request": "true"}),
        "terminal": terminal(case.paste),
    }
    for name, text in outputs.items():
        assert view.kind_label in text, name
        position = 0
        for card in view.diagnoses:
            for fact in card.facts:
                found = text.find(fact.label, position)
                assert found >= 0, (name, fact.label)
                position = found + len(fact.label)
            for _, findings in card.findings_by_level:
                for finding in findings:
                    assert finding_label(finding.id) in text, (name, finding.id)
