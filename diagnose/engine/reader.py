"""Diagnosis of a pasted Linq API error: whatever a developer has at hand in, a `Report` out.

`diagnose(text)` is the one entry point. The page, the JSON API, the command line and the support
form all call it; it knows nothing of requests or templates and never logs or stores the paste.

Order of work, and why:

1. Secrets are masked first (`redaction`); nothing after that step sees the original text, so
   no finding, diagnosis or echo can carry a token.
2. The size is bounded (MAX_INPUT_BYTES). JSON values are located by a bounded scanner
   (`jsonscan`); problems are reported at the line and column of the text as pasted.
3. What was found is classified (`shapes`: envelope, inner error object, webhook, legacy V2,
   HTTP response; `bare`: code, trace id or message) and every error becomes a `Diagnosis`:
   the catalogue entry, the retry verdict with concrete timing, the trace id and the `Finding`s
   of the `rules` that say what to do next.
"""

import json
from dataclasses import replace
from datetime import UTC, datetime

from django.utils import timezone

from diagnose.engine.bare import read_bare
from diagnose.engine.findings import finding, oversized_report
from diagnose.engine.grouping import Grouped, group_items
from diagnose.engine.jsonscan import WHITESPACE, JsonFound, clean_text, find_json_values
from diagnose.engine.legacy import correspondence, legacy_diagnoses
from diagnose.engine.limits import MAX_DEPTH, MAX_GROUPS, MAX_INPUT_BYTES
from diagnose.engine.outside import read_outside
from diagnose.engine.paste import Paste
from diagnose.engine.redaction import redact_with_positions
from diagnose.engine.request import check_request
from diagnose.engine.request.reading import with_request
from diagnose.engine.results import Diagnosis, Finding, Report
from diagnose.engine.rules import (
    code_rule,
    doc_url_rule,
    envelope_rule,
    message_rule,
    observed_message,
    retry_after_rule,
    status_rule,
    trace_rule,
)
from diagnose.engine.shapes import (
    LOOSE_ENVELOPE,
    ErrorItem,
    Found,
    PastedResponse,
    Signals,
    http_responses,
    legacy_summary,
    loose_items,
    walk,
)
from diagnose.engine.sharing import code_url, support_url
from diagnose.engine.timing import retry_timing
from diagnose.engine.values import MISSING, is_int, observable, parse_http_date
from diagnose.engine.words import codes_for_words, reads_as_prose
from errors.catalogue import Catalogue, ErrorCode
from errors.loading import get_catalogue

type Reading = tuple[str, list[Finding], Grouped]  # input kind, findings, diagnoses


def diagnose(
    text: str, *, now: datetime | None = None, catalogue: Catalogue | None = None
) -> Report:
    """Diagnose whatever was pasted. Never raises on any input text."""
    now = now or timezone.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    catalogue = catalogue or get_catalogue()
    text = clean_text(text if isinstance(text, str) else "")
    if len(text.encode("utf-8")) > MAX_INPUT_BYTES:
        return oversized_report()
    redacted, replacements = redact_with_positions(text)
    findings = [_secrets_masked(len(replacements))] if replacements else []
    if not redacted.strip():
        return Report("unrecognized", (finding("empty_input"),), (), redacted, 400)
    kind, more_findings, grouped = read(Paste(text, redacted, replacements, catalogue, now))
    diagnoses = list(grouped.shown)
    related: tuple[ErrorCode, ...] | None = None
    if not diagnoses and any(f.id == "not_json" and f.level == "info" for f in more_findings):
        related = codes_for_words(redacted, catalogue)  # only words: their codes, a next step
    request = check_request(redacted)
    if request is not None:
        kind, more_findings, diagnoses = with_request(request, (kind, more_findings, diagnoses))
    return Report(
        kind,
        tuple(findings + more_findings),
        tuple(diagnoses),
        redacted,
        200,
        len(replacements),
        request,
        error_count=grouped.errors,
        distinct_count=grouped.distinct,
        related=related,
    )


def diagnose_bytes(data: bytes, *, now: datetime | None = None) -> Report:
    """Diagnose raw bytes (a request body, a file). Past MAX_INPUT_BYTES they are not decoded at
    all, so callers need read only one byte more than the limit; invalid UTF-8 is replaced."""
    if len(data) > MAX_INPUT_BYTES:
        return oversized_report()
    return diagnose(data.decode("utf-8", errors="replace"), now=now)


def _secrets_masked(count: int) -> Finding:
    return finding(
        "secret_redacted",
        f"{count} secret{'s' if count > 1 else ''} (bearer token, API key or similar) "
        f"{'were' if count > 1 else 'was'} masked before anything else happened; "
        "never shown, stored or sent on. If this text was shared anywhere else, have "
        "the key rotated.",
    )


# The shapes --------------------------------------------------------------------------------------


def read(paste: Paste) -> Reading:
    # A gateway's page, an empty 5xx or a call that got no answer: no Linq error to read in them.
    outside = read_outside(paste)
    if outside is not None:
        kind, findings, diagnoses = outside
        return kind, findings, Grouped.every(diagnoses)
    responses = http_responses(paste.text)
    if responses:
        return read_http(paste, responses)
    found = find_json_values(paste.text)
    signals = Signals(json_values=len(found.values))
    for offset, value in found.values:
        signals.take(walk(value, offset, None))
    findings = depth_findings(paste, found)
    if not found.values and found.too_deep_at is None:
        signals.take(_json_string(paste.text))
    if found.values or signals.items or signals.legacy:
        kind = kind_of(signals, "unrecognized")
        grouped = with_legacy(diagnose_items(paste, signals), signals, paste.catalogue)
        return kind, findings + signal_findings(signals, paste.catalogue), grouped
    bare = read_bare(paste.text, paste.catalogue)
    if bare is not None:
        kind, diagnoses = bare
        return kind, findings, Grouped.every(diagnoses)
    loose = loose_items(paste.text, 0, len(paste.text), None)
    if loose:
        signals.items = loose
        if len(loose) > 1:
            kind = "batch"
        else:
            kind = "envelope" if LOOSE_ENVELOPE.search(paste.text) else "error_object"
        findings += not_json(paste, found, recovered=True)
        return kind, findings, diagnose_items(paste, signals)
    if found.too_deep_at is None:
        findings += not_json(paste, found, prose=reads_as_prose(paste.text))
    return "unrecognized", findings, Grouped.every([])


def _json_string(text: str) -> list[Found]:
    """What a body logged as a JSON string holds: "{\\"success\\":false, …}"."""
    stripped = text.strip()
    if len(stripped) < 2 or stripped[0] != '"' or stripped[-1] != '"':
        return []
    try:
        inner = json.loads(stripped)  # a string: no nesting to bound
    except ValueError:
        return []
    if not isinstance(inner, str):
        return []
    return list(walk(clean_text(inner), text.index('"'), None))


def read_http(paste: Paste, responses: list[PastedResponse]) -> Reading:
    text = paste.text
    signals = Signals()
    findings: list[Finding] = []
    problem: JsonFound | None = None
    for response in responses:
        found = find_json_values(text, response.body_start, response.body_end)
        signals.json_values += len(found.values)
        before = signals.count
        for offset, value in found.values:
            signals.take(walk(value, offset, response))
        if found.too_deep_at is not None and not any(f.id == "nested_too_deep" for f in findings):
            findings += depth_findings(paste, found)
        if found.values:
            continue
        loose = loose_items(text, response.body_start, response.body_end, response)
        signals.items.extend(loose)
        body = text[response.body_start : response.body_end]
        empty_success = response.status < 400 and not body.strip(" \t\n\r")
        if problem is None and found.too_deep_at is None and not empty_success:
            problem = found if found.problem else JsonFound(problem=_body_problem(paste, response))
        if not loose and len(signals.items) + len(signals.legacy) == before:
            if response.status >= 400:
                signals.items.append(ErrorItem("http_response", {}, response.offset, http=response))
            elif not signals.successes:
                signals.successes.append(f"the HTTP status is {response.status}")
    if signals.json_values == 0 and problem is not None:
        recovered = any(item.source == "loose" for item in signals.items)
        findings += not_json(paste, problem, recovered=recovered)
    findings += signal_findings(signals, paste.catalogue)
    grouped = with_legacy(diagnose_items(paste, signals), signals, paste.catalogue)
    return kind_of(signals, "http_response"), findings, grouped


def _body_problem(paste: Paste, response: PastedResponse) -> tuple[int, str]:
    """Where and why a response body that holds no JSON at all cannot be read."""
    at = WHITESPACE.match(paste.text, response.body_start, response.body_end)
    offset = at.end() if at else response.body_start
    body = paste.text[response.body_start : response.body_end].strip()
    if not body:
        return offset, "the response has no body (paste the body below the headers too)"
    if body[:1] == "<":
        return offset, "the body is HTML, not the Linq envelope: a proxy or gateway answered"
    return offset, "the body does not start with '{' or '['"


def kind_of(signals: Signals, fallback: str) -> str:
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


# Findings about the paste as a whole -------------------------------------------------------------


def depth_findings(paste: Paste, found: JsonFound) -> list[Finding]:
    if found.too_deep_at is None:
        return []
    line, column = paste.position(found.too_deep_at)
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


def not_json(
    paste: Paste, found: JsonFound, *, recovered: bool = False, prose: bool = False
) -> list[Finding]:
    if found.problem is not None:
        offset, problem = found.problem
    else:
        start = WHITESPACE.match(paste.text)
        offset = start.end() if start else 0
        problem = "there is no '{' or '[' where a JSON body would start"
    line, column = paste.position(offset)
    if prose:
        # A description of the problem in words: nothing is wrong with it, it is just not JSON.
        return [
            finding(
                "not_json",
                "This reads as a description of the problem, not as an error response, so "
                "there is no JSON to read. The codes that match its words are below; for a "
                "diagnosis paste the response body, `curl -i` output, a code such as 2004 or a "
                "trace id.",
                level="info",
                line=line,
                column=column,
            )
        ]
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


def signal_findings(signals: Signals, catalogue: Catalogue) -> list[Finding]:
    findings = []
    if signals.legacy:
        shown = "; ".join(legacy_summary(e) for e in signals.legacy[:5])
        mapped = correspondence(signals.legacy, catalogue)
        findings.append(
            finding(
                "legacy_v2_format",
                "This is the legacy V2 API's error shape (an `errors` array with string "
                f"codes), which v3 does not use. V2 said: {shown}. "
                + (f"{mapped} " if mapped else "Its codes are not this catalogue's. ")
                + "Move the call to the v3 API (https://api.linqapp.com/api/partner/v3, "
                "`Authorization: Bearer` instead of `X-LINQ-INTEGRATION-TOKEN`); a v3 error "
                "names a numeric code that is explained here.",
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


# One diagnosis per error -------------------------------------------------------------------------


def with_legacy(grouped: Grouped, signals: Signals, catalogue: Catalogue) -> Grouped:
    """The diagnoses, then those of the legacy V2 errors that correspond to a v3 code."""
    legacy = legacy_diagnoses(signals.legacy, catalogue)
    if not legacy:
        return grouped
    shown = (*grouped.shown, *legacy[: max(0, MAX_GROUPS - len(grouped.shown))])
    return Grouped(shown, grouped.errors + len(legacy), grouped.distinct + len(legacy))


def diagnose_items(paste: Paste, signals: Signals) -> Grouped:
    """One diagnosis per distinct error, in the order first seen (`grouping`): errors that
    differ only in their trace ids are diagnosed once and counted. Only the first MAX_GROUPS
    are diagnosed; the others are counted."""
    groups = group_items(signals.items)
    shown = tuple(
        replace(
            diagnose_item(paste, group.representative),
            count=group.count,
            trace_ids=group.listed_trace_ids,
            trace_id_count=len(group.trace_ids),
        )
        for group in groups[:MAX_GROUPS]
    )
    return Grouped(shown, len(signals.items), len(groups))


def diagnose_item(paste: Paste, item: ErrorItem) -> Diagnosis:
    """One error: its code, the rules' findings in order, the retry timing and the trace id."""
    http = item.http
    response_date = (
        parse_http_date(http.headers["date"]) if http and "date" in http.headers else None
    )
    base = response_date or paste.now
    code = code_rule(item, paste.catalogue)
    retry_after = retry_after_rule(item, code.code, code.entry, base)
    trace = trace_rule(item)
    findings = (
        *code.findings,
        *envelope_rule(item),
        *status_rule(item, code.entry),
        *message_rule(item, code.entry, code.via_message, paste.catalogue),
        *retry_after.findings,
        *trace.findings,
        *doc_url_rule(item, code.code),
    )
    status = item.error.get("status", MISSING)
    http_status = http.status if http else (status if is_int(status) else None)
    return Diagnosis(
        code=code.code,
        known=code.entry is not None,
        entry=code.entry,
        category=code.category,
        observed={
            "http_status": observable(http_status),
            "status": observable(status),
            "message": observable(observed_message(item)),
            "retry_after": observable(item.error.get("retry_after")),
        },
        retry=retry_timing(
            code.entry,
            code.category,
            retry_after.seconds,
            base,
            "date" if response_date else "now",
        ),
        trace_id=trace.trace_id,
        findings=findings,
        url=code_url(code.entry),
        support_url=support_url(code.code, trace.trace_id, http_status),
        source=item.source,
        line=paste.position(item.offset)[0],
        response_date=response_date,
    )
