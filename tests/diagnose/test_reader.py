"""The diagnosis engine: every input kind and finding id of SPEC §5, against the real catalogue."""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnose.engine import (
    FINDINGS,
    INPUT_KINDS,
    LEVELS,
    MAX_DEPTH,
    MAX_INPUT_BYTES,
    diagnose,
    jsonscan,
    shared_diagnosis,
)
from diagnose.engine.redaction import MASK, redact_secrets
from diagnose.engine.values import explain_trace_id
from errors.catalogue import BACKOFF_SCHEDULE

NOW = datetime(2026, 11, 3, 14, 2, 37, tzinfo=UTC)
T1 = "2eff5df5c6f688733c007523c4d61cd9"
T2 = "0af7651916cd43dd8448eb211c80319c"
T3 = "4bf92f3577b34da6a3ce929d0e0e4736"
TOKEN = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
BACKOFF = list(BACKOFF_SCHEDULE)


def envelope(code=1007, status=429, message="Rate limit exceeded", trace_id=T1, **extra) -> str:
    error = {"status": status, "code": code, "message": message, **extra}
    return json.dumps({"success": False, "error": error, "trace_id": trace_id})


@dataclass
class Case:
    paste: str
    kind: str
    codes: list
    findings: set = field(default_factory=set)  # every finding id, top level and per diagnosis
    verdicts: list | None = None
    after: list | None = None  # retry.after_seconds per diagnosis
    schedule: list | None = None  # retry.schedule_seconds of the first diagnosis
    retry_at: datetime | None = None  # of the first diagnosis
    trace_ids: list | None = None
    status: int = 200


CASES = {
    # --- Envelopes -------------------------------------------------------------------------------
    "spec example": Case(
        envelope(retry_after=30, doc_url="https://docs.linqapp.com/error/codes/1xxx/1007/"),
        "envelope",
        [1007],
        verdicts=["yes"],
        after=[30],
        schedule=None,
        retry_at=NOW + timedelta(seconds=30),
        trace_ids=[T1],
    ),
    "pretty-printed 2004": Case(
        """{
  "success": false,
  "error": {
    "status": 401,
    "code": 2004,
    "message": "Unauthorized",
    "doc_url": "https://docs.linqapp.com/error/codes/2xxx/2004/"
  },
  "trace_id": "0af7651916cd43dd8448eb211c80319c"
}""",
        "envelope",
        [2004],
        verdicts=["no"],
        after=[None],
        trace_ids=[T2],
    ),
    "429 without retry_after": Case(
        envelope(), "envelope", [1007], {"retry_after_missing"}, ["yes"], [None], BACKOFF
    ),
    "older sample without trace_id": Case(
        '{ "error": { "status": 404, "code": 2001, "message": "Chat not found" }, '
        '"success": false }',
        "envelope",
        [2001],
        {"trace_id_missing"},
        trace_ids=[None],
    ),
    "no success flag": Case(
        json.dumps(
            {
                "error": {"status": 400, "code": 1001, "message": "Missing required field"},
                "trace_id": T1,
            }
        ),
        "envelope",
        [1001],
        {"success_flag_missing"},
    ),
    "success true beside an error": Case(
        json.dumps(
            {
                "success": True,
                "error": {"status": 400, "code": 1003, "message": "Invalid request body"},
                "trace_id": T1,
            }
        ),
        "envelope",
        [1003],
        {"success_flag_not_false"},
    ),
    "success as a string": Case(
        '{"success": "false", "error": {"status": 403, "code": 2005, "message": "Access denied"},'
        f' "trace_id": "{T1}"}}',
        "envelope",
        [2005],
        {"success_flag_not_false"},
    ),
    "error as a plain string": Case(
        '{"success": false, "error": "Unauthorized"}',
        "envelope",
        [2004],
        {"code_missing", "trace_id_missing"},
    ),
    # --- Inner error object -----------------------------------------------------------------------
    "inner error object": Case(
        '{"status": 400, "code": 1002, "message": "Phone number must be in E.164 format"}',
        "error_object",
        [1002],
        {"error_object_only", "trace_id_missing"},
        ["no"],
    ),
    "code as a string": Case(
        envelope(code="1007", retry_after=30),
        "envelope",
        [1007],
        {"code_not_integer"},
        after=[30],
    ),
    "code as a float": Case(
        envelope(code=2004.0, status=401, message="Unauthorized"),
        "envelope",
        [2004],
        {"code_not_integer"},
    ),
    "code missing, message known": Case(
        json.dumps(
            {
                "success": False,
                "error": {"status": 404, "message": "Chat not found"},
                "trace_id": T1,
            }
        ),
        "envelope",
        [2001],
        {"code_missing"},
    ),
    "code missing, status only": Case(
        json.dumps({"success": False, "error": {"status": 409}, "trace_id": T1}),
        "envelope",
        [None],
        {"code_missing"},
    ),
    "unknown code in a category": Case(
        envelope(code=1999, status=400, message="Something new"),
        "envelope",
        [1999],
        {"unknown_code"},
        verdicts=[None],
    ),
    "unknown code outside the categories": Case(
        envelope(code=9999, status=400, message="Something new"),
        "envelope",
        [9999],
        {"unknown_code"},
    ),
    "huge integer code": Case(
        '{"success": false, "error": {"status": 400, "code": 1234567890123456789012345678901234,'
        f' "message": "x"}}, "trace_id": "{T1}"}}',
        "envelope",
        [None],
        {"unknown_code"},
    ),
    "code as a huge float": Case(
        envelope(code=1e300, status=400, message="x"), "envelope", [None], {"unknown_code"}
    ),
    # --- Field checks -----------------------------------------------------------------------------
    "docs sample: other wording, placeholder trace id": Case(
        envelope(
            message="Rate limited. Try again in 45 seconds.",
            retry_after=45,
            trace_id="trace_abc123def456",
        ),
        "envelope",
        [1007],
        {"message_mismatch", "trace_id_malformed"},
        after=[45],
        trace_ids=[None],
    ),
    "status differs from the documented one": Case(
        envelope(code=2004, status=400, message="Unauthorized"),
        "envelope",
        [2004],
        {"status_mismatch"},
    ),
    "retry_after as a string": Case(
        envelope(retry_after="30"), "envelope", [1007], {"retry_after_invalid"}, after=[30]
    ),
    "negative retry_after": Case(
        envelope(retry_after=-5),
        "envelope",
        [1007],
        {"retry_after_invalid"},
        after=[None],
        schedule=BACKOFF,
    ),
    "overflowing retry_after": Case(
        envelope().replace('"message"', '"retry_after": 1e400, "message"'),
        "envelope",
        [1007],
        {"retry_after_invalid"},
        after=[None],
        schedule=BACKOFF,
    ),
    "retry_after on a 500": Case(
        envelope(code=3002, status=500, message="Server operation failed", retry_after=10),
        "envelope",
        [3002],
        {"retry_after_unexpected"},
        ["yes"],
        [None],
        BACKOFF,
    ),
    "trace_id inside error": Case(
        json.dumps(
            {
                "success": False,
                "error": {
                    "status": 500,
                    "code": 3006,
                    "message": "Internal server error",
                    "trace_id": T2,
                },
            }
        ),
        "envelope",
        [3006],
        {"trace_id_misplaced"},
        trace_ids=[T2],
    ),
    "trace_id at the top and repeated inside error": Case(
        json.dumps(
            {
                "success": False,
                "error": {
                    "status": 500,
                    "code": 3006,
                    "message": "Internal server error",
                    "trace_id": T2,
                },
                "trace_id": T2,
            }
        ),
        "envelope",
        [3006],
        trace_ids=[T2],
    ),
    "doc_url of another code": Case(
        envelope(retry_after=30, doc_url="https://docs.linqapp.com/error/codes/2xxx/2004/"),
        "envelope",
        [1007],
        {"doc_url_mismatch"},
    ),
    "doc_url with an absurd number": Case(
        envelope(retry_after=1, doc_url="https://docs.linqapp.com/error/codes/1xxx/" + "9" * 5000),
        "envelope",
        [1007],
    ),
    "duplicate keys: the last wins": Case(
        '{"success": false, "error": {"status": 401, "code": 1007, "code": 2004, '
        f'"message": "Unauthorized"}}, "trace_id": "{T1}"}}',
        "envelope",
        [2004],
    ),
    "HTML in the message stays text": Case(
        envelope(code=1004, status=400, message="<script>alert(1)</script>"),
        "envelope",
        [1004],
        {"message_mismatch"},
    ),
    "fixed 30 s wait": Case(
        envelope(code=4004, status=503, message="Service unavailable"),
        "envelope",
        [4004],
        verdicts=["yes"],
        after=[30],
        retry_at=NOW + timedelta(seconds=30),
    ),
    "a few seconds": Case(
        envelope(code=2009, status=409, message="The chat is still being created"),
        "envelope",
        [2009],
        verdicts=["yes"],
        after=[3],
        retry_at=NOW + timedelta(seconds=3),
    ),
    "sometimes": Case(
        envelope(code=5002, status=500, message="File download failed"),
        "envelope",
        [5002],
        verdicts=["sometimes"],
        after=[None],
        schedule=None,
    ),
    # --- HTTP responses ---------------------------------------------------------------------------
    "curl -i with Date and Retry-After": Case(
        f"""HTTP/1.1 429 Too Many Requests
Date: Tue, 03 Nov 2026 13:00:00 GMT
Content-Type: application/json
Retry-After: 30
X-Trace-ID: {T1}

{envelope(retry_after=30)}
""",
        "http_response",
        [1007],
        after=[30],
        retry_at=datetime(2026, 11, 3, 13, 0, 30, tzinfo=UTC),
        trace_ids=[T1],
    ),
    "curl -v, HTTP/2, lower-case headers, token": Case(
        f"""*   Trying 34.120.1.1:443...
* Connected to api.linqapp.com (34.120.1.1) port 443
> POST /api/partner/v3/chats HTTP/2
> Host: api.linqapp.com
> authorization: Bearer {TOKEN}
> content-type: application/json
>
< HTTP/2 500
< date: Tue, 03 Nov 2026 14:02:30 GMT
< content-type: application/json
< x-trace-id: {T2}
<
{{"success":false,"error":{{"status":500,"code":3002,"message":"Server operation failed"}}}}
* Connection #0 to host api.linqapp.com left intact""",
        "http_response",
        [3002],
        {"secret_redacted"},
        ["yes"],
        [None],
        BACKOFF,
        trace_ids=[T2],
    ),
    "Retry-After header disagrees": Case(
        f"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nX-Trace-ID: {T1}\r\n\r\n"
        + envelope(retry_after=30),
        "http_response",
        [1007],
        {"retry_after_header_mismatch"},
        after=[60],
        retry_at=NOW + timedelta(seconds=60),
    ),
    "Retry-After as an HTTP date": Case(
        "HTTP/1.1 429 Too Many Requests\nDate: Tue, 03 Nov 2026 14:00:00 GMT\n"
        "Retry-After: Tue, 03 Nov 2026 14:00:45 GMT\n\n" + envelope(retry_after=45),
        "http_response",
        [1007],
        after=[45],
        retry_at=datetime(2026, 11, 3, 14, 0, 45, tzinfo=UTC),
    ),
    "header only: Retry-After without the body field": Case(
        "HTTP/1.1 429 Too Many Requests\nRetry-After: 20\n\n" + envelope(),
        "http_response",
        [1007],
        after=[20],
    ),
    "gateway changed the status": Case(
        "HTTP/1.1 502 Bad Gateway\n\n"
        + envelope(code=3006, status=500, message="Internal server error"),
        "http_response",
        [3006],
        {"http_status_mismatch"},
    ),
    "proxy HTML page": Case(
        f"HTTP/1.1 502 Bad Gateway\nX-Trace-ID: {T3}\nContent-Type: text/html\n\n"
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "http_response",
        [None],
        {"not_json", "code_missing"},
        trace_ids=[T3],
    ),
    "a success response": Case(
        'HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"success": true, "data": {}}',
        "http_response",
        [],
        {"not_an_error"},
    ),
    "204 without a body": Case(
        "HTTP/1.1 204 No Content\n\n", "http_response", [], {"not_an_error"}
    ),
    "100 Continue first": Case(
        "HTTP/1.1 100 Continue\n\nHTTP/1.1 404 Not Found\nX-Trace-ID: "
        + T1
        + "\n\n"
        + envelope(code=2002, status=404, message="Message not found"),
        "http_response",
        [2002],
    ),
    # --- Several envelopes ------------------------------------------------------------------------
    "NDJSON": Case(
        "\n".join(
            [
                envelope(code=2004, status=401, message="Unauthorized", trace_id=T1),
                envelope(code=2004, status=401, message="Unauthorized", trace_id=T2),
                envelope(code=1007, retry_after=12, trace_id=T3),
            ]
        ),
        "batch",
        [2004, 2004, 1007],
        verdicts=["no", "no", "yes"],
        after=[None, None, 12],
        trace_ids=[T1, T2, T3],
    ),
    "JSON array": Case(
        "["
        + envelope(code=3005, status=504, message="Network timeout")
        + ", "
        + envelope(code=5005, status=400, message="File too large", trace_id=T2)
        + "]",
        "batch",
        [3005, 5005],
        verdicts=["yes", "no"],
    ),
    "log lines with prefixes": Case(
        "2026-11-03T14:02:31.120Z [INFO] sending message to +14155551234\n"
        "2026-11-03T14:02:31.552Z [ERROR] linq: "
        + envelope(code=2008, status=403, message="Recipient not allowed")
        + "\n2026-11-03T14:02:33.010Z [ERROR] linq: "
        + envelope(code=2008, status=403, message="Recipient not allowed", trace_id=T2)
        + "\n",
        "batch",
        [2008, 2008],
        trace_ids=[T1, T2],
    ),
    "body kept as a JSON string in a log record": Case(
        json.dumps(
            {
                "level": "error",
                "msg": "linq call failed",
                "status": 409,
                "body": envelope(code=2013, status=409, message="This chat is unavailable"),
            }
        ),
        "envelope",
        [2013],
    ),
    "envelope logged as a JSON string": Case(
        json.dumps(envelope(code=2009, status=409, message="The chat is still being created")),
        "envelope",
        [2009],
        after=[3],
        trace_ids=[T1],
    ),
    "escaped quotes in a log line": Case(
        'level=error msg="linq failed" body="'
        + envelope(code=2009, status=409, message="x").replace('"', '\\"')
        + '"',
        "envelope",
        [2009],
        {"not_json"},
        trace_ids=[T1],
    ),
    "one envelope in an array": Case("[" + envelope(retry_after=5) + "]", "envelope", [1007]),
    # --- Webhooks ---------------------------------------------------------------------------------
    "message.failed": Case(
        json.dumps(
            {
                "event_id": "evt_01",
                "event_type": "message.failed",
                "created_at": "2026-11-03T14:02:37Z",
                "trace_id": T1,
                "data": {
                    "chat_id": "c1",
                    "message_id": "m1",
                    "code": 4001,
                    "message": "Delivery failed",
                },
            }
        ),
        "webhook",
        [4001],
        verdicts=["yes"],
        schedule=BACKOFF,
        trace_ids=[T1],
    ),
    "message.failed, error nested deeper": Case(
        json.dumps(
            {
                "type": "message.failed",
                "payload": {
                    "message": {"id": "m2", "parts": []},
                    "error": {"code": 4002, "message": "Phone not available"},
                },
            }
        ),
        "webhook",
        [4002],
        {"trace_id_missing"},
        ["sometimes"],
    ),
    "message.delivered": Case(
        json.dumps({"event_type": "message.delivered", "trace_id": T1, "data": {"id": "m3"}}),
        "webhook",
        [],
        {"not_an_error"},
    ),
    # --- Legacy V2 --------------------------------------------------------------------------------
    "legacy V2": Case(
        '{"errors":[{"status":404,"code":"not_found","title":"Not Found",'
        '"detail":"Chat not found"}]}',
        "legacy_v2",
        [],
        {"legacy_v2_format"},
    ),
    "legacy V2 with the integration token": Case(
        "> X-LINQ-INTEGRATION-TOKEN: 6b1f0c3e-5e3a-4f0a-9d55-8d4b0f1a2c3d\n"
        "HTTP/1.1 401 Unauthorized\n\n"
        '{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}',
        "legacy_v2",
        [],
        {"legacy_v2_format", "secret_redacted"},
    ),
    # --- Bare inputs ------------------------------------------------------------------------------
    "bare code": Case("2004", "code", [2004], verdicts=["no"], trace_ids=[None]),
    "code with its message": Case("Error 1007: Rate limit exceeded", "code", [1007]),
    "code with another message": Case("2004 - token expired", "code", [2004], {"message_mismatch"}),
    "an HTTP status instead of a code": Case("429", "code", [429], {"unknown_code"}),
    "a status line in words": Case("HTTP 503 Service Unavailable", "code", [503], {"unknown_code"}),
    "several codes": Case("2004, 1007\n3002", "batch", [2004, 1007, 3002]),
    "bare trace id": Case(f"  {T1}\n", "trace_id", [None], trace_ids=[T1]),
    "traceparent": Case(
        f"traceparent: 00-{T3}-00f067aa0ba902b7-01", "trace_id", [None], trace_ids=[T3]
    ),
    "response headers without the status line": Case(
        f"content-type: application/json\nx-trace-id: {T2}\nretry-after: 30\n",
        "trace_id",
        [None],
        trace_ids=[T2],
    ),
    "X-Trace-ID line": Case(f"X-Trace-ID: {T2.upper()}", "trace_id", [None], trace_ids=[T2]),
    "all-zero trace id": Case(
        "0" * 32, "trace_id", [None], {"trace_id_malformed"}, trace_ids=[None]
    ),
    "trace id one short": Case(T1[:-1], "trace_id", [None], {"trace_id_malformed"}),
    "documented message": Case(
        "Rate limit exceeded", "message", [1007], verdicts=["yes"], schedule=BACKOFF
    ),
    "ambiguous message": Case(
        "not found",
        "message",
        [2001, 2002, 2003, 2010, 2012, 2019, 2021],
        {"message_mismatch"},
    ),
    "sample wording of 2004": Case(
        "Unauthorized - missing or invalid authentication token",
        "message",
        [2004],
        {"message_mismatch"},
    ),
    # --- Edge cases -------------------------------------------------------------------------------
    "empty": Case(" \n\t ", "unrecognized", [], {"empty_input"}, status=400),
    "too large": Case(
        "x" * (MAX_INPUT_BYTES + 1), "unrecognized", [], {"input_too_large"}, status=413
    ),
    "64 KiB of [": Case("[" * MAX_INPUT_BYTES, "unrecognized", [], {"nested_too_deep"}),
    "cut off envelope": Case(
        '{"success": false, "error": {"status": 429, "code": 1007, "message": "Rate lim',
        "envelope",
        [1007],
        {"not_json"},
    ),
    "Python printout": Case(
        "{'success': False, 'error': {'status': 400, 'code': 1002, 'message': "
        f"'Phone number must be in E.164 format'}}, 'trace_id': '{T1}'}}",
        "envelope",
        [1002],
        {"not_json"},
        trace_ids=[T1],
    ),
    "JavaScript console output": Case(
        "{\n  success: false,\n  error: { status: 401, code: 2004, message: 'Unauthorized' },\n"
        f"  trace_id: '{T2}'\n}}",
        "envelope",
        [2004],
        {"not_json"},
        trace_ids=[T2],
    ),
    "NaN is not JSON": Case(
        '{"success": false, "error": {"status": 429, "code": 1007, "retry_after": NaN}}',
        "envelope",
        [1007],
        {"not_json"},
    ),
    "prose": Case("my messages are not arriving, help", "unrecognized", [], {"not_json"}),
    "JSON without an error": Case(
        '{"chat_id": "c1", "parts": [1, 2]}', "unrecognized", [], {"not_an_error"}
    ),
    "secrets around an envelope": Case(
        f"LINQ_API_V3_API_KEY={TOKEN}\nAuthorization: Bearer {TOKEN}\n" + envelope(retry_after=3),
        "envelope",
        [1007],
        {"secret_redacted"},
    ),
}


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
    assert covered == set(FINDINGS)
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
            }
        ],
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


# --- Shared links ---------------------------------------------------------------------------------


def test_share_params_rebuild_the_same_diagnosis():
    paste = f"HTTP/1.1 429 Too Many Requests\nX-Trace-ID: {T1}\n\n" + envelope(
        retry_after=30, message="Slow down <b>now</b>"
    )
    original = diagnose(paste, now=NOW).diagnoses[0]
    params = original.share_params()
    assert [name for name, _ in params] == [
        "code",
        "status",
        "trace_id",
        "retry_after",
        "finding",
    ]
    assert "Slow down" not in repr(params)
    rebuilt = shared_diagnosis(
        {name: value for name, value in params}, [v for n, v in params if n == "finding"]
    )
    assert rebuilt is not None
    assert rebuilt.code == original.code
    assert rebuilt.trace_id == original.trace_id
    assert rebuilt.retry.verdict == original.retry.verdict
    assert rebuilt.retry.after_seconds == 30
    assert [f.id for f in rebuilt.findings] == [f.id for f in original.findings]
    assert rebuilt.support_url == original.support_url


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"code": "abc"},
        {"trace_id": "0" * 32},
        {"trace_id": "<script>"},
        {"code": "-1"},
        {"code": "9" * 40},
    ],
)
def test_share_params_that_hold_nothing(params):
    assert shared_diagnosis(params, ["not_a_finding", "<b>"]) is None


def test_share_params_ignore_unknown_findings():
    rebuilt = shared_diagnosis({"code": "2004", "status": "999"}, ["bogus", "status_mismatch"])
    assert rebuilt is not None
    assert rebuilt.code == 2004
    assert rebuilt.observed["http_status"] is None
    assert [f.id for f in rebuilt.findings] == ["status_mismatch"]


# --- Pieces ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (T1, T1),
        (T1.upper(), T1),
        (f"00-{T1}-00f067aa0ba902b7-01", T1),
        ("0" * 32, None),
        (T1 + "0", None),
        ("trace_abc123def456", None),
        (12345, None),
        (None, None),
    ],
)
def test_normalise_trace_id(raw, expected):
    assert explain_trace_id(raw)[0] == expected


def test_batch_groups_by_code_with_every_trace_id():
    report = diagnose(CASES["NDJSON"].paste, now=NOW)
    groups = report.groups()
    assert [(g.code, g.count) for g in groups] == [(2004, 2), (1007, 1)]
    assert groups[0].trace_ids == (T1, T2)


def test_lone_surrogates_and_odd_unicode_survive():
    paste = envelope(code=2004, status=401, message="Unauthorized \ud800 \U0001f600 \u202e")
    report = diagnose(paste.replace("\\ud800", "\ud800"))
    assert report.diagnoses[0].observed["message"] == "Unauthorized \ufffd \U0001f600 \u202e"
    json.dumps(report.as_dict(), ensure_ascii=False).encode("utf-8")
    escaped = diagnose('{"success": false, "error": {"code": 2004, "message": "\\ud800"}}')
    assert escaped.diagnoses[0].observed["message"] == "\ufffd"


# --- Properties -----------------------------------------------------------------------------------


def assert_well_formed(report):
    data = report.as_dict()
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogates (ensure_ascii would hide them as escapes)
    assert set(data) == {"input_kind", "findings", "diagnoses"}
    assert report.input_kind in INPUT_KINDS
    assert report.status_code in (200, 400, 413)
    for item in data["findings"] + [f for d in data["diagnoses"] for f in d["findings"]]:
        assert item["id"] in FINDINGS
        assert item["level"] in LEVELS
        assert item["message"]
    for diagnosis in data["diagnoses"]:
        assert set(diagnosis) == {
            "code", "known", "category", "message", "http_status", "observed", "retry",
            "trace_id", "findings", "url", "support_url",
        }  # fmt: skip
        assert set(diagnosis["observed"]) == {"http_status", "status", "message", "retry_after"}
        assert set(diagnosis["retry"]) == {"verdict", "after_seconds", "schedule_seconds"}
        assert diagnosis["retry"]["verdict"] in ("yes", "no", "sometimes", None)
        assert diagnosis["trace_id"] is None or re.fullmatch("[0-9a-f]{32}", diagnosis["trace_id"])
        assert diagnosis["support_url"].startswith("/support/new/")
        assert diagnosis["known"] == (diagnosis["url"] is not None)


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
