"""The checks on one error (diagnose/engine/rules.py): plain functions of what was pasted that
return their findings and leave their input as it was."""

import copy
from datetime import UTC, datetime

import pytest

from diagnose.engine.jsonscan import find_json_values
from diagnose.engine.rules import (
    code_rule,
    doc_url_rule,
    envelope_rule,
    message_rule,
    retry_after_rule,
    status_rule,
    trace_rule,
)
from diagnose.engine.shapes import ErrorItem, PastedResponse, Signals, http_responses, walk
from errors.loading import get_catalogue
from tests.conftest import entry_for
from tests.diagnose.cases import CASES, T1, T2

NOW = datetime(2026, 11, 3, 14, 2, 37, tzinfo=UTC)


def item(error: dict, source: str = "envelope", **wrapper: object) -> ErrorItem:
    return ErrorItem(source, error, 0, wrapper={"success": False, **wrapper})


def ids(findings) -> list[str]:
    return [f.id for f in findings]


def test_a_missing_code_is_taken_from_a_documented_message():
    reading = code_rule(item({"message": "Rate limit exceeded"}), get_catalogue())
    assert (reading.code, reading.via_message) == (1007, True)
    assert reading.entry is entry_for(1007)
    assert ids(reading.findings) == ["code_missing"]
    assert "diagnosed below as that" in reading.findings[0].message


def test_a_missing_code_with_a_status_names_the_codes_of_that_status():
    reading = code_rule(item({"status": 429}), get_catalogue())
    assert (reading.code, reading.via_message) == (None, False)
    assert "HTTP 429 is documented for 1007" in reading.findings[0].message


def test_a_string_code_is_read_and_reported():
    reading = code_rule(item({"code": "2004"}), get_catalogue())
    assert reading.code == 2004 and ids(reading.findings) == ["code_not_integer"]


def test_an_unknown_code_names_its_category_or_the_range():
    in_range = code_rule(item({"code": 1999}), get_catalogue())
    assert ids(in_range.findings) == ["unknown_code"]
    assert in_range.category is not None and in_range.category.id == "1xxx"
    outside = code_rule(item({"code": 429}), get_catalogue())
    assert "they run from 1000 to 5999" in outside.findings[0].message
    assert "429 looks like an HTTP status" in outside.findings[0].message


def test_envelope_rule():
    assert ids(envelope_rule(ErrorItem("envelope", {}, 0, wrapper={}))) == ["success_flag_missing"]
    assert ids(envelope_rule(item({}, success=True))) == ["success_flag_not_false"]
    assert ids(envelope_rule(item({}))) == []
    assert ids(envelope_rule(ErrorItem("error_object", {}, 0))) == ["error_object_only"]
    assert ids(envelope_rule(ErrorItem("webhook", {}, 0))) == []


def test_status_rule_compares_body_and_status_line_with_the_documented_status():
    entry = entry_for(1007)
    response = PastedResponse(502, {}, 0, 0, 0)
    both = ErrorItem("envelope", {"status": "500"}, 0, http=response)
    assert ids(status_rule(both, entry)) == ["status_mismatch", "http_status_mismatch"]
    assert ids(status_rule(item({"status": 429}), entry)) == []
    assert ids(status_rule(item({"status": 500}), None)) == []  # nothing documented to compare


def test_message_rule_is_silent_when_the_code_came_from_the_message():
    entry = entry_for(1007)
    catalogue = get_catalogue()
    assert ids(message_rule(item({"message": "Slow down"}), entry, False, catalogue)) == [
        "message_mismatch"
    ]
    assert ids(message_rule(item({"message": "Slow down"}), entry, True, catalogue)) == []
    assert (
        ids(message_rule(item({"message": "rate limit exceeded."}), entry, False, catalogue)) == []
    )


def test_retry_after_rule_reads_the_longer_wait_and_checks_both_sources():
    response = PastedResponse(429, {"retry-after": "60"}, 0, 0, 0)
    error = {"code": 1007, "status": 429, "retry_after": 30}
    reading = retry_after_rule(
        ErrorItem("envelope", error, 0, http=response), 1007, entry_for(1007), NOW
    )
    assert reading.seconds == 60
    assert ids(reading.findings) == ["retry_after_header_mismatch"]
    missing = retry_after_rule(item({"code": 1007}), 1007, entry_for(1007), NOW)
    assert (missing.seconds, ids(missing.findings)) == (None, ["retry_after_missing"])
    unexpected = retry_after_rule(item({"retry_after": -1}), 2004, entry_for(2004), NOW)
    assert ids(unexpected.findings) == ["retry_after_invalid", "retry_after_unexpected"]


def test_trace_rule_prefers_the_body_and_reports_a_misplaced_or_malformed_id():
    response = PastedResponse(429, {"x-trace-id": T2}, 0, 0, 0)
    reading = trace_rule(ErrorItem("envelope", {}, 0, wrapper={"trace_id": T1}, http=response))
    assert (reading.trace_id, reading.findings) == (T1, ())
    inside = trace_rule(ErrorItem("envelope", {"trace_id": "abc"}, 0, wrapper={}))
    assert inside.trace_id is None
    assert ids(inside.findings) == ["trace_id_misplaced", "trace_id_malformed"]
    assert ids(trace_rule(ErrorItem("webhook", {}, 0)).findings) == ["trace_id_missing"]
    assert trace_rule(ErrorItem("loose", {}, 0)).findings == ()


def test_doc_url_rule():
    url = "https://docs.linqapp.com/error/codes/2xxx/2004/"
    assert ids(doc_url_rule(item({"doc_url": url}), 1007)) == ["doc_url_mismatch"]
    assert ids(doc_url_rule(item({"doc_url": url}), 2004)) == []
    assert ids(doc_url_rule(item({"doc_url": url}), None)) == []


def items_of(paste: str) -> list[ErrorItem]:
    signals = Signals()
    responses: list[PastedResponse | None] = [*http_responses(paste)] or [None]
    for response in responses:
        start, stop = (response.body_start, response.body_end) if response else (0, len(paste))
        for offset, value in find_json_values(paste, start, stop).values:
            signals.take(walk(value, offset, response))
    return signals.items


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_no_rule_changes_the_error_it_reads(case):
    catalogue = get_catalogue()
    for found in items_of(case.paste):
        before = copy.deepcopy((found.error, found.wrapper))
        code = code_rule(found, catalogue)
        envelope_rule(found)
        status_rule(found, code.entry)
        message_rule(found, code.entry, code.via_message, catalogue)
        retry_after_rule(found, code.code, code.entry, NOW)
        trace_rule(found)
        doc_url_rule(found, code.code)
        assert (found.error, found.wrapper) == before
