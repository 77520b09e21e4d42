"""The bounded JSON scanner (diagnose/engine/jsonscan.py), seen through diagnose(): where a
problem is reported, how deep nesting is bounded, and the work adversarial pastes cost."""

import json
import re

import pytest

from diagnose.engine import MAX_DEPTH, MAX_INPUT_BYTES, diagnose, jsonscan
from diagnose.engine.redaction import MASK
from tests.diagnose.cases import NOW, TOKEN, assert_well_formed, envelope

# --- not_json positions ---------------------------------------------------------------------------


def not_json(report):
    return next(f for f in report.findings if f.id == "not_json")


def test_not_json_points_at_the_missing_comma():
    paste = (
        "{\n"
        '  "success": false,\n'
        '  "error": {"status": 400, "code": 1001 "message": "Missing required field"}\n'
        "}"
    )
    problem = not_json(diagnose(paste))
    assert (problem.line, problem.column) == (3, paste.split("\n")[2].index('"message"') + 1)
    assert "delimiter" in problem.message


def test_not_json_counts_in_the_text_as_pasted_not_in_the_extracted_piece():
    line = "2026-11-03 ERROR [api] response: " + '{"success": false, "error": {"code": 2004,}}'
    paste = "first line\n" + line
    problem = not_json(diagnose(paste))
    # The comma itself, whichever Python version's json module found the problem.
    assert (problem.line, problem.column) == (2, line.index(",}}") + 1)
    assert "trailing comma" in problem.message


def test_not_json_columns_ignore_the_length_of_masked_secrets():
    line = f"Authorization: Bearer {TOKEN} " + '{"success": false, "error": {"code": 2004,}}'
    report = diagnose(line)
    problem = not_json(report)
    assert problem.column == line.index(",}}") + 1
    assert MASK in report.redacted_text and TOKEN not in report.redacted_text


def test_not_json_in_crlf_paste():
    paste = '{\r\n  "success": false,\r\n  "error": {"code": 1001,, }\r\n}'
    problem = not_json(diagnose(paste))
    third = paste.split("\r\n")[2]
    assert (problem.line, problem.column) == (3, third.index(",,") + 2)


def test_not_json_for_a_line_break_inside_a_string():
    paste = '{"success": false, "error": {"code": 1001, "message": "Missing\nrequired field"}}'
    problem = not_json(diagnose(paste))
    assert (problem.line, problem.column) == (
        1,
        len('{"success": false, "error": {"code": 1001, "message": "Missing') + 1,
    )
    assert "line" in problem.message


def test_nested_too_deep_is_not_reported_for_invalid_json():
    report = diagnose("{" * 5000)
    assert [f.id for f in report.findings] == ["not_json"]
    deep = diagnose('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1))
    assert [f.id for f in deep.findings] == ["nested_too_deep"]
    exactly = diagnose('{"a":' * MAX_DEPTH + "1" + "}" * MAX_DEPTH)
    assert [f.id for f in exactly.findings] == ["not_an_error"]


def test_an_envelope_next_to_deep_nesting_is_still_found():
    report = diagnose("[" * 40 + "\n" + envelope(retry_after=1))
    assert [f.id for f in report.findings] == ["nested_too_deep"]
    assert [d.code for d in report.diagnoses] == [1007]


# --- Speed ----------------------------------------------------------------------------------------

ADVERSARIAL = {
    "brackets": "[" * MAX_INPUT_BYTES,
    "braces": "{" * MAX_INPUT_BYTES,
    "mixed nesting": '[{"a":' * 10_000,
    "opening strings": '{"a{"a' * 10_000,
    "unclosed arrays": "[1," * 21_000,
    "many tiny values": "[1]" * 21_000,
    "quotes": '"' * MAX_INPUT_BYTES,
    "secret-like words": "token=" * 10_000,
    "bearer words": "Bearer a " * 7_000,
    "dashes": "a-" * 30_000,
}


class CountingPattern:
    """Stands in for a compiled pattern and counts the matches `finditer` hands out."""

    def __init__(self, pattern: re.Pattern[str]):
        self.pattern = pattern
        self.matches = 0

    def finditer(self, *args):
        for match in self.pattern.finditer(*args):
            self.matches += 1
            yield match


@pytest.fixture
def scanner_work(monkeypatch):
    """What the JSON scanner does for one paste: string and bracket tokens walked, and characters
    handed to `json`. Work, not seconds: it cannot flake on a busy machine (the seconds are
    measured by `make bench`)."""
    tokens = CountingPattern(jsonscan._STRUCTURE)
    decoded = {"characters": 0, "calls": 0}
    decode = jsonscan._decode

    def counting_decode(piece):
        decoded["characters"] += len(piece)
        decoded["calls"] += 1
        return decode(piece)

    monkeypatch.setattr(jsonscan, "_STRUCTURE", tokens)
    monkeypatch.setattr(jsonscan, "_decode", counting_decode)
    return tokens, decoded


@pytest.mark.parametrize("paste", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_pastes_cost_work_linear_in_their_size(paste, scanner_work):
    tokens, decoded = scanner_work
    report = diagnose(paste, now=NOW)
    assert_well_formed(report)
    # A few passes' worth of tokens and decoded text, whatever the paste: no candidate start
    # multiplies the work (without the scan budget, '{"a{"a…' walks 11 tokens and decodes 32
    # characters per character pasted).
    assert tokens.matches <= 5 * len(paste)
    assert decoded["characters"] <= 12 * len(paste)


def test_the_scan_budget_stops_text_where_every_brace_starts_a_candidate(scanner_work):
    tokens, _ = scanner_work
    paste = '{"a{"a' * 10_000
    report = diagnose(paste, now=NOW)
    assert [f.id for f in report.findings] == ["not_json"]
    # One structure pass over the paste, then candidates until the budget is spent.
    assert tokens.matches <= len(paste) + jsonscan._SCAN_BUDGET


def test_brackets_give_nested_too_deep_at_the_first_excess_bracket(scanner_work):
    tokens, decoded = scanner_work
    report = diagnose("[" * MAX_INPUT_BYTES)
    assert [f.id for f in report.findings] == ["nested_too_deep"]
    assert (report.findings[0].line, report.findings[0].column) == (1, MAX_DEPTH + 1)
    # The run of brackets is skipped whole: one structure pass, one scan to the excess bracket.
    assert tokens.matches <= MAX_INPUT_BYTES + MAX_DEPTH + 1
    assert decoded["characters"] <= MAX_DEPTH


def test_lone_surrogates_and_odd_unicode_survive():
    paste = envelope(code=2004, status=401, message="Unauthorized \ud800 \U0001f600 \u202e")
    report = diagnose(paste.replace("\\ud800", "\ud800"))
    assert report.diagnoses[0].observed["message"] == "Unauthorized \ufffd \U0001f600 \u202e"
    json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")
    escaped = diagnose('{"success": false, "error": {"code": 2004, "message": "\\ud800"}}')
    assert escaped.diagnoses[0].observed["message"] == "\ufffd"
