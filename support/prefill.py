"""What the support form starts with: from a link's query parameters or from a pasted error.

The paste is always diagnosed again here on the server; nothing the diagnosis page may have put
into hidden fields is trusted. Everything built here is a suggestion the user can change.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from diagnose.engine import MAX_INPUT_BYTES, Report, diagnose
from diagnose.engine.outside import SUMMARIES as FAILURES
from diagnose.engine.redaction import redact_secrets
from errors.loading import get_catalogue
from errors.traceids import read_trace_id
from support.forms import normalise_newlines

# `curl -v` shows the request line as "> POST /api/partner/v3/chats HTTP/2".
REQUEST_LINE = re.compile(
    r"^>?[ \t]*(?P<method>GET|POST|PUT|PATCH|DELETE)[ \t]+(?P<target>\S+)[ \t]+HTTP/[\d.]+[ \t]*$",
    re.MULTILINE,
)


@dataclass
class Problem:
    """One error as far as the form cares: its code, what was observed, where it was traced."""

    code: int | None = None
    message: str = ""
    http_status: int | None = None
    trace_id: str = ""
    retry_after: int | None = None
    failure: str = ""  # a failure outside the API, in words (diagnose.engine.outside.SUMMARIES)


@dataclass
class Prefill:
    initial: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    secrets_masked: int = 0
    from_diagnosis: bool = False
    paste_too_large: bool = False
    # Where the person came from, for the breadcrumb: "diagnosis", "code" (a code's page) or "".
    came_from: str = ""


def _int(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _documented_message(code: int | None) -> str:
    entry = get_catalogue().get(code) if code is not None else None
    return entry.message if entry else ""


def suggested_subject(problems: list[Problem]) -> str:
    """`[1007] Rate limit exceeded — trace 2eff5df5…`, shortened for several problems."""
    if not problems:
        return ""
    first = problems[0]
    if first.code is not None:
        message = _documented_message(first.code) or first.message or "Unknown error code"
        subject = f"[{first.code}] {message}"
    elif first.failure:
        subject = first.failure + (f" (HTTP {first.http_status})" if first.http_status else "")
    elif first.http_status:
        subject = f"HTTP {first.http_status}" + (f": {first.message}" if first.message else "")
    else:
        subject = "A failing call"
    if others := len(problems) - 1:
        subject += f" (+{others} more)"
    if first.trace_id:
        subject += f" — trace {first.trace_id[:8]}…"
    return subject[:200]


def _describe(problem: Problem) -> str:
    parts = []
    if problem.http_status:
        parts.append(f"HTTP {problem.http_status}")
    if problem.code is not None:
        parts.append(f"error {problem.code}")
    if problem.failure:
        line = f"{problem.failure} ({', '.join(parts)})" if parts else problem.failure
        return line + (f", trace id {problem.trace_id}." if problem.trace_id else ".")
    if not parts:
        return f"A call failed; its trace id is {problem.trace_id}." if problem.trace_id else ""
    line = "Linq answered " + " with ".join(parts)
    if message := problem.message or _documented_message(problem.code):
        line += f' "{message}"'
    if problem.retry_after is not None:
        line += f" (retry_after {problem.retry_after} s)"
    if problem.trace_id:
        line += f", trace id {problem.trace_id}"
    return line + "."


def known_facts(problems: list[Problem], *, when: str = "", endpoint: str = "") -> str:
    """What is already known, as the start of the description: real text, never a prompt.

    The questions support needs answered are the field's placeholder and help text
    (forms.DESCRIPTION_QUESTIONS), so a prompt never reaches support as if the person wrote it.
    """
    happened = "\n".join(
        ("- " if len(problems) > 1 else "") + line for p in problems if (line := _describe(p))
    )
    sections = [
        (heading, text)
        for heading, text in [
            ("What happened:", happened),
            ("When it happened (UTC):", when),
            ("Endpoint:", endpoint),
        ]
        if text
    ]
    return "\n\n".join(f"{heading}\n{text}" for heading, text in sections) + (
        "\n\n" if sections else ""
    )


def _initial_for(problems: list[Problem], *, when: str = "", endpoint: str = "") -> dict:
    initial: dict = {}
    if problems:
        first = problems[0]
        if traces := list(dict.fromkeys(p.trace_id for p in problems if p.trace_id)):
            initial["trace_id"] = ", ".join(traces)
        if first.code is not None:
            initial["error_code"] = first.code
        if first.http_status:
            initial["http_status"] = first.http_status
        initial["subject"] = suggested_subject(problems)
    if endpoint:
        initial["endpoint"] = endpoint
    initial["description"] = known_facts(problems, when=when, endpoint=endpoint)
    return initial


# `?endpoint=POST /v3/chats`: a method and a path, nothing else (no query string, no host).
ENDPOINT_PARAM = re.compile(
    r"(?P<method>GET|POST|PUT|PATCH|DELETE) (?P<path>/[A-Za-z0-9/_.~%{}:-]{0,190})"
)


def _endpoint_param(value: str) -> str:
    match = ENDPOINT_PARAM.fullmatch(re.sub(r"\s+", " ", value or "").strip())
    return f"{match['method']} {match['path']}" if match else ""


def from_query(params: Mapping[str, str]) -> Prefill:
    """`/support/new/?code=1007&trace_id=…&status=429&endpoint=POST /v3/chats`; from a
    diagnosis of a failure outside the API also `failure=timeout` (a kind, not pasted text).

    Values that do not fit are ignored. A link never carries the paste itself.
    """
    problem = Problem(
        code=_int(params.get("code"), *get_catalogue().number_range),
        http_status=_int(params.get("status"), 100, 599),
        trace_id=read_trace_id(params.get("trace_id", "")) or "",
    )
    if problem.code is None:
        problem.failure = FAILURES.get(params.get("failure", ""), "")
    if problem.code is not None and problem.http_status is None:
        entry = get_catalogue().get(problem.code)
        problem.http_status = entry.http_status if entry else None
    given = problem.code is not None or problem.http_status or problem.trace_id or problem.failure
    problems = [problem] if given else []
    endpoint = _endpoint_param(params.get("endpoint", ""))
    if params.get("from") == "diagnosis":
        came_from = "diagnosis"
    elif problem.code is not None and get_catalogue().get(problem.code) is not None:
        came_from = "code"
    else:
        came_from = ""
    return Prefill(
        initial=_initial_for(problems, endpoint=endpoint), problems=problems, came_from=came_from
    )


def problems_in(report: Report) -> list[Problem]:
    problems = []
    for diagnosis in report.diagnoses:
        observed = diagnosis.observed
        status = _int(observed.get("http_status"), 100, 599) or _int(
            observed.get("status"), 100, 599
        )
        problems.append(
            Problem(
                code=diagnosis.code,
                message=str(observed.get("message") or diagnosis.message or "")[:200],
                http_status=status or diagnosis.http_status,
                trace_id=diagnosis.trace_id or "",
                retry_after=_int(observed.get("retry_after"), 0, 10**9),
                failure=FAILURES.get(diagnosis.source, ""),
            )
        )
    return problems


def _when(report: Report, now: datetime) -> str:
    dates = [d.response_date for d in report.diagnoses if d.response_date is not None]
    if dates:
        return f"{dates[0].astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC (the Date header of the response)"
    return f"Around {now:%Y-%m-%d %H:%M} UTC (when this was pasted; correct it if earlier)"


def _endpoint(text: str) -> str:
    match = REQUEST_LINE.search(text)
    if not match:
        return ""
    # The path only: a query string can carry anything, keys included.
    path = re.sub(r"^https?://[^/]+", "", match["target"]).split("?", 1)[0]
    return f"{match['method']} {path}"[:200]


def from_paste(text: str, *, now: datetime | None = None) -> Prefill:
    """Diagnose the pasted text again and fill the form from what the diagnosis found."""
    now = now or timezone.now()
    text = normalise_newlines(text)
    redacted, masked = redact_secrets(text)
    report = diagnose(text, now=now)
    problems = problems_in(report)
    initial = _initial_for(problems, when=_when(report, now), endpoint=_endpoint(redacted))
    initial["envelope"] = redacted
    return Prefill(
        initial=initial,
        problems=problems,
        secrets_masked=masked,
        from_diagnosis=True,
        came_from="diagnosis",
        paste_too_large=len(redacted.encode("utf-8")) > MAX_INPUT_BYTES,
    )
