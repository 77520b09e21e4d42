"""Every finding id (SPEC §5) with its usual level and a message that stands on its own."""

from typing import Any

from diagnose.engine.limits import MAX_DEPTH, MAX_INPUT_BYTES
from diagnose.engine.results import Finding, Report
from errors.catalogue import BACKOFF_SCHEDULE

BACKOFF_STEPS = ", ".join(str(s) for s in BACKOFF_SCHEDULE)  # "1, 2, 4, 8, 16, 30"

# Every finding id with its usual level and a message that stands on its own. Detection writes a
# more specific message; the generic one is used where only the id is known (a shared link).
FINDINGS: dict[str, tuple[str, str]] = {
    "empty_input": (
        "error",
        "Nothing to diagnose: the paste is empty. Paste an error response body, `curl -i` output, "
        "log lines, a code such as 2004 or a trace id.",
    ),
    "input_too_large": (
        "error",
        f"The paste is larger than {MAX_INPUT_BYTES // 1024} KiB and was not read. Paste only "
        "the failing response (status line, headers and body) or the few log lines around it.",
    ),
    "not_json": (
        "error",
        "No JSON could be read. Check that the paste is complete (log lines are often cut off) "
        "and that it is the response body itself, not a language's printout of it.",
    ),
    "nested_too_deep": (
        "error",
        f"The JSON is nested deeper than {MAX_DEPTH} levels; an error envelope is two levels "
        "deep. Paste the envelope itself rather than the structure around it.",
    ),
    "secret_redacted": (
        "warning",
        "A bearer token or API key was found and masked before anything else happened; it is not "
        "shown, stored or sent on. If this text was shared anywhere else, have the key rotated.",
    ),
    "legacy_v2_format": (
        "warning",
        "This is the legacy V2 API's error shape (an `errors` array with string codes); its codes "
        "are not this catalogue's. Move the call to the v3 API (Authorization: Bearer instead of "
        "X-LINQ-INTEGRATION-TOKEN); v3 errors carry a numeric code that is explained here.",
    ),
    "not_an_error": (
        "info",
        "This is not an error: there is no error object in it, or `success` is true. If the call "
        "still misbehaved, paste the failing response or the `message.failed` webhook.",
    ),
    "success_flag_missing": (
        "info",
        'The envelope has no `success` field; Linq always sends `"success": false` with an error. '
        "The body was probably rebuilt by your code or a proxy: diagnose the original if you can.",
    ),
    "success_flag_not_false": (
        "warning",
        "`success` is not `false`, yet the body carries an error. Linq error responses always say "
        '`"success": false`; check the code that produced or changed this body.',
    ),
    "error_object_only": (
        "info",
        "This is the inner `error` object without the envelope around it. The `trace_id` sits "
        "beside `error` in the full body and in the `X-Trace-ID` header: keep it for support.",
    ),
    "code_missing": (
        "error",
        "The error has no `code`. The code decides what went wrong: paste the full response body.",
    ),
    "code_not_integer": (
        "warning",
        "`code` is not an integer. Linq sends codes as JSON numbers; compare them as integers in "
        "your handler, or a string and a number will never match.",
    ),
    "unknown_code": (
        "error",
        "This code is not in the Linq v3 catalogue. Check that it was copied correctly.",
    ),
    "message_mismatch": (
        "info",
        "The message differs from the documented one. Wording varies between API versions: "
        "handle errors by `code`, never by message text.",
    ),
    "status_mismatch": (
        "warning",
        "`error.status` differs from the HTTP status documented for this code. Check whether a "
        "proxy or your own code rewrote the body.",
    ),
    "http_status_mismatch": (
        "warning",
        "The HTTP status line differs from the status documented for this code. A proxy or gateway "
        "may have answered or rewritten the response.",
    ),
    "retry_after_missing": (
        "warning",
        "A 429 should carry a `Retry-After` header and `error.retry_after`; neither is here. Back "
        f"off exponentially ({BACKOFF_STEPS} s with jitter) and cap the attempts.",
    ),
    "retry_after_invalid": (
        "warning",
        "`retry_after` must be a non-negative whole number of seconds.",
    ),
    "retry_after_unexpected": (
        "warning",
        "`retry_after` appears on a code other than 1007 (HTTP 429). Linq sends it only with 429: "
        "follow the code's own retry advice.",
    ),
    "retry_after_header_mismatch": (
        "warning",
        "The `Retry-After` header and `error.retry_after` disagree. Wait the longer of the two.",
    ),
    "trace_id_missing": (
        "warning",
        "No trace id. Support needs it to find the request: read it from the `X-Trace-ID` "
        "response header (`curl -i`, or your SDK's raw response) and log it with every error.",
    ),
    "trace_id_malformed": (
        "warning",
        "The trace id is not 32 hexadecimal characters, so it cannot identify a request. Copy it "
        "again from the response body or the `X-Trace-ID` header.",
    ),
    "trace_id_misplaced": (
        "warning",
        "`trace_id` sits inside `error`; Linq puts it at the top level, beside `error`. Code that "
        "reads `body.trace_id` finds nothing here.",
    ),
    "doc_url_mismatch": (
        "warning",
        "`doc_url` names a different code than `code`. Trust the code.",
    ),
    # Beyond SPEC §5's list (diagnose.engine.outside): answers that are not Linq's, and calls
    # that got no answer at all.
    "gateway_response": (
        "warning",
        "This answer came from a gateway or proxy between you and the Linq API, not from the "
        "API itself: it has no Linq code. Treat it as a transient failure: retry with backoff "
        "and the same idempotency key.",
    ),
    "transport_error": (
        "warning",
        "No answer came back at all (a timeout or a dropped connection), so there is no Linq "
        "code to explain. Treat it as a transient failure: retry with backoff and the same "
        "idempotency key.",
    ),
}
# Findings about the paste as a whole; the others belong to one diagnosis.
INPUT_FINDINGS = frozenset(
    {
        "empty_input",
        "input_too_large",
        "not_json",
        "nested_too_deep",
        "secret_redacted",
        "legacy_v2_format",
        "not_an_error",
        "gateway_response",
        "transport_error",
    }
)


def finding(finding_id: str, message: str | None = None, **extra: Any) -> Finding:
    """A finding of `finding_id`: its usual level and generic message unless told otherwise."""
    level, generic = FINDINGS[finding_id]
    return Finding(finding_id, extra.pop("level", level), message or generic, **extra)


def oversized_report() -> Report:
    """The answer to a paste past MAX_INPUT_BYTES, for callers that refuse to read it at all."""
    return Report("unrecognized", (finding("input_too_large"),), (), "", 413)


def _request_findings() -> dict[str, tuple[str, str]]:
    """The findings about the request that was sent: one per request rule, and the verdict."""
    from diagnose.engine.request import RULES

    found = {rule.id: ("error", rule.summary) for rule in RULES}
    found["request_refused"] = (
        "error",
        "The request that was sent breaks a rule Linq documents; the findings below name the "
        "field, what is wrong and the fix.",
    )
    found["request_no_problem"] = (
        "info",
        "No problem found in the request, in what this reference knows about its endpoint.",
    )
    found["request_would_cause"] = (
        "warning",
        "The request has more problems, which would make Linq answer with other codes once "
        "this one is fixed.",
    )
    return found


REQUEST_FINDINGS = frozenset(_request_findings())
FINDINGS.update(_request_findings())
