"""The checks made on one error found in a paste. Each rule is a plain function of what was
pasted that returns its findings (and, where it reads something, what it read); none changes
its input. `reader.diagnose_item` runs them in the order their findings are reported."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from diagnose.engine.findings import BACKOFF_STEPS, finding
from diagnose.engine.results import Finding
from diagnose.engine.shapes import ErrorItem
from diagnose.engine.values import (
    MISSING,
    as_status,
    codes_text,
    explain_trace_id,
    is_int,
    match_message,
    read_code,
    read_retry_after_header,
    read_seconds,
    short,
    short_text,
    without_error_prefix,
)
from errors.catalogue import Catalogue, Category, ErrorCode, normalise_message

_DOC_URL_CODE = re.compile(r"/error/codes/(?P<category>\d)xxx/(?P<code>\d{1,9})\b", re.IGNORECASE)


@dataclass(frozen=True)
class CodeReading:
    """The code an error names (or the one its message documents), and what is wrong with it."""

    code: int | None
    entry: ErrorCode | None
    category: Category | None
    via_message: bool  # no code in the paste: it was taken from a documented message
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class RetryAfterReading:
    seconds: int | None  # the longer of the body's and the header's wait, when either is usable
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class TraceReading:
    trace_id: str | None  # the first valid one, by where Linq puts it
    findings: tuple[Finding, ...]


# The code ----------------------------------------------------------------------------------------


def code_rule(item: ErrorItem, catalogue: Catalogue) -> CodeReading:
    raw = item.error.get("code", MISSING)
    code, problem = read_code(raw)
    findings: list[Finding] = []
    via_message = False
    if problem == "missing":
        code, via_message, missing = code_from_context(item, catalogue)
        findings.append(missing)
    elif problem == "not_integer":
        findings.append(code_not_integer(raw, code))
    entry, category = catalogue.lookup(code)
    if problem == "huge" or (code is not None and entry is None):
        findings.append(unknown_code(code, raw, category, catalogue))
    return CodeReading(code, entry, category, via_message, tuple(findings))


def code_from_context(item: ErrorItem, catalogue: Catalogue) -> tuple[int | None, bool, Finding]:
    """No code: name the codes the message or status point to, and use a single match.
    Returns (code, taken from the message, the code_missing finding)."""
    message = observed_message(item)
    status = item.error.get("status", MISSING)
    hint = ""
    code = None
    if message is not None:
        entries, how = match_message(message, catalogue)
        if len(entries) == 1 and how in ("exact", "variant", "prefix"):
            code = entries[0].code
            hint = f" Its message is the documented message of {code}, diagnosed below as that."
        elif entries:
            hint = f" Its message fits {codes_text(entries)}."
    status_value = item.http.status if item.http else status
    if not hint and is_int(status_value):
        with_status = [e for e in catalogue.codes if e.http_status == status_value]
        if with_status:
            hint = f" HTTP {status_value} is documented for {codes_text(with_status)}."
    if item.source == "http_response" and item.http is not None:
        text = (
            f"The HTTP {item.http.status} response carries no Linq error code.{hint} Paste "
            "the body too; if it is not a Linq envelope, something in between answered."
        )
    else:
        text = f"The error has no `code`.{hint} Paste the full response body if you have it."
    return code, code is not None, finding("code_missing", text)


def code_not_integer(raw: Any, code: int | None) -> Finding:
    kind = (
        "a string"
        if isinstance(raw, str)
        else "a decimal number"
        if isinstance(raw, float)
        else "not a number"
    )
    then = f"diagnosed as {code}" if code is not None else "so it cannot be looked up"
    return finding(
        "code_not_integer",
        f"`code` is {short(raw)}, {kind}, not an integer; {then}. Linq sends codes as JSON "
        "numbers: compare them as integers in your handler (`error.code == 1007`), or a "
        "string and a number will never match.",
    )


def unknown_code(
    code: int | None, raw: Any, category: Category | None, catalogue: Catalogue
) -> Finding:
    shown = short(raw, 30) if code is None else str(code)
    if category is not None and code is not None:
        nearest = ", ".join(str(e.code) for e in catalogue.nearest(code, 3))
        text = (
            f"{shown} is not in the Linq v3 catalogue. It falls in {category.id} "
            f"({category.name}; default: {category.default_retry_text}). Check that it "
            f"was copied correctly; the nearest documented codes are {nearest}."
        )
    else:
        first, last = catalogue.number_range
        text = f"{shown} is not a Linq v3 error code: they run from {first} to {last}."
        if code is not None and 100 <= code <= 599:
            with_status = [e for e in catalogue.codes if e.http_status == code]
            text += f" {code} looks like an HTTP status" + (
                f", documented for {codes_text(with_status)}." if with_status else "."
            )
    return finding("unknown_code", text)


# The envelope around it --------------------------------------------------------------------------


def envelope_rule(item: ErrorItem) -> list[Finding]:
    if item.source == "error_object":
        return [finding("error_object_only")]
    if item.source != "envelope":
        return []
    if "success" not in item.wrapper:
        return [finding("success_flag_missing")]
    if item.wrapper["success"] is not False:
        return [
            finding(
                "success_flag_not_false",
                f"`success` is {short(item.wrapper['success'])}, not false, yet the body "
                'carries an error. Linq error responses always say `"success": false`; '
                "a client that tests `success` would take this error for a success. "
                "Check the code that produced or changed this body.",
            )
        ]
    return []


# Statuses ----------------------------------------------------------------------------------------


def status_rule(item: ErrorItem, entry: ErrorCode | None) -> list[Finding]:
    if entry is None:
        return []
    findings = []
    status = item.error.get("status", MISSING)
    if status is not MISSING and as_status(status) != entry.http_status:
        findings.append(
            finding(
                "status_mismatch",
                f"`error.status` is {short(status)}, but {entry.code} is documented with "
                f"HTTP {entry.http_status} {entry.reason_phrase}. Linq repeats the HTTP status "
                "there as an integer: check whether a proxy or your own code rewrote the body.",
            )
        )
    if item.http and item.http.status != entry.http_status:
        findings.append(
            finding(
                "http_status_mismatch",
                f"The HTTP status line says {item.http.status}, but {entry.code} is documented "
                f"with {entry.http_status} {entry.reason_phrase}. A proxy, gateway or load "
                "balancer may have answered or rewritten the response; the body's code is "
                "what Linq meant.",
            )
        )
    return findings


# Messages ----------------------------------------------------------------------------------------


def observed_message(item: ErrorItem) -> str | None:
    message = item.error.get("message")
    return message if isinstance(message, str) else None


def message_rule(
    item: ErrorItem, entry: ErrorCode | None, via_message: bool, catalogue: Catalogue
) -> list[Finding]:
    observed = observed_message(item)
    if entry is None or observed is None or via_message:
        return []
    if normalise_message(observed) == normalise_message(entry.message):
        return []
    return [message_mismatch(observed, entry, catalogue)]


def message_mismatch(observed: str, entry: ErrorCode, catalogue: Catalogue) -> Finding:
    # Only an exact match says something here: no fuzzy matching for every mismatch.
    others = catalogue.with_message(without_error_prefix(observed))
    belongs = ""
    if others and entry not in others:
        belongs = f" It is the documented message of {codes_text(others)}: check the code."
    return finding(
        "message_mismatch",
        f"The message {short_text(observed)} differs from the documented "
        f'"{entry.message}".{belongs} Wording varies between API versions and samples: '
        "handle errors by `code`, never by message text.",
    )


# Retry-After -------------------------------------------------------------------------------------


def retry_after_rule(
    item: ErrorItem, code: int | None, entry: ErrorCode | None, base: datetime
) -> RetryAfterReading:
    """The wait the body and the `Retry-After` header state, checked against each other and
    against the code; `base` is when the response was sent (its Date header, or now)."""
    error, http = item.error, item.http
    status = error.get("status", MISSING)
    body_raw = error.get("retry_after", MISSING)
    header_raw = http.headers.get("retry-after") if http else None
    body_seconds = header_seconds = None
    findings = []
    if body_raw is not MISSING:
        body_seconds, valid = read_seconds(body_raw)
        if not valid:
            usable = f" It was read as {body_seconds} s." if body_seconds is not None else ""
            findings.append(
                finding(
                    "retry_after_invalid",
                    f"`error.retry_after` is {short(body_raw)}; it must be a non-negative "
                    f"integer number of seconds.{usable} Code that does arithmetic with it "
                    "will fail or wait the wrong time.",
                )
            )
    if header_raw is not None:
        header_seconds, valid = read_retry_after_header(header_raw, base)
        if not valid:
            findings.append(
                finding(
                    "retry_after_invalid",
                    f"The `Retry-After` header is {short_text(header_raw)}; it must be a "
                    "number of seconds or an HTTP date.",
                )
            )
    present = body_raw is not MISSING or header_raw is not None
    statuses = {status if is_int(status) else None, http.status if http else None}
    expected = code == 1007 or 429 in statuses
    if present and not expected and (code is not None or statuses - {None}):
        where = "`error.retry_after`" if body_raw is not MISSING else "A `Retry-After` header"
        on = f"code {code}" if code is not None else f"HTTP {next(iter(statuses - {None}))}"
        advice = f" Follow {code}'s own retry advice." if entry else ""
        findings.append(
            finding(
                "retry_after_unexpected",
                f"{where} appears on {on}, but Linq sends it only with 429 (code 1007).{advice}",
            )
        )
    if body_seconds is not None and header_seconds is not None and body_seconds != header_seconds:
        findings.append(
            finding(
                "retry_after_header_mismatch",
                f"The `Retry-After` header says {header_seconds} s but `error.retry_after` "
                f"says {body_seconds} s. Wait the longer of the two "
                f"({max(body_seconds, header_seconds)} s).",
            )
        )
    if expected and not present and item.source != "loose":
        findings.append(
            finding(
                "retry_after_missing",
                "A 429 (code 1007) should carry a `Retry-After` header and "
                "`error.retry_after`; neither is in the paste. If you pasted only the body, "
                f"look at the headers; otherwise back off exponentially ({BACKOFF_STEPS} s "
                "with jitter) and cap the attempts.",
            )
        )
    known = [s for s in (body_seconds, header_seconds) if s is not None]
    return RetryAfterReading(max(known) if known else None, tuple(findings))


# The trace id ------------------------------------------------------------------------------------


def trace_rule(item: ErrorItem) -> TraceReading:
    wrapper, error, http = item.wrapper, item.error, item.http
    findings: list[Finding] = []
    candidates = []  # (raw value, where)
    if "trace_id" in wrapper:
        candidates.append((wrapper["trace_id"], "`trace_id`"))
    if item.source == "error_object" and "trace_id" in error:
        candidates.append((error["trace_id"], "`trace_id`"))
    if item.source == "envelope" and "trace_id" in error and "trace_id" not in wrapper:
        findings.append(
            finding(
                "trace_id_misplaced",
                "`trace_id` sits inside `error`; Linq puts it at the top level, beside "
                "`error` (and in the `X-Trace-ID` header). Code that reads `body.trace_id` "
                "finds nothing here: read it from the top level.",
            )
        )
        candidates.append((error["trace_id"], "`error.trace_id`"))
    if http and "x-trace-id" in http.headers:
        candidates.append((http.headers["x-trace-id"], "The `X-Trace-ID` header"))
    elif http and "traceparent" in http.headers:
        candidates.append((http.headers["traceparent"], "The `traceparent` header"))
    if not candidates:
        missing = [trace_missing(item)] if item.source != "loose" else []
        return TraceReading(None, tuple(missing))
    chosen = None
    malformed = None
    for raw, where in candidates:
        trace_id, problem = explain_trace_id(raw)
        if problem and malformed is None:
            malformed = finding(
                "trace_id_malformed",
                f"{where} {problem}, so it cannot identify a request. Copy it again from "
                "the response body or the `X-Trace-ID` header; support needs the exact "
                "32 hexadecimal characters.",
            )
            findings.append(malformed)
        chosen = chosen or trace_id
    return TraceReading(chosen, tuple(findings))


def trace_missing(item: ErrorItem) -> Finding:
    if item.source == "webhook":
        where = "Linq puts `trace_id` in every webhook payload; this one has none. "
    elif item.source == "error_object":
        where = "The inner error object does not hold the trace id: it sits beside `error`. "
    else:
        where = "The paste has no `trace_id` and no `X-Trace-ID` header. "
    return finding(
        "trace_id_missing",
        where + "Support needs it to find the request: read it from the `X-Trace-ID` "
        "response header (`curl -i`, or your SDK's raw response) and log it with every error.",
    )


# doc_url -----------------------------------------------------------------------------------------


def doc_url_rule(item: ErrorItem, code: int | None) -> list[Finding]:
    doc_url = item.error.get("doc_url")
    if not isinstance(doc_url, str) or code is None:
        return []
    named = _DOC_URL_CODE.search(doc_url)
    if named is None or (int(named["code"]) == code and named["category"] == str(code)[0]):
        return []
    return [
        finding(
            "doc_url_mismatch",
            f"`doc_url` names code {named['code']} ({named['category']}xxx), but the "
            f"code is {code}. The code is authoritative; the link may have been "
            "copied from another response.",
        )
    ]
