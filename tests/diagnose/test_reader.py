"""The diagnosis engine end to end (diagnose/engine/reader.py): every input kind and finding id
of SPEC §5 against the real catalogue, secrets masked first, and any input well formed."""

import json
import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnose.engine import FINDINGS, INPUT_KINDS, MAX_DEPTH, MAX_INPUT_BYTES, diagnose
from diagnose.engine.findings import REQUEST_FINDINGS
from diagnose.engine.redaction import redact_secrets
from tests.diagnose.cases import (
    BACKOFF,
    CASES,
    NOW,
    T1,
    TOKEN,
    Case,
    assert_well_formed,
    envelope,
)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_paste(case: Case):
    report = diagnose(case.paste, now=NOW)
    assert report.input_kind == case.kind
    assert report.status_code == case.status
    assert [d.code for d in report.diagnoses] == case.codes
    found = {f.id for f in report.findings} | {f.id for d in report.diagnoses for f in d.findings}
    assert found == case.findings
    if case.verdicts is not None:
        assert [d.retry.verdict for d in report.diagnoses] == case.verdicts
    if case.after is not None:
        assert [d.retry.after_seconds for d in report.diagnoses] == case.after
    if case.schedule is not None or case.after is not None:
        first = report.diagnoses[0].retry.schedule_seconds
        assert (list(first) if first else None) == case.schedule
    if case.retry_at is not None:
        assert report.diagnoses[0].retry.retry_at == case.retry_at
    if case.trace_ids is not None:
        assert [d.trace_id for d in report.diagnoses] == case.trace_ids
    assert_well_formed(report)


def test_the_table_covers_every_kind_and_finding():
    kinds = {case.kind for case in CASES.values()}
    assert kinds == set(INPUT_KINDS)
    covered = set().union(*(case.findings for case in CASES.values()))
    # The request's own findings have their table in test_request_table.py.
    assert covered - REQUEST_FINDINGS == set(FINDINGS) - REQUEST_FINDINGS
    assert len(CASES) >= 40


def test_spec_json_shape():
    report = diagnose(envelope(), now=NOW)
    assert report.as_dict() == {
        "input_kind": "envelope",
        "findings": [],
        "diagnoses": [
            {
                "code": 1007,
                "known": True,
                "category": "1xxx",
                "message": "Rate limit exceeded",
                "http_status": 429,
                "observed": {
                    "http_status": 429,
                    "status": 429,
                    "message": "Rate limit exceeded",
                    "retry_after": None,
                },
                "retry": {"verdict": "yes", "after_seconds": None, "schedule_seconds": BACKOFF},
                "trace_id": T1,
                "findings": [
                    {
                        "id": "retry_after_missing",
                        "level": "warning",
                        "message": (
                            "A 429 (code 1007) should carry a `Retry-After` header and "
                            "`error.retry_after`; neither is in the paste. If you pasted only "
                            "the body, look at the headers; otherwise back off exponentially "
                            "(1, 2, 4, 8, 16, 30 s with jitter) and cap the attempts."
                        ),
                    }
                ],
                "url": "/errors/1007/",
                "support_url": f"/support/new/?code=1007&trace_id={T1}&status=429",
                "count": 1,
                "trace_ids": [T1],
                "trace_id_count": 1,
            }
        ],
        "count": 1,
        "error_count": 1,
        "truncated": False,
    }


def test_timing_sentence_names_the_clock_time():
    diagnosis = diagnose(envelope(retry_after=30), now=NOW).diagnoses[0]
    assert diagnosis.retry.summary == "Retry after 30 s, at 14:03:07 UTC."
    assert diagnosis.retry.counted_from == "now"
    backoff = diagnose("3001", now=NOW).diagnoses[0].retry
    assert "1, 2, 4, 8, 16, 30 s" in backoff.summary and "jitter" in backoff.summary
    assert "a few seconds" in diagnose("2007").diagnoses[0].retry.summary


def test_retry_at_counts_from_the_date_header():
    paste = "HTTP/1.1 429 Too Many Requests\nDate: Tue, 03 Nov 2026 09:15:00 GMT\n\n"
    diagnosis = diagnose(paste + envelope(retry_after=30), now=NOW).diagnoses[0]
    assert diagnosis.retry.counted_from == "date"
    assert diagnosis.response_date == datetime(2026, 11, 3, 9, 15, tzinfo=UTC)
    assert diagnosis.retry.retry_at == datetime(2026, 11, 3, 9, 15, 30, tzinfo=UTC)


def test_a_bare_code_has_no_clock_time():
    retry = diagnose("4004", now=NOW).diagnoses[0].retry
    assert retry.after_seconds == 30
    assert retry.retry_at is None


@pytest.mark.parametrize(
    ("message", "names"),
    [
        ("Rate limit exceeded", "1007"),
        ("Error: rate limit exceeded.", "1007"),
        ("Rate limit exceeded, slow down", None),
        ("Something else entirely", None),
    ],
)
def test_message_mismatch_names_the_code_the_message_belongs_to(message, names):
    diagnosis = diagnose(envelope(code=2004, status=401, message=message), now=NOW).diagnoses[0]
    mismatch = next(f for f in diagnosis.findings if f.id == "message_mismatch")
    said = re.search(r"It is the documented message of (\d+): check the code\.", mismatch.message)
    assert (said and said[1]) == names


# --- Secrets --------------------------------------------------------------------------------------

SECRETS = [
    (f"Authorization: Bearer {TOKEN}", TOKEN),
    (f'curl -H "Authorization: Bearer {TOKEN}" https://api.linqapp.com', TOKEN),
    (f'{{"headers": {{"authorization": "Bearer {TOKEN}"}}}}', TOKEN),
    (f"LINQ_API_V3_API_KEY={TOKEN}", TOKEN),
    (f'export LINQ_API_V3_API_KEY="{TOKEN}"', TOKEN),
    ("X-LINQ-INTEGRATION-TOKEN: 6b1f0c3e5e3a4f0a", "6b1f0c3e5e3a4f0a"),
    ("x-linq-integration-token:abcdef123456", "abcdef123456"),
    (f"GET /v3/chats?api_key={TOKEN}&page=2", TOKEN),
    ("Cookie: sessionid=abc123def456", "sessionid=abc123def456"),
    ("signing secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La"),
    ("https://bot:hunter2hunter2@example.com/hook", "hunter2hunter2"),
    (f'{{"password": "{TOKEN}"}}', TOKEN),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS)
def test_secrets_are_masked(text, secret):
    masked, count = redact_secrets(text)
    assert secret not in masked
    assert count == 1
    assert redact_secrets(masked) == (masked, 0)  # masking twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "Include valid Bearer token in Authorization header.",
        "Authorization: Bearer $LINQ_API_V3_API_KEY",
        '{"token_type": "bearer", "idempotency_key": "k-123", "api_key": null}',
        "http://localhost:8000/diagnose/",
        envelope(),
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact_secrets(text) == (text, 0)


def test_a_token_reaches_no_part_of_the_report():
    paste = f"> Authorization: Bearer {TOKEN}\nHTTP/1.1 401 Unauthorized\n\n" + envelope(
        code=2004, status=401, message=f"Unauthorized: Bearer {TOKEN}"
    )
    report = diagnose(paste, now=NOW)
    assert TOKEN not in json.dumps(report.as_dict())
    assert TOKEN not in report.redacted_text
    assert TOKEN not in repr(report)
    assert report.secrets_masked == 2


# --- Properties -----------------------------------------------------------------------------------


unicode_text = st.text(
    st.characters(codec=None) | st.characters(categories=["Cs"]) | st.sampled_from('{}[]":,\n'),
    max_size=400,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
field_values = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from([1007, 2004, 3002, 4004, "1007", 429, T1, "NaN"])
    | json_values
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "success": field_values,
        "trace_id": field_values,
        "error": st.fixed_dictionaries(
            {},
            optional={
                key: field_values
                for key in ("code", "status", "message", "retry_after", "doc_url", "trace_id")
            },
        )
        | field_values,
    },
)


def mangle(text: str, data) -> str:
    """Cut, splice or wrap a JSON text the way logs and copy-paste do."""
    how = data.draw(st.sampled_from(["as is", "cut", "insert", "log line", "http", "ndjson"]))
    if how == "cut" and text:
        return text[: data.draw(st.integers(0, len(text)))]
    if how == "insert" and text:
        at = data.draw(st.integers(0, len(text)))
        return text[:at] + data.draw(unicode_text) + text[at:]
    if how == "log line":
        return f"2026-11-03T14:02:37Z ERROR [{data.draw(st.text(max_size=10))}] {text}"
    if how == "http":
        return f"HTTP/2 {data.draw(st.integers(100, 599))}\nretry-after: 5\n\n{text}"
    if how == "ndjson":
        return text + "\n" + text
    return text


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(unicode_text)
def test_any_text_gives_a_well_formed_report(text):
    assert_well_formed(diagnose(text, now=NOW))


@common
@given(envelopes, st.data())
def test_any_envelope_shape_gives_a_well_formed_report(value, data):
    text = json.dumps(value, ensure_ascii=data.draw(st.booleans()), allow_nan=True)
    assert_well_formed(diagnose(mangle(text, data), now=NOW))


@common
@given(json_values, st.data())
def test_json_garbage_gives_a_well_formed_report(value, data):
    assert_well_formed(diagnose(mangle(json.dumps(value), data), now=NOW))


@common
@given(st.integers(0, 3000), st.sampled_from(["[", '{"a":', "[{}, ", '["', "{"]), st.booleans())
def test_deep_nesting_gives_a_well_formed_report(depth, opener, closed):
    closer = {"[": "]", '{"a":': "}", "[{}, ": "]", '["': '"]', "{": "}"}[opener]
    text = opener * depth + ("1" + closer * depth if closed else "")
    report = diagnose(text, now=NOW)
    assert_well_formed(report)
    if opener in ("[", '{"a":') and closed:
        ids = [f.id for f in report.findings]
        assert ("nested_too_deep" in ids) == (depth > MAX_DEPTH)


@common
@given(st.integers(19, 6000), st.sampled_from(["code", "status", "retry_after"]))
def test_huge_numbers_give_a_well_formed_report(digits, key):
    text = f'{{"success": false, "error": {{"{key}": {"9" * digits}}}}}'
    if len(text) < MAX_INPUT_BYTES:
        assert_well_formed(diagnose(text, now=NOW))


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(codec=None), min_size=1, max_size=8).map(lambda s: s * 9000))
def test_text_near_the_limit_gives_a_well_formed_report(text):
    report = diagnose(text[: MAX_INPUT_BYTES // 4], now=NOW)
    assert_well_formed(report)


@common
@given(unicode_text, unicode_text)
def test_a_token_never_survives_in_any_paste(before, after):
    report = diagnose(f"{before}\nAuthorization: Bearer {TOKEN}\n{after}", now=NOW)
    assert TOKEN not in json.dumps(report.as_dict())
    assert TOKEN not in report.redacted_text
