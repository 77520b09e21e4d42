"""No paste can make a diagnosis expensive: identical diagnoses collapse into one group with a
count and its trace ids, at most MAX_GROUPS groups are shown (the JSON says how many more), a
ticket's snapshot stays within tens of KiB, and the work a paste costs is bounded.

Time is never asserted here (the machine is shared): `make bench` measures it. What is asserted
is the size of what comes back and the number of diagnoses built, which is what made the time.
"""

import json
from datetime import UTC, datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.pastes import diagnosis_pastes
from diagnose.engine import (
    MAX_DEPTH,
    MAX_GROUPS,
    MAX_INPUT_BYTES,
    MAX_TRACE_IDS,
    diagnose,
    jsonscan,
    reader,
)
from support.forms import new_form_token
from support.models import Ticket

NOW = datetime(2026, 11, 3, 14, 2, 37, tzinfo=UTC)
PASTES = diagnosis_pastes()
CODE_1007 = PASTES["code=1007 repeated"]
# The largest answer any paste may get: 64 KiB of paste is echoed once on the page (the box)
# and once in the hidden support form; everything else is bounded by MAX_GROUPS.
MAX_JSON_BYTES = 48 * 1024
MAX_PAGE_BYTES = 3 * MAX_INPUT_BYTES + 200 * 1024
MAX_SNAPSHOT_BYTES = 48 * 1024


def test_identical_diagnoses_collapse_into_one_group_with_a_count():
    report = diagnose(CODE_1007, now=NOW)
    assert len(report.diagnoses) == 1
    (group,) = report.diagnoses
    assert group.code == 1007 and group.count == report.error_count == 6553
    data = report.as_dict()
    assert data["count"] == 1 and data["error_count"] == 6553 and data["truncated"] is False
    assert data["diagnoses"][0]["count"] == 6553


def test_a_group_keeps_its_trace_ids_up_to_a_bound_and_says_how_many():
    report = diagnose(PASTES["distinct trace ids"], now=NOW)
    (group,) = report.diagnoses
    assert group.count == report.error_count > MAX_TRACE_IDS
    assert len(group.trace_ids) == MAX_TRACE_IDS
    assert group.trace_ids[0] == group.trace_id == f"{1:032x}"
    assert group.trace_id_count == group.count
    item = report.as_dict()["diagnoses"][0]
    assert item["trace_ids"] == list(group.trace_ids)
    assert item["trace_id_count"] == group.count


def test_diagnoses_that_differ_stay_apart_and_past_the_bound_are_counted():
    report = diagnose(PASTES["distinct messages"], now=NOW)
    data = report.as_dict()
    assert len(data["diagnoses"]) == MAX_GROUPS
    assert data["truncated"] is True
    assert data["count"] > MAX_GROUPS
    assert data["error_count"] == sum(1 for line in PASTES["distinct messages"].splitlines())
    messages = [d["observed"]["message"] for d in data["diagnoses"]]
    assert messages == [f"m{i}" for i in range(MAX_GROUPS)]  # first seen, first shown


def test_only_the_shown_groups_are_diagnosed_in_full():
    with mock.patch.object(reader, "diagnose_item", wraps=reader.diagnose_item) as spy:
        diagnose(PASTES["every code number"], now=NOW)
    assert spy.call_count <= MAX_GROUPS


def test_one_envelope_reads_as_before():
    data = diagnose(PASTES["one envelope (baseline)"], now=NOW).as_dict()
    assert data["count"] == data["error_count"] == 1 and data["truncated"] is False
    (item,) = data["diagnoses"]
    assert item["count"] == 1 and item["trace_ids"] == [item["trace_id"]]


@pytest.mark.parametrize("name", PASTES.keys())
def test_no_paste_gets_a_large_answer(name, client):
    paste = PASTES[name]
    api = client.post("/api/diagnose/", paste, content_type="text/plain")
    assert api.status_code == 200
    assert len(api.content) <= MAX_JSON_BYTES
    page = client.post("/diagnose/", {"envelope": paste})
    assert page.status_code == 200
    assert len(page.content) <= MAX_PAGE_BYTES
    fragment = client.post("/diagnose/", {"envelope": paste}, HTTP_HX_REQUEST="true")
    assert len(fragment.content) <= MAX_PAGE_BYTES - MAX_INPUT_BYTES


def test_the_page_says_how_many_and_how_many_more(client):
    html = client.post("/diagnose/", {"envelope": PASTES["distinct messages"]}).content.decode()
    report = diagnose(PASTES["distinct messages"], now=NOW)
    assert f"{report.distinct_count - MAX_GROUPS:,} more" in html
    collapsed = client.post("/diagnose/", {"envelope": CODE_1007}).content.decode()
    assert "6,553 times" in collapsed


def test_the_command_says_how_many_too(tmp_path):
    pasted = tmp_path / "paste.txt"
    pasted.write_text(CODE_1007)
    out = StringIO()
    call_command("diagnose", str(pasted), stdout=out)
    assert "6,553 times" in out.getvalue()
    assert len(out.getvalue()) < 20_000


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["code=1007 repeated", "distinct messages", "every code number"])
def test_a_ticket_snapshot_is_bounded(name, client):
    client.post(
        "/support/new/",
        {
            "email": "dev@example.com",
            "subject": "many errors",
            "description": "see the paste",
            "envelope": PASTES[name],
            "form_token": new_form_token(),
            "website": "",
        },
    )
    ticket = Ticket.objects.get()
    assert len(json.dumps(ticket.diagnosis)) <= MAX_SNAPSHOT_BYTES


def test_a_long_message_is_echoed_only_in_part():
    long = "x" * 20_000
    paste = json.dumps({"success": False, "error": {"code": 1007, "message": long}})
    data = diagnose(paste, now=NOW).as_dict()
    assert len(json.dumps(data)) < 8_000


# --- The structure pass takes runs of brackets whole -----------------------------------------


def reference_structure(text: str) -> dict[int, tuple[int, int]]:
    """The structure pass bracket by bracket, with no depth cap: what jsonscan must agree with
    wherever it records a bracket."""
    spans: dict[int, tuple[int, int]] = {}
    stack: list[list[int]] = []
    for match in jsonscan._STRUCTURE.finditer(text):
        char = text[match.start()]
        if char in "[{":
            stack.append([match.start(), len(stack) + 1, len(stack) + 1])
        elif char != '"' and stack:
            position, depth, deepest = stack.pop()
            spans[position] = (match.end(), deepest - depth + 1)
            if stack and stack[-1][2] < deepest:
                stack[-1][2] = deepest
    while stack:
        position, depth, deepest = stack.pop()
        spans[position] = (len(text), deepest - depth + 1)
        if stack and stack[-1][2] < deepest:
            stack[-1][2] = deepest
    return spans


structure_text = st.text(st.sampled_from(list('[]{}" a\n\\')), max_size=300)


def check_structure(text: str) -> None:
    expected = reference_structure(text)
    found = jsonscan._structure(text, 0, len(text))
    for position, (end, nesting) in found.items():
        if nesting <= MAX_DEPTH:  # the spans a candidate may use are exact
            assert expected[position] == (end, nesting)
        else:
            assert expected[position][1] > MAX_DEPTH
    # Every bracket a candidate may start at and read whole is recorded.
    for position in expected:
        depth = sum(1 for p, (e, _n) in expected.items() if p < position and e > position) + 1
        if depth <= jsonscan._RECORDED_DEPTH:
            assert position in found


def test_a_run_of_brackets_costs_a_few_steps():
    assert len(jsonscan._structure("[" * MAX_INPUT_BYTES, 0, MAX_INPUT_BYTES)) == (
        jsonscan._RECORDED_DEPTH
    )
    deep = "[" * 30_000 + "]" * 30_000
    spans = jsonscan._structure(deep, 0, len(deep))
    assert spans[0] == (len(deep), 30_000)


@settings(max_examples=300, deadline=None)
@given(structure_text)
def test_the_structure_pass_agrees_bracket_by_bracket(text):
    check_structure(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 90), structure_text, st.integers(0, 90))
def test_the_structure_pass_agrees_past_the_recorded_depth(opening, text, closing):
    check_structure("[" * opening + text + "]" * closing)
