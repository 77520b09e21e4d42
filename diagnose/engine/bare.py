"""Pastes without JSON or an HTTP response: a trace id, one or more codes, or a message."""

import re

from diagnose.engine.findings import finding
from diagnose.engine.results import Diagnosis, Finding, RetryTiming, empty_observed
from diagnose.engine.rules import message_mismatch, unknown_code
from diagnose.engine.sharing import code_url, support_url
from diagnose.engine.timing import retry_timing
from diagnose.engine.values import explain_trace_id, match_message, observable
from errors.catalogue import Catalogue, ErrorCode, normalise_message
from errors.traceids import TRACEPARENT

_HOW_MATCHED = {
    "exact": "its wording",
    "variant": "a known variant of its wording",
    "prefix": "its opening words",
    "partial": "part of its wording",
    "similar": "similar wording",
}
_BARE_CODE = re.compile(
    r"(?:linq\s+)?(?:(?:error|code|err|http|status)\s*)*[:#]?\s*(?P<code>\d{1,9})"
    r"(?:\s*[-:\u2014\u2013]\s*|\s+)?(?P<message>[^\d\s][^\n]{0,300})?",
    re.IGNORECASE,
)
_TRACE_HEADER_LINE = re.compile(
    r"^[<> \t]*(?:x-trace-id|traceparent)[ \t]*:[ \t]*(?P<value>\S{1,120})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_BARE_CODES = re.compile(r"\d{3,6}(?:[\s,;]+\d{3,6})+")
_BARE_TRACE = re.compile(
    r"""(?:(?P<label>x-trace-id|trace[_ -]?id|traceparent)["']?\s*[:=]\s*)?"""
    r"""["']?(?P<value>[A-Za-z0-9_-]{8,120})["']?""",
    re.IGNORECASE,
)


def read_bare(text: str, catalogue: Catalogue) -> tuple[str, list[Diagnosis]] | None:
    """The input kind and diagnoses of a paste that is a trace id, codes or a message; None
    when it is none of those."""
    stripped = text.strip()
    trace = _bare_trace_id(stripped)
    if trace is None:  # response headers without their status line
        header = _TRACE_HEADER_LINE.search(stripped)
        trace = header["value"] if header else None
    if trace is not None:
        return "trace_id", [trace_only(trace)]
    if _BARE_CODES.fullmatch(stripped):
        numbers = [int(n) for n in re.findall(r"\d+", stripped)]
        return "batch", [bare_code(n, None, catalogue) for n in numbers]
    code = _BARE_CODE.fullmatch(stripped)
    if code:
        message = (code["message"] or "").strip() or None
        return "code", [bare_code(int(code["code"]), message, catalogue)]
    lines = [line.strip() for line in stripped.split("\n") if line.strip()]
    if len(lines) <= 20:
        # One line may be a message in any wording; in several lines (a stack trace), only
        # a line that starts with a documented message counts.
        for line in lines:
            entries, how = match_message(line, catalogue, loose=len(lines) == 1)
            if entries and how is not None:
                return "message", [by_message(e, line, how) for e in entries]
    return None


def _bare_trace_id(text: str) -> str | None:
    """The pasted value when the whole paste is a trace id, a traceparent or an X-Trace-ID line."""
    match = _BARE_TRACE.fullmatch(text)
    if match is None:
        return None
    value = match["value"]
    if match["label"] or TRACEPARENT.fullmatch(value.lower()) or value.lower().startswith("trace_"):
        return value
    if re.fullmatch(r"[0-9a-fA-F]{16,64}", value) and (
        len(value) == 32 or re.search(r"[a-fA-F]", value)
    ):
        return value
    return None


def bare_code(number: int, message: str | None, catalogue: Catalogue) -> Diagnosis:
    entry, category = catalogue.lookup(number)
    findings = []
    if entry is None:
        findings.append(unknown_code(number, number, category, catalogue))
    elif message and normalise_message(message) != normalise_message(entry.message):
        findings.append(message_mismatch(message, entry, catalogue))
    return Diagnosis(
        code=number,
        known=entry is not None,
        entry=entry,
        category=category,
        observed=empty_observed(message=observable(message)),
        retry=retry_timing(entry, category, None, None, None),
        trace_id=None,
        findings=tuple(findings),
        url=code_url(entry),
        support_url=support_url(number, None, None),
        source="code",
        line=1,
    )


def by_message(entry: ErrorCode, text: str, how: str) -> Diagnosis:
    findings = []
    if normalise_message(text) != normalise_message(entry.message):
        findings.append(
            finding(
                "message_mismatch",
                f"Matched by {_HOW_MATCHED[how]}: "
                f'the documented message of {entry.code} is "{entry.message}". Handle errors '
                "by `code`, never by message text; the code in the full response decides.",
            )
        )
    return Diagnosis(
        code=entry.code,
        known=True,
        entry=entry,
        category=entry.category,
        observed=empty_observed(message=observable(text)),
        retry=retry_timing(entry, entry.category, None, None, None),
        trace_id=None,
        findings=tuple(findings),
        url=code_url(entry),
        support_url=support_url(entry.code, None, None),
        source="message",
        line=1,
    )


def trace_only(raw: str) -> Diagnosis:
    trace_id, problem = explain_trace_id(raw)
    findings: tuple[Finding, ...] = ()
    if problem:
        findings = (
            finding(
                "trace_id_malformed",
                f"The trace id {problem}. A Linq trace id is 32 hexadecimal characters (the "
                "second part of a W3C `traceparent`); copy it again from the response body "
                "or the `X-Trace-ID` header.",
            ),
        )
    return Diagnosis(
        code=None,
        known=False,
        entry=None,
        category=None,
        observed=empty_observed(),
        retry=RetryTiming(None, None, "A trace id alone does not say whether to retry."),
        trace_id=trace_id,
        findings=findings,
        url=None,
        support_url=support_url(None, trace_id, None),
        source="trace_id",
        line=1,
    )
