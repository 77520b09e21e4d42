"""Failures outside the Linq API: a gateway's or proxy's own page (an HTML 502/503/504, a
Cloudflare 52x), a 5xx with an empty body, or a call that got no answer at all (`curl: (28)
Operation timed out`, a refused or reset connection).

None of them carries a Linq code, and asking for "the body too" would not help: they are
transient until proven otherwise. The answer is to retry with backoff and the same idempotency
key, and to contact support once it persists. A host name that does not resolve or a TLS set-up
that fails is the one exception: waiting does not fix those.
"""

import re
from dataclasses import dataclass

from diagnose.engine.findings import BACKOFF_STEPS, finding
from diagnose.engine.paste import Paste
from diagnose.engine.results import Diagnosis, Finding, RetryTiming, empty_observed
from diagnose.engine.shapes import http_responses
from diagnose.engine.sharing import support_url
from errors.catalogue import BACKOFF_SCHEDULE
from errors.traceids import read_trace_id

# Statuses a gateway or proxy answers with on its own.
GATEWAY_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527})
STATUS_LINE = re.compile(r"^[<>* \t]{0,4}HTTP/[\d.]{1,3}[ \t]+(?P<status>\d{3})\b", re.MULTILINE)
HTML = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<title>", re.IGNORECASE)
TITLE_STATUS = re.compile(r"<(?:title|h1)>[^<]{0,60}?\b(?P<status>5\d\d)\b", re.IGNORECASE)
# Any sign of Linq's own JSON: then the paste is Linq's answer, however it is wrapped.
LINQ_JSON = re.compile(r"""["'](?:success|error|errors|code|trace_id)["']\s*:""")

# What clients print when no answer came back at all.
CURL_ERROR = re.compile(r"\bcurl: \((?P<number>\d{1,3})\)[ \t]*(?P<text>[^\r\n]{0,200})")
CURL_KINDS = {28: "timeout", 6: "dns", 35: "tls", 60: "tls"}  # others: the connection failed
CLIENT_ERRORS = (
    (
        "timeout",
        re.compile(
            r"\b(?:ETIMEDOUT|ESOCKETTIMEDOUT|ReadTimeout|ConnectTimeout|TimeoutError"
            r"|timed out|Gateway Time-?out)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "connection",
        re.compile(
            r"\b(?:ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|Connection reset|Connection "
            r"refused|Connection aborted|RemoteDisconnected|Empty reply from server|Broken pipe)",
            re.IGNORECASE,
        ),
    ),
    (
        "dns",
        re.compile(
            r"\b(?:ENOTFOUND|EAI_AGAIN|Could not resolve host|Name or service not known)\b",
            re.IGNORECASE,
        ),
    ),
)
MAX_CLIENT_ERROR_TEXT = 2000  # a longer text is a log to read, not one client error

TRANSIENT_ADVICE = (
    f"Retry with exponential backoff ({BACKOFF_STEPS} s, with random jitter) and the same "
    "`idempotency_key`, so a message that did go through is not sent twice. If it goes on for "
    "more than a few minutes, contact support with the time, the endpoint and any `X-Trace-ID` "
    "you have."
)
FIX_ADVICE = {
    "dns": "Check the API's address (https://api.linqapp.com/api/partner/v3) and your DNS; "
    "waiting will not fix it.",
    "tls": "Check the address, the system's certificate store and any proxy that intercepts "
    "TLS; waiting will not fix it.",
}
WHAT_HAPPENED = {
    "gateway": "a gateway or proxy answered with its own HTML page (HTTP {status}), not the Linq "
    "API with its JSON envelope",
    "empty_body": "the response (HTTP {status}) has no body at all: a gateway or proxy answered, "
    "not the Linq API",
    "timeout": "the call timed out before any answer came back (`{evidence}`)",
    "connection": "the connection failed or was dropped before an answer came back (`{evidence}`)",
    "dns": "the API's host name could not be resolved (`{evidence}`)",
    "tls": "the secure connection could not be set up (`{evidence}`)",
}

# Each kind in a few words: the title of its diagnosis, and the support form's subject when a
# diagnosis links there with `?failure=<kind>` (a closed set of words, never pasted text).
SUMMARIES = {
    "gateway": "Answered by a gateway, not by Linq",
    "empty_body": "An empty answer from a gateway",
    "timeout": "No answer: the call timed out",
    "connection": "No answer: the connection failed",
    "dns": "No answer: the host name did not resolve",
    "tls": "No answer: the secure connection failed",
}


@dataclass(frozen=True)
class OutsideFailure:
    kind: str  # a key of WHAT_HAPPENED
    http_status: int | None
    evidence: str  # the line that shows it, as pasted (secrets already masked)

    @property
    def transient(self) -> bool:
        return self.kind not in FIX_ADVICE

    def explain(self) -> str:
        """What happened and what to do about it, in one paragraph."""
        evidence = self.evidence.replace("`", "'")[:120]
        happened = WHAT_HAPPENED[self.kind].format(status=self.http_status, evidence=evidence)
        then = TRANSIENT_ADVICE if self.transient else FIX_ADVICE[self.kind]
        return f"No Linq error code here: {happened}. {then}"


def _body_after_headers(text: str, start: int) -> str:
    # `curl -v` prefixes response lines with "< " and ends the headers with a lone "<".
    rest = re.sub(r"(?m)^[<>*][ \t]?", "", text[start:])
    parts = re.split(r"\r?\n[ \t]*\r?\n", rest, maxsplit=1)
    return parts[1] if len(parts) == 2 else ""


def outside_failure(text: str) -> OutsideFailure | None:
    """What `text` (masked) shows of a failure outside the Linq API, or None."""
    if LINQ_JSON.search(text):
        return None
    if curl := CURL_ERROR.search(text):
        kind = CURL_KINDS.get(int(curl["number"]), "connection")
        return OutsideFailure(kind, None, curl.group(0).strip())
    if status_line := STATUS_LINE.search(text):
        status = int(status_line["status"])
        body = _body_after_headers(text, status_line.start()).strip()
        if status in GATEWAY_STATUSES and (not body or HTML.search(body)):
            kind = "gateway" if body else "empty_body"
            return OutsideFailure(kind, status, status_line.group(0).strip(" <>*\t"))
        return None
    if HTML.search(text):
        title = TITLE_STATUS.search(text)
        return OutsideFailure("gateway", int(title["status"]), title.group(0)) if title else None
    if "{" in text or len(text) > MAX_CLIENT_ERROR_TEXT:
        return None
    for kind, pattern in CLIENT_ERRORS:
        if match := pattern.search(text):
            return OutsideFailure(kind, None, match.group(0))
    return None


def read_outside(paste: Paste) -> tuple[str, list[Finding], list[Diagnosis]] | None:
    """The input kind, the one finding that says what happened, and a diagnosis with its retry
    advice; None when the paste shows no failure outside the API."""
    failure = outside_failure(paste.text)
    if failure is None:
        return None
    responses = http_responses(paste.text)
    headers = responses[0].headers if responses else {}
    trace_id = read_trace_id(headers.get("x-trace-id", ""))
    finding_id = "gateway_response" if failure.http_status else "transport_error"
    kind = "http_response" if responses else "unrecognized"
    return kind, [finding(finding_id, failure.explain())], [_diagnosis(failure, trace_id)]


def _diagnosis(failure: OutsideFailure, trace_id: str | None) -> Diagnosis:
    if failure.transient:
        retry = RetryTiming(
            verdict="yes",
            strategy="backoff",
            advice="Retry with exponential backoff and the same idempotency key.",
            schedule_seconds=BACKOFF_SCHEDULE,
        )
    else:
        retry = RetryTiming(verdict="no", strategy=None, advice=FIX_ADVICE[failure.kind])
    return Diagnosis(
        code=None,
        known=False,
        entry=None,
        category=None,
        observed=empty_observed(http_status=failure.http_status),
        retry=retry,
        trace_id=trace_id,
        findings=(),
        url=None,
        support_url=support_url(None, trace_id, failure.http_status, failure=failure.kind),
        source=failure.kind,
        line=1,
    )
