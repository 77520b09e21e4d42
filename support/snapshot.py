"""A ticket's diagnosis snapshot, read back so the admin can show it the way the site does.

The snapshot is the SPEC §5 JSON of the paste as it was diagnosed when the request was sent
(secrets masked). It is turned back into the engine's `Report`, so the change page renders it
with the site's own presenter and card template: the record of what the developer saw, not a
new diagnosis with today's rules. What the JSON cannot hold (the clock time to retry at, the line
of each error) is left out; a value of the wrong type (an older or hand-edited snapshot) is
dropped rather than trusted.
"""

from typing import Any

from diagnose.engine import LEVELS, Diagnosis, Finding, Report
from diagnose.engine.results import empty_observed
from diagnose.engine.sharing import code_url, support_url
from diagnose.engine.timing import retry_timing
from errors.loading import get_catalogue
from errors.traceids import is_trace_id

OBSERVED = ("http_status", "status", "message", "retry_after")


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _findings(items: object) -> tuple[Finding, ...]:
    found = []
    for item in items if isinstance(items, list) else []:
        item = _dict(item)
        finding_id, level, message = item.get("id"), item.get("level"), item.get("message")
        if isinstance(finding_id, str) and level in LEVELS and isinstance(message, str):
            found.append(
                Finding(
                    finding_id, level, message, _int(item.get("line")), _int(item.get("column"))
                )
            )
    return tuple(found)


def _diagnosis(item: dict[str, Any], input_kind: str) -> Diagnosis:
    code = _int(item.get("code"))
    entry, category = get_catalogue().lookup(code)
    stored = _dict(item.get("observed"))
    observed = empty_observed(**{key: stored[key] for key in OBSERVED if key in stored})
    trace_id = item.get("trace_id")
    trace_id = trace_id if isinstance(trace_id, str) and is_trace_id(trace_id) else None
    after = _int(_dict(item.get("retry")).get("after_seconds"))
    return Diagnosis(
        code=code,
        known=entry is not None,
        entry=entry,
        category=category,
        observed=observed,
        retry=retry_timing(entry, category, after, None, None),
        trace_id=trace_id,
        findings=_findings(item.get("findings")),
        url=code_url(entry),
        support_url=support_url(code, trace_id, _int(observed["http_status"])),
        source="trace_id" if code is None and input_kind == "trace_id" else "snapshot",
    )


def snapshot_report(snapshot: object, paste: str) -> Report | None:
    """The stored snapshot as a `Report`; None when there is none or it holds nothing usable."""
    data = _dict(snapshot)
    if not data:
        return None
    input_kind = data.get("input_kind")
    input_kind = input_kind if isinstance(input_kind, str) else "unrecognized"
    items = data.get("diagnoses")
    diagnoses = tuple(
        _diagnosis(item, input_kind)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    )
    return Report(
        input_kind=input_kind,
        findings=_findings(data.get("findings")),
        diagnoses=diagnoses,
        redacted_text=paste,
        status_code=200,
    )
