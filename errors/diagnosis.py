"""Diagnosis of a pasted Linq API error: whatever a developer has at hand in, a `Report` out.

`diagnose(text)` is the one entry point. The page, the JSON API, the command line and the support
form all call it; it knows nothing of requests or templates and never logs or stores the paste.

Order of work, and why:

1. Secrets are masked first (`diagnose.engine.redaction`); nothing after that step sees the
   original text, so no finding, diagnosis or echo can carry a token.
2. The size is bounded (64 KiB). JSON values are located by a small validating scanner that
   bounds nesting at 32 levels *before* `json` parses anything, so no paste can make the parser
   recurse, hang or raise. Problems are reported at the line and column of the text as pasted.
3. What was found is classified (envelope, inner error object, webhook, legacy V2, HTTP response,
   bare code, trace id or message) and every error becomes a `Diagnosis`: the catalogue entry,
   the retry verdict with concrete timing, the trace id and `Finding`s that say what to do next.

JSON decisions (strict RFC 8259, which is what the Linq API sends):

- `NaN`, `Infinity`, single quotes, comments and trailing commas are not JSON: `not_json` says
  where. Python's `json` would accept NaN and Infinity and then produce an answer that cannot be
  written back as JSON.
- Integers of more than 18 digits and floats that overflow are kept as `LargeNumber` (their digits
  as text). They are never a valid code, status or retry_after, never turned into inf, and never
  hit CPython's 4,300-digit conversion limit.
- Duplicate keys: the last one wins, as in JavaScript's `JSON.parse` and Python's `json`, which
  is what the client that logged the body saw.
"""

import difflib
import json
import math
import re
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import NamedTuple
from urllib.parse import urlencode

from django.utils import timezone

from diagnose.engine.redaction import Replacement, original_offset, redact_with_positions
from errors.catalogue import (
    BACKOFF_SCHEDULE,
    Catalogue,
    Category,
    ErrorCode,
    get_catalogue,
    normalise_message,
)
from errors.traceids import INVALID_TRACE_ID, TRACE_ID, TRACEPARENT

MAX_INPUT_BYTES = 64 * 1024
MAX_DEPTH = 32

INPUT_KINDS = (
    "envelope",
    "error_object",
    "http_response",
    "batch",
    "webhook",
    "code",
    "trace_id",
    "message",
    "legacy_v2",
    "unrecognized",
)
# How each input kind is named to people ("You pasted …").
KIND_LABELS = {
    "envelope": "an error envelope",
    "error_object": "the inner error object, without its envelope",
    "http_response": "an HTTP response",
    "batch": "several errors",
    "webhook": "a webhook payload",
    "code": "an error code",
    "trace_id": "a trace id",
    "message": "an error message without its code",
    "legacy_v2": "an error of the legacy V2 API",
    "unrecognized": "nothing that could be diagnosed",
}
LEVELS = ("error", "warning", "info")
SUPPORT_PATH = "/support/new/"
_BACKOFF_STEPS = ", ".join(str(s) for s in BACKOFF_SCHEDULE)  # "1, 2, 4, 8, 16, 30"

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
        "The paste is larger than 64 KiB and was not read. Paste only the failing response "
        "(status line, headers and body) or the few log lines around it.",
    ),
    "not_json": (
        "error",
        "No JSON could be read. Check that the paste is complete (log lines are often cut off) "
        "and that it is the response body itself, not a language's printout of it.",
    ),
    "nested_too_deep": (
        "error",
        "The JSON is nested deeper than 32 levels; an error envelope is two levels deep. Paste "
        "the envelope itself rather than the structure around it.",
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
        f"off exponentially ({_BACKOFF_STEPS} s with jitter) and cap the attempts.",
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
    }
)

_DOC_URL_CODE = re.compile(r"/error/codes/(?P<category>\d)xxx/(?P<code>\d{1,9})\b", re.IGNORECASE)
_MISSING = object()


# --- Results --------------------------------------------------------------------------------------


def segments(text: str) -> list[tuple[bool, str]]:
    """`text` as (is_code, piece) pairs: messages mark code with backticks, as Markdown does.
    Templates render the pieces escaped, so no pasted text ever becomes markup."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: plain text
        return [(False, text)]
    return [(index % 2 == 1, piece) for index, piece in enumerate(pieces) if piece]


@dataclass(frozen=True)
class Finding:
    id: str
    level: str
    message: str
    line: int | None = None
    column: int | None = None

    @property
    def segments(self) -> list[tuple[bool, str]]:
        return segments(self.message)

    def as_dict(self) -> dict:
        data = {"id": self.id, "level": self.level, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
            data["column"] = self.column
        return data


def _by_level(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """The findings per level, most serious first; levels without any are left out."""
    grouped = [(lvl, [f for f in findings if f.level == lvl]) for lvl in LEVELS]
    return [(lvl, items) for lvl, items in grouped if items]


def finding(finding_id: str, message: str | None = None, **extra) -> Finding:
    level, generic = FINDINGS[finding_id]
    return Finding(finding_id, extra.pop("level", level), message or generic, **extra)


@dataclass(frozen=True)
class RetryTiming:
    """The per-code verdict made concrete for this response."""

    verdict: str | None  # yes / no / sometimes; None when the code is unknown
    strategy: str | None  # errors.catalogue.STRATEGIES
    advice: str
    after_seconds: int | None = None
    schedule_seconds: tuple[int, ...] | None = None
    retry_at: datetime | None = None
    counted_from: str | None = None  # "date" (the response's Date header) or "now"

    @property
    def summary(self) -> str:
        """One sentence with the concrete timing, e.g. "Retry after 30 s, at 14:03:07 UTC."."""
        if self.after_seconds is not None:
            wait = (
                f"a few seconds (about {self.after_seconds} s)"
                if self.strategy == "delay" and self.after_seconds < 10
                else f"{self.after_seconds} s"
            )
            text = f"Retry after {wait}"
            if self.retry_at is not None:
                text += f", at {format_time(self.retry_at)}"
            return text + "."
        if self.schedule_seconds:
            steps = ", ".join(str(s) for s in self.schedule_seconds)
            backoff = f"after {steps} s, adding random jitter to each wait; then give up"
            if self.strategy == "retry_after":
                return (
                    "Wait the seconds the response's `Retry-After` header (or `error.retry_after`) "
                    f"gives; without one, back off exponentially: retry {backoff}."
                )
            return f"Retry with exponential backoff: {backoff}."
        if self.verdict == "no":
            return "Do not retry as it is: change the request first."
        return self.advice

    @property
    def summary_segments(self) -> list[tuple[bool, str]]:
        return segments(self.summary)

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "after_seconds": self.after_seconds,
            "schedule_seconds": list(self.schedule_seconds) if self.schedule_seconds else None,
        }


@dataclass(frozen=True)
class Diagnosis:
    code: int | None
    known: bool
    entry: ErrorCode | None
    category: Category | None
    observed: dict  # http_status, status, message, retry_after as seen in the paste
    retry: RetryTiming
    trace_id: str | None  # always a valid 32-hex id, or None
    findings: tuple[Finding, ...]
    url: str | None
    support_url: str
    source: str = "envelope"  # which kind of thing held this error
    line: int | None = None  # where it starts in the paste
    response_date: datetime | None = None  # the pasted Date header

    @property
    def message(self) -> str | None:
        return self.entry.message if self.entry else None

    @property
    def http_status(self) -> int | None:
        return self.entry.http_status if self.entry else None

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        return _by_level(self.findings)

    def share_params(self) -> list[tuple[str, str]]:
        """Query parameters that reproduce this diagnosis: ids and numbers, never pasted text."""
        params = []
        if self.code is not None:
            params.append(("code", str(self.code)))
        status = self.observed.get("http_status")
        if _is_int(status) and 100 <= status <= 599:
            params.append(("status", str(status)))
        if self.trace_id:
            params.append(("trace_id", self.trace_id))
        if self.retry.strategy == "retry_after" and self.retry.after_seconds is not None:
            params.append(("retry_after", str(self.retry.after_seconds)))
        params.extend(("finding", f.id) for f in self.findings)
        return params

    @property
    def share_query(self) -> str:
        return urlencode(self.share_params())

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "known": self.known,
            "category": self.category.id if self.category else None,
            "message": self.message,
            "http_status": self.http_status,
            "observed": dict(self.observed),
            "retry": self.retry.as_dict(),
            "trace_id": self.trace_id,
            "findings": [f.as_dict() for f in self.findings],
            "url": self.url,
            "support_url": self.support_url,
        }


@dataclass(frozen=True)
class CodeGroup:
    """One line of a batch summary."""

    code: int | None
    entry: ErrorCode | None
    count: int
    trace_ids: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    input_kind: str
    findings: tuple[Finding, ...]
    diagnoses: tuple[Diagnosis, ...]
    redacted_text: str  # the paste with secrets masked ("" when it was too large to read)
    status_code: int  # 200, or 400 for an empty paste, 413 past MAX_INPUT_BYTES
    secrets_masked: int = 0

    def as_dict(self) -> dict:
        """Exactly the JSON of SPEC §5."""
        return {
            "input_kind": self.input_kind,
            "findings": [f.as_dict() for f in self.findings],
            "diagnoses": [d.as_dict() for d in self.diagnoses],
        }

    def groups(self) -> list[CodeGroup]:
        """Diagnoses grouped by code, most frequent first, with every trace id."""
        order: dict[int | None, list[Diagnosis]] = {}
        for item in self.diagnoses:
            order.setdefault(item.code, []).append(item)
        groups = [
            CodeGroup(
                code=code,
                entry=items[0].entry,
                count=len(items),
                trace_ids=tuple(dict.fromkeys(d.trace_id for d in items if d.trace_id)),
            )
            for code, items in order.items()
        ]
        return sorted(groups, key=lambda g: (-g.count, g.code is None, g.code or 0))

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        return _by_level(self.findings)

    @property
    def diagnosed(self) -> bool:
        """Something useful came out: a diagnosis, or a clear statement about the paste."""
        return self.status_code == 200 and self.input_kind != "unrecognized"


def oversized_report() -> Report:
    """The answer to a paste past MAX_INPUT_BYTES, for callers that refuse to read it at all."""
    return Report("unrecognized", (finding("input_too_large"),), (), "", 413)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S UTC")


# --- JSON scanning --------------------------------------------------------------------------------


class LargeNumber(str):
    """A JSON number too large to be any code, status or wait; kept as its digits."""


def _parse_int(digits: str) -> int | LargeNumber:
    return LargeNumber(digits) if len(digits.lstrip("-")) > 18 else int(digits)


def _parse_float(digits: str) -> float | LargeNumber:
    value = float(digits)
    return value if math.isfinite(value) else LargeNumber(digits)


_STRING_BODY = r'(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*'
_STRING_PREFIX = re.compile(rf'"{_STRING_BODY}')
# Strings and brackets only: enough to follow nesting, and everything else is skipped in C.
# A string ends at its line end at the latest, as JSON strings cannot hold raw line breaks.
_STRUCTURE = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')
_CONSTANT = re.compile(r'"(?:[^"\\\n]|\\.)*"?|(?P<constant>-?Infinity|NaN)')
# Only where JSON can start: '{' before a name or '}', '[' before a value or ']'.
_OPENERS = re.compile(r'\{(?=[ \t\n\r]*["}])|\[(?=[ \t\n\r]*[\[\]{"\-0-9tfnNI])')
# Work bound for one paste, in string and bracket tokens walked: ample for any real paste (each
# value is walked once), and it caps adversarial text that makes every bracket a new start.
_SCAN_BUDGET = 200_000
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BRACKET_RUNS = {"[": re.compile(r"(?:\[[ \t\n\r]*)+"), "{": re.compile(r"(?:\{[ \t\n\r]*)+")}


class _Scan(NamedTuple):
    value: object = None
    end: int | None = None  # just past the value, when it is valid JSON
    error_at: int | None = None
    problem: str = ""
    too_deep: bool = False


class _NonJsonConstant(Exception):
    pass


def _reject_constant(name: str):
    raise _NonJsonConstant(name)


_DECODER = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
)


def _decode(piece: str) -> tuple[object, int]:
    """Strict JSON of one value (raises ValueError); only ever given depth-bounded text."""
    return _DECODER.raw_decode(piece)


def _structure(text: str, start: int, stop: int) -> dict[int, tuple[int, int]]:
    """One pass over text[start:stop]: for each '{' or '[' outside strings, where its value ends
    and how many levels it nests. A candidate starting at such a bracket sees exactly this
    structure, so it needs no pass of its own."""
    spans: dict[int, tuple[int, int]] = {}
    stack: list[list[int]] = []  # [position, depth, deepest depth inside]

    def close(end: int) -> None:
        position, depth, deepest = stack.pop()
        spans[position] = (end, deepest - depth + 1)
        if stack and stack[-1][2] < deepest:
            stack[-1][2] = deepest

    for match in _STRUCTURE.finditer(text, start, stop):
        char = text[match.start()]
        if char in "[{":
            depth = len(stack) + 1
            stack.append([match.start(), depth, depth])
        elif char != '"' and stack:
            close(match.end())
    while stack:
        close(stop)
    return spans


def _scan_json(
    text: str, start: int, stop: int, budget: list[int], span: tuple[int, int] | None = None
) -> _Scan:
    """Read the JSON value at text[start] ('{' or '['), bounding nesting before `json` runs.

    The structure pass walks strings and brackets exactly as `json` does, so `json` can never
    nest deeper than the depth seen here; it never recurses itself. `span` is that pass done
    ahead by `_structure()`, when it is known and within the bound."""
    if span is not None and span[1] <= MAX_DEPTH:
        return _decode_at(text, start, span[0], stop)
    depth = 0
    end = stop
    for match in _STRUCTURE.finditer(text, start, stop):
        budget[0] -= 1
        char = text[match.start()]
        if char == '"':
            continue
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep_or_invalid(text, start, match.start())
        else:
            depth -= 1
            if depth == 0:
                end = match.end()
                break
    return _decode_at(text, start, end, stop)


def _decode_at(text: str, start: int, end: int, stop: int) -> _Scan:
    piece = text[start:end]
    try:
        value, length = _decode(piece)
    except _NonJsonConstant:
        found = next(m for m in _CONSTANT.finditer(piece) if m["constant"])
        return _Scan(error_at=start + found.start(), problem=f"{found['constant']} is not JSON")
    except json.JSONDecodeError as exc:
        at, problem = _describe_problem(text, start + exc.pos, stop, exc.msg)
        return _Scan(error_at=at, problem=problem)
    if _SURROGATE_ESCAPE.search(piece):
        value = _clean(value)
    return _Scan(value=value, end=start + length)


def _too_deep_or_invalid(text: str, start: int, excess: int) -> _Scan:
    """Nesting passed MAX_DEPTH at `excess`: too deep if the JSON is valid up to there."""
    try:
        _decode(text[start:excess])
    except _NonJsonConstant:
        pass
    except json.JSONDecodeError as exc:
        if text[start + exc.pos : excess].strip(" \t\n\r"):
            at, problem = _describe_problem(text, start + exc.pos, excess, exc.msg)
            return _Scan(error_at=at, problem=problem)
    return _Scan(error_at=excess, problem="nested too deep", too_deep=True)


def _describe_problem(text: str, at: int, stop: int, message: str) -> tuple[int, str]:
    """Where exactly the JSON goes wrong, said for people."""
    if message.startswith("Invalid control"):
        if text[at] == "\n":
            return at, "a string runs over the end of its line (a raw line break is not JSON)"
        return at, "a control character inside a string must be escaped"
    if message.startswith("Unterminated string"):
        bad = _STRING_PREFIX.match(text, at, stop).end()
        if bad < stop and text[bad] == "\\":
            return bad, "invalid escape sequence in a string"
        return bad, "a string is not closed before the end of the text (was it cut off?)"
    if message.startswith("Invalid \\"):
        return at, "invalid escape sequence in a string"
    at = _WHITESPACE.match(text, at, stop).end() if at < stop else at
    if at >= stop:
        return at, "the text ends before the JSON does (was it cut off?)"
    char = text[at]
    if char == "'":
        return at, "single quotes are not JSON (is this a Python or JavaScript printout?)"
    word = re.match(r"[A-Za-z_]+", text[at : min(stop, at + 20)])
    if word and word.group() in ("True", "False", "None"):
        return at, f"{word.group()} is Python, not JSON (JSON says true, false, null)"
    if message.startswith("Illegal trailing comma"):  # Python 3.13+ points at the comma
        return at, "a trailing comma is not JSON"
    before = text[max(0, at - 200) : at].rstrip()
    if char in "]}" and before.endswith(","):  # Python 3.12 points past it: step back to it
        return at - (len(text[max(0, at - 200) : at]) - len(before)) - 1, (
            "a trailing comma is not JSON"
        )
    expected = message[0].lower() + message[1:]
    return at, f"{expected}, found {char!r}"


@dataclass
class _JsonFound:
    values: list[tuple[int, object]] = field(default_factory=list)  # (offset, value)
    problem: tuple[int, str] | None = None  # (offset, description) of the most promising failure
    too_deep_at: int | None = None
    progress: int = -1


def _explain_first_bracket(text, start, stop, found: _JsonFound, budget) -> None:
    """No bracket could start JSON; say what is wrong with the first one ("{'a': 1}")."""
    bracket = re.compile(r"[{\[]").search(text, start, stop)
    if bracket is not None:
        scan = _scan_json(text, bracket.start(), stop, budget)
        if scan.end is None and not scan.too_deep:
            found.problem = (scan.error_at, scan.problem)


def _json_values(text: str, start: int = 0, stop: int | None = None) -> _JsonFound:
    """Every JSON object or array in text[start:stop], left to right, none inside another."""
    stop = len(text) if stop is None else stop
    found = _JsonFound()
    budget = [_SCAN_BUDGET]
    spans = _structure(text, start, stop)
    pos = start
    while True:
        opener = _OPENERS.search(text, pos, stop)
        if opener is None:
            if not found.values and found.problem is None and found.too_deep_at is None:
                _explain_first_bracket(text, start, stop, found, budget)
            return found
        at = opener.start()
        if budget[0] <= 0:  # the work bound is reached: what was found so far stands
            return found
        scan = _scan_json(text, at, stop, budget, spans.get(at))
        if scan.end is not None:
            found.values.append((at, scan.value))
            pos = scan.end
        elif scan.too_deep:
            if found.too_deep_at is None:
                found.too_deep_at = scan.error_at
            # Skip the rest of a run of brackets whole: a 64 KiB run of '[' then costs one
            # regex step, not one scan per bracket.
            run = _BRACKET_RUNS[text[scan.error_at]].match(text, scan.error_at, stop)
            pos = max(scan.error_at + 1, run.end())
        else:
            # The candidate that got furthest is the JSON the developer meant; its problem is
            # the one worth reporting (not the '[' of an "[INFO]" log prefix).
            if scan.error_at - at > found.progress:
                found.progress = scan.error_at - at
                found.problem = (scan.error_at, scan.problem)
            # Next, a value nested in the valid part (a complete envelope inside a cut-off log
            # record); openers inside that part's strings cannot start anything useful.
            pos = scan.error_at
            for match in _STRUCTURE.finditer(text, at + 1, scan.error_at):
                budget[0] -= 1
                if text[match.start()] in "[{":
                    pos = match.start()
                    break


_SURROGATE = re.compile("[\ud800-\udfff]")
# Only a "\\udXXX" escape can put a surrogate into decoded JSON (the text itself has none left).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _clean_text(text: str) -> str:
    """Valid Unicode (lone surrogates replaced), no byte-order mark, LF line ends."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _clean(value):
    """Parsed JSON with valid Unicode everywhere (JSON's "\\ud800" decodes to a surrogate)."""
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str) and not isinstance(value, LargeNumber) and _SURROGATE.search(value):
        return _clean_text(value)
    return value


# --- Reading values -------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value, limit: int = 80) -> str:
    """A pasted value for a message: JSON notation, shortened."""
    if isinstance(value, LargeNumber):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _observable(value):
    """A pasted value as it may appear in the JSON answer: JSON-safe and bounded in size."""
    if value is _MISSING or value is None:
        return None
    if isinstance(value, LargeNumber):
        return _short(value, 40)
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    if isinstance(value, str):
        return value if len(value) <= 500 else value[:499] + "…"
    return _short(value, 200)


def _as_status(raw) -> int | None:
    if _is_int(raw):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{3}\s*", raw):
        return int(raw)
    return None


def _read_code(raw) -> tuple[int | None, str | None]:
    """(code, problem) where problem is None, "missing", "not_integer" or "huge"."""
    if raw is _MISSING or raw is None:
        return None, "missing"
    if isinstance(raw, LargeNumber):
        return None, "huge"
    if _is_int(raw):
        return raw, None
    if isinstance(raw, float):
        if not raw.is_integer():
            return None, "not_integer"
        return (int(raw), "not_integer") if abs(raw) < 1e9 else (None, "huge")
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,9}\s*", raw):
        return int(raw), "not_integer"
    return None, "not_integer"


def _read_seconds(raw) -> tuple[int | None, bool]:
    """(usable seconds, valid) for error.retry_after: valid only as a non-negative integer."""
    if _is_int(raw):
        return (raw, True) if raw >= 0 else (None, False)
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        return int(raw), False
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,12}\s*", raw):
        return int(raw), False
    return None, False


def _read_retry_after_header(value: str, base: datetime) -> tuple[int | None, bool]:
    """Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    value = value.strip()
    if re.fullmatch(r"\d{1,12}", value):
        return int(value), True
    moment = _parse_http_date(value)
    if moment is None:
        return None, False
    return max(0, round((moment - base).total_seconds())), True


def _parse_http_date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normalise_trace_id(raw) -> tuple[str | None, str | None]:
    """(32-hex id, None) or (None, why it is malformed) for a pasted trace id or traceparent."""
    if not isinstance(raw, str):
        return None, f"is {_short(raw)}, not a string of 32 hexadecimal characters"
    value = raw.strip().strip("\"'").strip().lower()
    parent = TRACEPARENT.fullmatch(value)
    if parent:
        value = parent["trace_id"]
    if value == INVALID_TRACE_ID:
        return None, "is all zeros, which W3C Trace Context defines as invalid"
    if TRACE_ID.fullmatch(value):
        return value, None
    if value.startswith("trace_"):
        return None, (
            f"{_short(raw)} looks like a documentation placeholder; a real trace id is "
            "32 hexadecimal characters"
        )
    if re.fullmatch(r"[0-9a-f]+", value):
        return None, f"has {len(value)} hexadecimal characters instead of 32 (copied partly?)"
    return None, f"{_short(raw)} is not 32 hexadecimal characters"


_MESSAGE_VARIANTS = {
    # Wordings seen in Linq's own samples for documented codes.
    "rate limited": 1007,
    "too many requests": 1007,
    "resource not found": 2001,
}
_ERROR_PREFIX = re.compile(
    r"^(?:[\w.]*(?:error|exception)|error|err|failed|failure)\s*[:\-—]\s*", re.IGNORECASE
)


def _without_error_prefix(text: str) -> str:
    """`text` without a logger's lead-in such as "Error:" or "LinqApiError -"."""
    return _ERROR_PREFIX.sub("", text.strip())


def match_message(
    text: str, catalogue: Catalogue, *, loose: bool = True
) -> tuple[list[ErrorCode], str | None]:
    """Codes whose documented message fits `text`, and how: exact, variant, prefix, partial or
    similar. Several codes come back when the text fits them equally well."""
    if not isinstance(text, str):
        return [], None
    wanted = normalise_message(_without_error_prefix(text))
    if not wanted or len(wanted) > 300 or not re.search(r"[^\W\d_]", wanted):
        return [], None
    messages = [(entry, normalise_message(entry.message)) for entry in catalogue.codes]
    exact = [entry for entry, message in messages if message == wanted]
    if exact:
        return exact, "exact"
    for variant, code in _MESSAGE_VARIANTS.items():
        if re.match(rf"{re.escape(variant)}\b", wanted) and catalogue.get(code):
            return [catalogue.get(code)], "variant"
    prefixed = [
        (entry, message)
        for entry, message in messages
        if re.match(rf"{re.escape(message)}(?![\w])", wanted)
    ]
    if prefixed:
        longest = max(len(message) for _, message in prefixed)
        return [entry for entry, message in prefixed if len(message) == longest], "prefix"
    if not loose or len(wanted) > 120:
        return [], None
    if len(wanted) >= 4:
        partial = [
            entry for entry, message in messages if re.search(rf"\b{re.escape(wanted)}\b", message)
        ]
        if partial:
            return partial, "partial"
    scores = [
        (difflib.SequenceMatcher(None, wanted, message).ratio(), entry)
        for entry, message in messages
    ]
    best = max((score for score, _ in scores), default=0)
    if best < 0.75:
        return [], None
    return [entry for score, entry in scores if score >= best - 0.03], "similar"


# --- What a paste holds ---------------------------------------------------------------------------


@dataclass
class _Http:
    status: int
    headers: dict[str, str]
    body_start: int
    body_end: int
    offset: int


@dataclass
class _Item:
    """One error found in the paste, before it is diagnosed."""

    source: str  # envelope, error_object, webhook, http_response (no envelope), loose
    error: dict
    offset: int
    wrapper: dict | None = None
    http: _Http | None = None
    via_message: bool = False


@dataclass
class _Signals:
    items: list[_Item] = field(default_factory=list)
    legacy: list[dict] = field(default_factory=list)
    successes: list[str] = field(default_factory=list)  # why something is not an error
    webhooks: int = 0
    json_values: int = 0


_WEBHOOK_EVENT = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")


def _event_type(value: dict) -> str | None:
    for key in ("event_type", "type", "event"):
        event = value.get(key)
        if isinstance(event, str) and _WEBHOOK_EVENT.fullmatch(event):
            return event
    return None


def _is_error_dict(value: dict) -> bool:
    return any(key in value for key in ("code", "status", "message"))


def _walk(value, offset: int, signals: _Signals, http: _Http | None, nesting: int = 0) -> None:
    """Find envelopes, error objects, webhooks and V2 errors inside one parsed JSON value."""
    if isinstance(value, list):
        for item in value:
            _walk(item, offset, signals, http, nesting)
        return
    if isinstance(value, str):
        # Loggers often keep the response body as a JSON string inside their own JSON record.
        if nesting < 2 and value.lstrip()[:1] in ("{", "[") and len(value) <= MAX_INPUT_BYTES:
            found = _json_values(value)
            for _, inner in found.values:
                _walk(inner, offset, signals, http, nesting + 1)
        return
    if not isinstance(value, dict):
        return
    error = value.get("error", _MISSING)
    event = _event_type(value)
    if event is not None:
        signals.webhooks += 1
        if re.search(r"fail|error", event):
            signals.items.append(_webhook_item(value, offset, http))
        else:
            signals.successes.append(f"this is a `{event}` webhook, not a failure")
    elif isinstance(error, dict) and (_is_error_dict(error) or "success" in value):
        signals.items.append(_Item("envelope", error, offset, wrapper=value, http=http))
    elif isinstance(value.get("errors"), list) and any(
        isinstance(e, dict) and ("title" in e or "detail" in e or isinstance(e.get("code"), str))
        for e in value["errors"]
    ):
        signals.legacy.extend(e for e in value["errors"] if isinstance(e, dict))
    elif value.get("success") is True and error is _MISSING:
        signals.successes.append("`success` is true")
    elif value.get("success") is False or (error is not _MISSING and "success" in value):
        inner = {"message": error} if isinstance(error, str) else {}
        signals.items.append(_Item("envelope", inner, offset, wrapper=value, http=http))
    elif _is_error_object(value):
        signals.items.append(_Item("error_object", value, offset, http=http))
    else:
        for inner in value.values():
            _walk(inner, offset, signals, http, nesting)


def _is_error_object(value: dict) -> bool:
    """The inner error object on its own: a code beside its usual fields, or an error status."""
    if "code" in value:
        return any(key in value for key in ("message", "status", "retry_after", "doc_url"))
    status = value.get("status")
    return isinstance(value.get("message"), str) and _is_int(status) and status >= 400


def _find_holder(value, key: str, accept=lambda v: True) -> dict | None:
    """Breadth-first: the first dict anywhere in `value` whose `key` holds an accepted value."""
    queue = deque([value])
    while queue:
        current = queue.popleft()
        if isinstance(current, dict):
            if key in current and accept(current[key]):
                return current
            queue.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            queue.extend(v for v in current if isinstance(v, dict | list))
    return None


def _find_key(value, key: str, accept=lambda v: True):
    holder = _find_holder(value, key, accept)
    return _MISSING if holder is None else holder[key]


def _webhook_item(value: dict, offset: int, http: _Http | None) -> _Item:
    """A webhook's code, message and trace id, wherever they sit in its payload."""

    def holds_code(v) -> bool:
        return v is not None and not isinstance(v, dict | list)

    container = _find_holder(value, "code", holds_code)
    error: dict = {}
    if container is not None:
        error["code"] = container["code"]
    message = (container or {}).get("message")
    if not isinstance(message, str):
        message = _find_key(value, "message", lambda v: isinstance(v, str))
    if isinstance(message, str):
        error["message"] = message
    doc_url = _find_key(value, "doc_url", lambda v: isinstance(v, str))
    if doc_url is not _MISSING:
        error["doc_url"] = doc_url
    wrapper = {"trace_id": value["trace_id"]} if "trace_id" in value else {}
    if not wrapper:
        trace = _find_key(value, "trace_id")
        if trace is not _MISSING:
            wrapper["trace_id"] = trace
    return _Item("webhook", error, offset, wrapper=wrapper, http=http)


# Loose reading of JSON that cannot be parsed (cut-off log lines, Python or JavaScript printouts).
def _loose_field(name: str, value: str) -> re.Pattern:
    # Quotes may be escaped (\"code\":1007) when a body was logged inside a JSON string.
    quote = r"""(?:\\?["'])?"""
    return re.compile(
        rf"{quote}\b{name}{quote}[ \t]*[:=][ \t]*{value.replace('QUOTE', quote)}", re.IGNORECASE
    )


_LOOSE_CODE = _loose_field("code", r"QUOTE(?P<value>\d{1,9})\b")
_LOOSE = {
    "status": _loose_field("status", r"QUOTE(?P<value>\d{3})\b"),
    "message": _loose_field(
        "message", r"""(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q))[^\\\n]){0,500})(?P=q)"""
    ),
    "retry_after": _loose_field("retry_after", r"QUOTE(?P<value>-?\d{1,12})\b"),
    "trace_id": _loose_field("trace_id", r"QUOTE(?P<value>[\w-]{1,100})"),
    "doc_url": _loose_field("doc_url", r"""QUOTE(?P<value>[^\s"',}\\]{1,300})"""),
}
_LOOSE_ENVELOPE = re.compile(r"""\berror\\?["']?[ \t]*[:=][ \t]*\{""", re.IGNORECASE)


def _loose_items(text: str, start: int, stop: int, http: _Http | None) -> list[_Item]:
    codes = list(_LOOSE_CODE.finditer(text, start, stop))
    items = []
    for index, match in enumerate(codes):
        # Each code owns the text halfway to its neighbours.
        low = start if index == 0 else (codes[index - 1].end() + match.start()) // 2
        high = stop if index + 1 == len(codes) else (match.end() + codes[index + 1].start()) // 2
        error: dict = {"code": int(match["value"])}
        wrapper: dict = {}
        for name, pattern in _LOOSE.items():
            found = pattern.search(text, low, high)
            if found is None:
                continue
            raw = found["value"]
            if name in ("status", "retry_after"):
                error[name] = int(raw)
            elif name == "trace_id":
                wrapper[name] = raw
            else:
                error[name] = raw
        items.append(_Item("loose", error, match.start(), wrapper=wrapper, http=http))
    return items


# --- HTTP responses -------------------------------------------------------------------------------

_STATUS_LINE = re.compile(
    r"^[<*]?[ \t]*HTTP/\d(?:\.\d)?[ \t]+(?P<status>[1-5]\d\d)\b[^\n]*$", re.MULTILINE
)
_HEADER = re.compile(r"(?P<name>[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100})[ \t]*:[ \t]*(?P<value>.*)")
_CURL_NOISE = ("*", ">", "{ [", "} [")


def _http_responses(text: str) -> list[_Http]:
    """Status line, headers and body of each HTTP response in `curl -i` / `curl -v` output."""
    lines = list(_STATUS_LINE.finditer(text))
    responses = []
    for index, status_line in enumerate(lines):
        end = lines[index + 1].start() if index + 1 < len(lines) else len(text)
        headers: dict[str, str] = {}
        pos = min(status_line.end() + 1, end)
        body_start = end
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end == -1 else line_end
            line = text[pos:line_end].strip()
            if line.startswith(_CURL_NOISE):
                pos = line_end + 1
                continue
            content = line[1:].strip() if line.startswith("<") else line
            if not content:
                body_start = min(line_end + 1, end)
                break
            header = _HEADER.fullmatch(content)
            if header is None:
                body_start = pos  # no blank line: the body starts here
                break
            headers.setdefault(header["name"].lower(), header["value"].strip())
            pos = line_end + 1
        status = int(status_line["status"])
        if status >= 200:  # 100 Continue and 103 Early Hints precede the real response
            responses.append(_Http(status, headers, body_start, end, status_line.start()))
    return responses


# --- Diagnosis ------------------------------------------------------------------------------------


def diagnose(
    text: str, *, now: datetime | None = None, catalogue: Catalogue | None = None
) -> Report:
    """Diagnose whatever was pasted. Never raises on any input text."""
    now = now or timezone.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    catalogue = catalogue or get_catalogue()
    text = _clean_text(text if isinstance(text, str) else "")
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        return oversized_report()
    redacted, replacements = redact_with_positions(text)
    findings = []
    if replacements:
        count = len(replacements)
        findings.append(
            finding(
                "secret_redacted",
                f"{count} secret{'s' if count > 1 else ''} (bearer token, API key or similar) "
                f"{'were' if count > 1 else 'was'} masked before anything else happened; "
                "never shown, stored or sent on. If this text was shared anywhere else, have "
                "the key rotated.",
            )
        )
    if not redacted.strip():
        return Report("unrecognized", (finding("empty_input"),), (), redacted, 400)
    reader = _Reader(text, redacted, replacements, catalogue, now)
    kind, more_findings, diagnoses = reader.read()
    return Report(
        kind,
        tuple(findings + more_findings),
        tuple(diagnoses),
        redacted,
        200,
        len(replacements),
    )


def diagnose_bytes(data: bytes, *, now: datetime | None = None) -> Report:
    """Diagnose raw bytes (a request body, a file). Past MAX_INPUT_BYTES they are not decoded at
    all, so callers need read only one byte more than the limit; invalid UTF-8 is replaced."""
    if len(data) > MAX_INPUT_BYTES:
        return oversized_report()
    return diagnose(data.decode("utf-8", errors="replace"), now=now)


class _Reader:
    def __init__(
        self,
        original: str,
        text: str,
        replacements: tuple[Replacement, ...],
        catalogue: Catalogue,
        now: datetime,
    ):
        self.original = original  # only for line and column numbers; never echoed
        self.text = text
        self.replacements = replacements
        self.catalogue = catalogue
        self.now = now

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column in the text as pasted."""
        offset = min(original_offset(offset, self.replacements), len(self.original))
        line = self.original.count("\n", 0, offset) + 1
        column = offset - (self.original.rfind("\n", 0, offset) + 1) + 1
        return line, column

    # The shapes ----------------------------------------------------------------------------

    def read(self) -> tuple[str, list[Finding], list[Diagnosis]]:
        responses = _http_responses(self.text)
        if responses:
            return self.read_http(responses)
        found = _json_values(self.text)
        signals = _Signals(json_values=len(found.values))
        for offset, value in found.values:
            _walk(value, offset, signals, None)
        findings = self.depth_findings(found)
        if not found.values and found.too_deep_at is None:
            self.read_json_string(signals)
        if found.values or signals.items or signals.legacy:
            kind = self.kind_of(signals, "unrecognized")
            return kind, findings + self.signal_findings(signals), self.diagnose_items(signals)
        bare = self.read_bare()
        if bare is not None:
            kind, diagnoses = bare
            return kind, findings, diagnoses
        loose = _loose_items(self.text, 0, len(self.text), None)
        if loose:
            signals.items = loose
            kind = (
                "batch"
                if len(loose) > 1
                else "envelope"
                if _LOOSE_ENVELOPE.search(self.text)
                else "error_object"
            )
            return (
                kind,
                findings + self.not_json(found, recovered=True),
                self.diagnose_items(signals),
            )
        if found.too_deep_at is None:
            findings += self.not_json(found)
        return "unrecognized", findings, []

    def read_json_string(self, signals: _Signals) -> None:
        """A body that was logged as a JSON string: "{\\"success\\":false, …}"."""
        stripped = self.text.strip()
        if len(stripped) < 2 or stripped[0] != '"' or stripped[-1] != '"':
            return
        try:
            inner = json.loads(stripped)  # a string: no nesting to bound
        except ValueError:
            return
        if isinstance(inner, str):
            _walk(_clean_text(inner), self.text.index('"'), signals, None)

    def read_http(self, responses: list[_Http]) -> tuple[str, list[Finding], list[Diagnosis]]:
        signals = _Signals()
        findings: list[Finding] = []
        problem: _JsonFound | None = None
        for response in responses:
            found = _json_values(self.text, response.body_start, response.body_end)
            signals.json_values += len(found.values)
            before = len(signals.items) + len(signals.legacy) + len(signals.successes)
            for offset, value in found.values:
                _walk(value, offset, signals, response)
            if found.too_deep_at is not None and not any(
                f.id == "nested_too_deep" for f in findings
            ):
                findings += self.depth_findings(found)
            if found.values:
                continue
            loose = _loose_items(self.text, response.body_start, response.body_end, response)
            signals.items.extend(loose)
            empty_success = response.status < 400 and not self.text[
                response.body_start : response.body_end
            ].strip(" \t\n\r")
            if problem is None and found.too_deep_at is None and not empty_success:
                problem = (
                    found
                    if found.problem
                    else _JsonFound(
                        problem=(self.body_problem_at(response), self.body_problem(response))
                    )
                )
            if not loose and len(signals.items) + len(signals.legacy) == before:
                if response.status >= 400:
                    signals.items.append(_Item("http_response", {}, response.offset, http=response))
                elif not signals.successes:
                    signals.successes.append(f"the HTTP status is {response.status}")
        if signals.json_values == 0 and problem is not None:
            recovered = any(item.source == "loose" for item in signals.items)
            findings += self.not_json(problem, recovered=recovered)
        findings += self.signal_findings(signals)
        return self.kind_of(signals, "http_response"), findings, self.diagnose_items(signals)

    def body_problem_at(self, response: _Http) -> int:
        return _WHITESPACE.match(self.text, response.body_start, response.body_end).end()

    def body_problem(self, response: _Http) -> str:
        body = self.text[response.body_start : response.body_end].strip()
        if not body:
            return "the response has no body (paste the body below the headers too)"
        if body[:1] == "<":
            return "the body is HTML, not the Linq envelope: a proxy or gateway answered"
        return "the body does not start with '{' or '['"

    def kind_of(self, signals: _Signals, fallback: str) -> str:
        if len(signals.items) > 1:
            return "batch"
        if fallback == "http_response":
            return "legacy_v2" if signals.legacy and not signals.items else "http_response"
        if signals.items:
            return signals.items[0].source
        if signals.legacy:
            return "legacy_v2"
        if signals.webhooks:
            return "webhook"
        if signals.successes and signals.json_values == 1:
            return "envelope"
        return fallback

    def depth_findings(self, found: _JsonFound) -> list[Finding]:
        if found.too_deep_at is None:
            return []
        line, column = self.position(found.too_deep_at)
        return [
            finding(
                "nested_too_deep",
                f"At line {line}, column {column} the JSON is nested deeper than {MAX_DEPTH} "
                "levels, so it was not read; an error envelope is two levels deep. Paste the "
                "envelope itself rather than the structure around it.",
                line=line,
                column=column,
            )
        ]

    def not_json(self, found: _JsonFound, *, recovered: bool = False) -> list[Finding]:
        if found.problem is not None:
            offset, problem = found.problem
        else:
            offset = _WHITESPACE.match(self.text).end()
            problem = "there is no '{' or '[' where a JSON body would start"
        line, column = self.position(offset)
        then = (
            "The fields below were read from the text as it is; check them against the original."
            if recovered
            else "Paste the complete response body (log lines are often cut off), `curl -i` "
            "output, a code such as 2004 or a trace id."
        )
        return [
            finding(
                "not_json",
                f"No JSON could be read: line {line}, column {column}: {problem}. {then}",
                level="warning" if recovered else "error",
                line=line,
                column=column,
            )
        ]

    def signal_findings(self, signals: _Signals) -> list[Finding]:
        findings = []
        if signals.legacy:
            shown = "; ".join(_legacy_summary(e) for e in signals.legacy[:5])
            findings.append(
                finding(
                    "legacy_v2_format",
                    "This is the legacy V2 API's error shape (an `errors` array with string "
                    f"codes); its codes are not this catalogue's. V2 said: {shown}. Move the call "
                    "to the v3 API (https://api.linqapp.com/api/partner/v3, `Authorization: "
                    "Bearer` instead of `X-LINQ-INTEGRATION-TOKEN`); a v3 error names a numeric "
                    "code that is explained here.",
                )
            )
        if not signals.items and not signals.legacy:
            why = signals.successes[0] if signals.successes else "there is no error object in it"
            findings.append(
                finding(
                    "not_an_error",
                    f"This is not an error: {why}. If the call still misbehaved, paste the "
                    "failing response, or the `message.failed` webhook for a message that was "
                    "accepted but never delivered.",
                )
            )
        return findings

    def read_bare(self) -> tuple[str, list[Diagnosis]] | None:
        """A paste without JSON: a trace id, one or more codes, or a message."""
        stripped = self.text.strip()
        trace = _bare_trace_id(stripped)
        if trace is None:  # response headers without their status line
            header = _TRACE_HEADER_LINE.search(stripped)
            trace = header["value"] if header else None
        if trace is not None:
            return "trace_id", [self.trace_only(trace)]
        codes = _BARE_CODES.fullmatch(stripped)
        if codes:
            numbers = [int(n) for n in re.findall(r"\d+", stripped)]
            return "batch", [self.bare_code(n, None) for n in numbers]
        code = _BARE_CODE.fullmatch(stripped)
        if code:
            message = (code["message"] or "").strip() or None
            return "code", [self.bare_code(int(code["code"]), message)]
        lines = [line.strip() for line in stripped.split("\n") if line.strip()]
        if len(lines) <= 20:
            # One line may be a message in any wording; in several lines (a stack trace), only
            # a line that starts with a documented message counts.
            for line in lines:
                entries, how = match_message(line, self.catalogue, loose=len(lines) == 1)
                if entries:
                    return "message", [self.by_message(e, line, how) for e in entries]
        return None

    # One diagnosis ----------------------------------------------------------------------------

    def diagnose_items(self, signals: _Signals) -> list[Diagnosis]:
        return [self.diagnose_item(item) for item in signals.items]

    def diagnose_item(self, item: _Item) -> Diagnosis:
        error, wrapper, http = item.error, item.wrapper or {}, item.http
        findings: list[Finding] = []
        response_date = (
            _parse_http_date(http.headers["date"]) if http and "date" in http.headers else None
        )
        base = response_date or self.now

        # The code.
        raw_code = error.get("code", _MISSING)
        code, code_problem = _read_code(raw_code)
        status = error.get("status", _MISSING)
        observed_message = error.get("message") if isinstance(error.get("message"), str) else None
        if code_problem == "missing":
            code = self.code_from_context(item, observed_message, status, findings)
        elif code_problem == "not_integer":
            findings.append(self.code_not_integer(raw_code, code))
        entry, category = _lookup(self.catalogue, code)
        if code_problem == "huge" or (code is not None and entry is None):
            findings.append(self.unknown_code(code, raw_code, category))

        # The envelope around it.
        if item.source == "envelope":
            if "success" not in wrapper:
                findings.append(finding("success_flag_missing"))
            elif wrapper["success"] is not False:
                findings.append(
                    finding(
                        "success_flag_not_false",
                        f"`success` is {_short(wrapper['success'])}, not false, yet the body "
                        'carries an error. Linq error responses always say `"success": false`; '
                        "a client that tests `success` would take this error for a success. "
                        "Check the code that produced or changed this body.",
                    )
                )
        elif item.source == "error_object":
            findings.append(finding("error_object_only"))

        # Statuses.
        http_status = http.status if http else (status if _is_int(status) else None)
        if entry and status is not _MISSING and _as_status(status) != entry.http_status:
            findings.append(
                finding(
                    "status_mismatch",
                    f"`error.status` is {_short(status)}, but {entry.code} is documented with "
                    f"HTTP {entry.http_status} {entry.reason_phrase}. Linq repeats the HTTP status "
                    "there as an integer: check whether a proxy or your own code rewrote the body.",
                )
            )
        if entry and http and http.status != entry.http_status:
            findings.append(
                finding(
                    "http_status_mismatch",
                    f"The HTTP status line says {http.status}, but {entry.code} is documented "
                    f"with {entry.http_status} {entry.reason_phrase}. A proxy, gateway or load "
                    "balancer may have answered or rewritten the response; the body's code is "
                    "what Linq meant.",
                )
            )

        # Messages.
        if (
            entry
            and observed_message is not None
            and not item.via_message
            and normalise_message(observed_message) != normalise_message(entry.message)
        ):
            findings.append(self.message_mismatch(observed_message, entry))

        # Retry-After.
        after_seconds = self.retry_after_findings(item, code, entry, status, base, findings)

        # The trace id.
        trace_id = self.trace_findings(item, findings)

        # doc_url.
        doc_url = error.get("doc_url")
        if isinstance(doc_url, str) and code is not None:
            named = _DOC_URL_CODE.search(doc_url)
            if named and (int(named["code"]) != code or named["category"] != str(code)[0]):
                findings.append(
                    finding(
                        "doc_url_mismatch",
                        f"`doc_url` names code {named['code']} ({named['category']}xxx), but the "
                        f"code is {code}. The code is authoritative; the link may have been "
                        "copied from another response.",
                    )
                )

        retry = _timing(
            entry,
            category,
            after_seconds,
            base,
            "date" if response_date else "now",
        )
        observed = {
            "http_status": _observable(http_status),
            "status": _observable(status),
            "message": _observable(observed_message),
            "retry_after": _observable(error.get("retry_after")),
        }
        return Diagnosis(
            code=code,
            known=entry is not None,
            entry=entry,
            category=category,
            observed=observed,
            retry=retry,
            trace_id=trace_id,
            findings=tuple(findings),
            url=entry.url if entry else None,
            support_url=support_url(code, trace_id, http_status),
            source=item.source,
            line=self.position(item.offset)[0],
            response_date=response_date,
        )

    def code_from_context(
        self, item: _Item, message, status, findings: list[Finding]
    ) -> int | None:
        """No code: name the codes the message or status point to, and use a single match."""
        hint = ""
        code = None
        if message is not None:
            entries, how = match_message(message, self.catalogue)
            if len(entries) == 1 and how in ("exact", "variant", "prefix"):
                code = entries[0].code
                item.via_message = True
                hint = f" Its message is the documented message of {code}, diagnosed below as that."
            elif entries:
                hint = f" Its message fits {_codes(entries)}."
        status_value = item.http.status if item.http else status
        if not hint and _is_int(status_value):
            with_status = [e for e in self.catalogue.codes if e.http_status == status_value]
            if with_status:
                hint = f" HTTP {status_value} is documented for {_codes(with_status)}."
        if item.source == "http_response":
            text = (
                f"The HTTP {item.http.status} response carries no Linq error code.{hint} Paste "
                "the body too; if it is not a Linq envelope, something in between answered."
            )
        else:
            text = f"The error has no `code`.{hint} Paste the full response body if you have it."
        findings.append(finding("code_missing", text))
        return code

    def code_not_integer(self, raw, code: int | None) -> Finding:
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
            f"`code` is {_short(raw)}, {kind}, not an integer; {then}. Linq sends codes as JSON "
            "numbers: compare them as integers in your handler (`error.code == 1007`), or a "
            "string and a number will never match.",
        )

    def unknown_code(self, code: int | None, raw, category: Category | None) -> Finding:
        shown = _short(raw, 30) if code is None else str(code)
        if category is not None:
            nearest = ", ".join(str(e.code) for e in self.catalogue.nearest(code, 3))
            text = (
                f"{shown} is not in the Linq v3 catalogue. It falls in {category.id} "
                f"({category.name}; default: {category.default_retry_text}). Check that it "
                f"was copied correctly; the nearest documented codes are {nearest}."
            )
        else:
            text = f"{shown} is not a Linq v3 error code: they run from 1001 to 5999."
            if code is not None and 100 <= code <= 599:
                with_status = [e for e in self.catalogue.codes if e.http_status == code]
                text += f" {code} looks like an HTTP status" + (
                    f", documented for {_codes(with_status)}." if with_status else "."
                )
        return finding("unknown_code", text)

    def message_mismatch(self, observed: str, entry: ErrorCode) -> Finding:
        # Only an exact match says something here: no fuzzy matching for every mismatch.
        others = self.catalogue.with_message(_without_error_prefix(observed))
        belongs = ""
        if others and entry not in others:
            belongs = f" It is the documented message of {_codes(others)}: check the code."
        return finding(
            "message_mismatch",
            f"The message {_short_text(observed)} differs from the documented "
            f'"{entry.message}".{belongs} Wording varies between API versions and samples: '
            "handle errors by `code`, never by message text.",
        )

    def retry_after_findings(self, item, code, entry, status, base, findings) -> int | None:
        error, http = item.error, item.http
        body_raw = error.get("retry_after", _MISSING)
        header_raw = http.headers.get("retry-after") if http else None
        body_seconds = header_seconds = None
        if body_raw is not _MISSING:
            body_seconds, valid = _read_seconds(body_raw)
            if not valid:
                usable = f" It was read as {body_seconds} s." if body_seconds is not None else ""
                findings.append(
                    finding(
                        "retry_after_invalid",
                        f"`error.retry_after` is {_short(body_raw)}; it must be a non-negative "
                        f"integer number of seconds.{usable} Code that does arithmetic with it "
                        "will fail or wait the wrong time.",
                    )
                )
        if header_raw is not None:
            header_seconds, valid = _read_retry_after_header(header_raw, base)
            if not valid:
                findings.append(
                    finding(
                        "retry_after_invalid",
                        f"The `Retry-After` header is {_short_text(header_raw)}; it must be a "
                        "number of seconds or an HTTP date.",
                    )
                )
        present = body_raw is not _MISSING or header_raw is not None
        statuses = {status if _is_int(status) else None, http.status if http else None}
        expected = code == 1007 or 429 in statuses
        if present and not expected and (code is not None or statuses - {None}):
            where = "`error.retry_after`" if body_raw is not _MISSING else "A `Retry-After` header"
            advice = f" Follow {code}'s own retry advice." if entry else ""
            findings.append(
                finding(
                    "retry_after_unexpected",
                    f"{where} appears on "
                    + (
                        f"code {code}"
                        if code is not None
                        else f"HTTP {next(iter(statuses - {None}))}"
                    )
                    + f", but Linq sends it only with 429 (code 1007).{advice}",
                )
            )
        if (
            body_seconds is not None
            and header_seconds is not None
            and body_seconds != header_seconds
        ):
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
                    f"look at the headers; otherwise back off exponentially ({_BACKOFF_STEPS} s "
                    "with jitter) and cap the attempts.",
                )
            )
        known = [s for s in (body_seconds, header_seconds) if s is not None]
        return max(known) if known else None

    def trace_findings(self, item: _Item, findings: list[Finding]) -> str | None:
        wrapper, error, http = item.wrapper or {}, item.error, item.http
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
            if item.source != "loose":
                findings.append(self.trace_missing(item))
            return None
        chosen = None
        for raw, where in candidates:
            trace_id, problem = normalise_trace_id(raw)
            if problem and not any(f.id == "trace_id_malformed" for f in findings):
                findings.append(
                    finding(
                        "trace_id_malformed",
                        f"{where} {problem}, so it cannot identify a request. Copy it again from "
                        "the response body or the `X-Trace-ID` header; support needs the exact "
                        "32 hexadecimal characters.",
                    )
                )
            chosen = chosen or trace_id
        return chosen

    def trace_missing(self, item: _Item) -> Finding:
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

    # Bare inputs ----------------------------------------------------------------------------

    def bare_code(self, number: int, message: str | None) -> Diagnosis:
        entry, category = _lookup(self.catalogue, number)
        findings = []
        if entry is None:
            findings.append(self.unknown_code(number, number, category))
        elif message and normalise_message(message) != normalise_message(entry.message):
            findings.append(self.message_mismatch(message, entry))
        return Diagnosis(
            code=number,
            known=entry is not None,
            entry=entry,
            category=category,
            observed=_empty_observed(message=_observable(message)),
            retry=_timing(entry, category, None, None, None),
            trace_id=None,
            findings=tuple(findings),
            url=entry.url if entry else None,
            support_url=support_url(number, None, None),
            source="code",
            line=1,
        )

    def by_message(self, entry: ErrorCode, text: str, how: str) -> Diagnosis:
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
            observed=_empty_observed(message=_observable(text)),
            retry=_timing(entry, entry.category, None, None, None),
            trace_id=None,
            findings=tuple(findings),
            url=entry.url,
            support_url=support_url(entry.code, None, None),
            source="message",
            line=1,
        )

    def trace_only(self, raw: str) -> Diagnosis:
        trace_id, problem = normalise_trace_id(raw)
        findings = ()
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
            observed=_empty_observed(),
            retry=RetryTiming(None, None, "A trace id alone does not say whether to retry."),
            trace_id=trace_id,
            findings=findings,
            url=None,
            support_url=support_url(None, trace_id, None),
            source="trace_id",
            line=1,
        )


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


def _legacy_summary(error: dict) -> str:
    """`404 not_found "Not Found: Chat not found"` for one V2 error."""
    head = " ".join(
        str(error[key])[:40] for key in ("status", "code") if isinstance(error.get(key), int | str)
    )
    words = ": ".join(
        str(error[key]) for key in ("title", "detail") if isinstance(error.get(key), str)
    )
    return " ".join(part for part in (head, _short_text(words) if words else "") if part) or "{}"


def _short_text(text: str, limit: int = 80) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{text}"'


def _codes(entries: list[ErrorCode]) -> str:
    numbers = [str(e.code) for e in entries]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _lookup(catalogue: Catalogue, code: int | None) -> tuple[ErrorCode | None, Category | None]:
    """The entry of `code`, and its category: the entry's, or the range an unknown code is in."""
    if code is None:
        return None, None
    entry = catalogue.get(code)
    return entry, entry.category if entry else catalogue.category_for_number(code)


def _empty_observed(**values) -> dict:
    return {"http_status": None, "status": None, "message": None, "retry_after": None, **values}


def support_url(code: int | None, trace_id: str | None, status: int | None) -> str:
    params = []
    if code is not None:
        params.append(("code", code))
    if trace_id:
        params.append(("trace_id", trace_id))
    if _is_int(status) and 100 <= status <= 599:
        params.append(("status", status))
    return SUPPORT_PATH + (f"?{urlencode(params)}" if params else "")


# Waits longer than this are reported but not turned into a clock time.
_MAX_WAIT_SECONDS = 366 * 24 * 3600


def _timing(
    entry: ErrorCode | None,
    category: Category | None,
    after_seconds: int | None,
    base: datetime | None,
    counted_from: str | None,
) -> RetryTiming:
    """The verdict with concrete timing. `base` is when the response was sent (None for a bare
    code: there is no response to count from)."""
    if entry is None:
        advice = (
            f"Unknown code; the {category.id} default is: {category.default_retry_text}."
            if category
            else "Unknown code: no retry advice."
        )
        verdict = strategy = schedule = None
    else:
        verdict, strategy, advice = entry.retry.verdict, entry.retry.strategy, entry.retry.advice
        schedule = entry.retry.schedule_seconds
        if strategy == "delay":
            after_seconds = entry.retry.delay_seconds
        elif strategy == "retry_after":
            # Without a stated wait, the documented fallback is exponential backoff.
            schedule = None if after_seconds is not None else BACKOFF_SCHEDULE
        else:
            after_seconds = None
    retry_at = None
    if after_seconds is not None and base is not None and after_seconds <= _MAX_WAIT_SECONDS:
        retry_at = base + timedelta(seconds=after_seconds)
    return RetryTiming(
        verdict=verdict,
        strategy=strategy,
        advice=advice,
        after_seconds=after_seconds,
        schedule_seconds=schedule,
        retry_at=retry_at,
        counted_from=counted_from if retry_at else None,
    )


# --- Shared links ---------------------------------------------------------------------------------


def shared_diagnosis(
    params: Mapping[str, str], finding_ids: Sequence[str] = ()
) -> Diagnosis | None:
    """Rebuild a diagnosis from `Diagnosis.share_params()` alone. Unknown or malformed parameters
    are ignored; None when neither a code nor a trace id is left."""
    catalogue = get_catalogue()
    code = _bounded_int(params.get("code"), 1, 999_999_999)
    status = _bounded_int(params.get("status"), 100, 599)
    after = _bounded_int(params.get("retry_after"), 0, _MAX_WAIT_SECONDS)
    trace_id = params.get("trace_id", "")
    trace_id = trace_id if TRACE_ID.fullmatch(trace_id) and trace_id != INVALID_TRACE_ID else None
    if code is None and trace_id is None:
        return None
    finding_ids = [
        i for i in dict.fromkeys(finding_ids) if i in FINDINGS and i not in INPUT_FINDINGS
    ][:30]
    entry, category = _lookup(catalogue, code)
    if entry is not None and entry.retry.strategy != "retry_after":
        after = None
    return Diagnosis(
        code=code,
        known=entry is not None,
        entry=entry,
        category=category,
        observed=_empty_observed(http_status=status, retry_after=after),
        retry=_timing(entry, category, after, None, None),
        trace_id=trace_id,
        findings=tuple(finding(i) for i in finding_ids),
        url=entry.url if entry else None,
        support_url=support_url(code, trace_id, status),
        source="shared",
    )


def _bounded_int(value, low: int, high: int) -> int | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,10}", value):
        return None
    number = int(value)
    return number if low <= number <= high else None
