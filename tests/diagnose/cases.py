"""The pastes every diagnosis test shares: the table of SPEC §5 cases (each input kind, each
finding id) and what a well-formed report is. Used by the engine, view, command and presentation
tests alike."""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from diagnose.engine import (
    FINDINGS,
    INPUT_KINDS,
    LEVELS,
    MAX_GROUPS,
    MAX_INPUT_BYTES,
    MAX_TRACE_IDS,
    Report,
)
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
        {"gateway_response"},  # a gateway's page: transient, not "paste the body too"
        verdicts=["yes"],
        schedule=[1, 2, 4, 8, 16, 30],
        trace_ids=[T3],
    ),
    "an empty 503": Case(
        "HTTP/1.1 503 Service Unavailable\nContent-Length: 0\n\n",
        "http_response",
        [None],
        {"gateway_response"},
        verdicts=["yes"],
    ),
    "curl timed out": Case(
        "curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received",
        "unrecognized",
        [None],
        {"transport_error"},
        verdicts=["yes"],
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
        [2004, 1007],  # the two 401s differ only in their trace ids: one diagnosis, counted 2
        verdicts=["no", "yes"],
        after=[None, 12],
        trace_ids=[T1, T3],
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
        [2008],  # alike but for their trace ids
        trace_ids=[T1],
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
        [2001],  # "Chat not found" is 2001's documented message
        {"legacy_v2_format"},
    ),
    "legacy V2 invalid phone number": Case(
        '{"errors":[{"status":400,"code":"invalid_phone_number","title":"Invalid phone number",'
        '"detail":"Phone number must be in E.164 format"}]}',
        "legacy_v2",
        [1002],
        {"legacy_v2_format"},
        verdicts=["no"],
    ),
    "legacy V2 without a v3 message": Case(
        '{"errors":[{"status":418,"code":"teapot","title":"I am a teapot"}]}',
        "legacy_v2",
        [],
        {"legacy_v2_format"},
    ),
    "legacy V2 with the integration token": Case(
        "> X-LINQ-INTEGRATION-TOKEN: 6b1f0c3e-5e3a-4f0a-9d55-8d4b0f1a2c3d\n"
        "HTTP/1.1 401 Unauthorized\n\n"
        '{"errors":[{"status":401,"code":"unauthorized","title":"Unauthorized"}]}',
        "legacy_v2",
        [2004],  # "Unauthorized"
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
    "words about messages that do not go out": Case(
        "messages just dont go out", "unrecognized", [], {"not_json"}
    ),
    "JSON without an error": Case(
        '{"chat_id": "c1", "items": [1, 2]}', "unrecognized", [], {"not_an_error"}
    ),
    # --- The request that was sent ----------------------------------------------------------------
    "a request body alone": Case(
        '{"from": "+12223334444", "to": ["4155551234"], "message": {"parts": '
        '[{"type": "text", "value": "hi"}], "idempotency_key": "k1"}}',
        "request",
        [],
        {"request_refused", "request_phone_not_e164"},
    ),
    "a good request alone": Case(
        f"curl -X POST https://api.linqapp.com/api/partner/v3/chats -H 'Authorization: Bearer "
        f"{TOKEN}' --json "
        '\'{"from": "+12223334444", "to": ["+14155551234"], "message": {"parts": '
        '[{"type": "text", "value": "hi"}], "idempotency_key": "k1"}}\'',
        "request",
        [],
        {"request_no_problem", "secret_redacted"},
    ),
    "the request beside its error": Case(
        "sent: "
        '{"from": "+12223334444", "to": ["4155551234"], "message": {"parts": '
        '[{"type": "link", "value": "https://example.com"}], "idempotency_key": "k1"}}\n'
        "got: " + envelope(code=1002, status=400, message="Phone number must be in E.164 format"),
        "envelope",
        [1002],
        {"request_phone_not_e164", "request_would_cause", "request_first_message_link"},
    ),
    "secrets around an envelope": Case(
        f"LINQ_API_V3_API_KEY={TOKEN}\nAuthorization: Bearer {TOKEN}\n" + envelope(retry_after=3),
        "envelope",
        [1007],
        {"secret_redacted"},
    ),
}


def assert_well_formed(report: Report) -> None:
    data = report.as_dict()
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogates (ensure_ascii would hide them as escapes)
    bounded = {"count", "error_count", "truncated"}
    assert set(data) == {"input_kind", "findings", "diagnoses"} | bounded | (
        {"request"} if report.request is not None else set()
    ) | ({"related_codes"} if report.related is not None else set())
    for related in data.get("related_codes", []):
        assert set(related) == {"code", "message", "url"}
        assert related["url"] == f"/errors/{related['code']}/"
    if report.request is not None:
        assert set(data["request"]) == {
            "source", "method", "path", "endpoint", "endpoint_guessed", "would_cause", "findings",
        }  # fmt: skip
        for item in data["request"]["findings"]:
            assert item["id"] in FINDINGS
            assert item["fix"]
    assert len(data["diagnoses"]) <= MAX_GROUPS
    assert data["count"] >= len(data["diagnoses"])
    assert data["truncated"] == (data["count"] > len(data["diagnoses"]))
    assert data["error_count"] >= sum(d["count"] for d in data["diagnoses"])
    if not data["truncated"]:
        assert data["error_count"] == sum(d["count"] for d in data["diagnoses"])
    assert report.input_kind in INPUT_KINDS
    assert report.status_code in (200, 400, 413)
    for item in data["findings"] + [f for d in data["diagnoses"] for f in d["findings"]]:
        assert item["id"] in FINDINGS
        assert item["level"] in LEVELS
        assert item["message"]
    for diagnosis in data["diagnoses"]:
        assert set(diagnosis) == {
            "code", "known", "category", "message", "http_status", "observed", "retry",
            "trace_id", "findings", "url", "support_url", "count", "trace_ids", "trace_id_count",
        }  # fmt: skip
        assert diagnosis["count"] >= 1
        assert len(diagnosis["trace_ids"]) <= min(MAX_TRACE_IDS, diagnosis["trace_id_count"])
        assert diagnosis["trace_id"] == (diagnosis["trace_ids"] or [None])[0]
        assert set(diagnosis["observed"]) == {"http_status", "status", "message", "retry_after"}
        assert set(diagnosis["retry"]) == {"verdict", "after_seconds", "schedule_seconds"}
        assert diagnosis["retry"]["verdict"] in ("yes", "no", "sometimes", None)
        assert diagnosis["trace_id"] is None or re.fullmatch("[0-9a-f]{32}", diagnosis["trace_id"])
        assert diagnosis["support_url"].startswith("/support/new/")
        assert diagnosis["known"] == (diagnosis["url"] is not None)
