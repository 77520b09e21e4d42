"""Links out of a diagnosis: the code's page, a support request that carries what was found,
and a shared diagnosis rebuilt from its link alone (ids and numbers, never pasted text)."""

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.urls import reverse

from diagnose.engine.findings import FINDINGS, INPUT_FINDINGS, finding
from diagnose.engine.limits import MAX_WAIT_SECONDS
from diagnose.engine.results import Diagnosis, empty_observed
from diagnose.engine.timing import retry_timing
from diagnose.engine.values import is_int
from errors.catalogue import ErrorCode
from errors.loading import get_catalogue
from errors.traceids import is_trace_id


def code_url(entry: ErrorCode | None) -> str | None:
    """The catalogue page of a documented code."""
    return reverse("errors:detail", args=[entry.code]) if entry else None


def support_url(
    code: int | None, trace_id: str | None, status: int | None, *, failure: str | None = None
) -> str:
    """The support form, prefilled with what the diagnosis found: ids, numbers and, for a
    failure outside the API, its kind (`diagnose.engine.outside.SUMMARIES`)."""
    params: list[tuple[str, str | int]] = []
    if code is not None:
        params.append(("code", code))
    if trace_id:
        params.append(("trace_id", trace_id))
    if is_int(status) and status is not None and 100 <= status <= 599:
        params.append(("status", status))
    if failure:
        params.append(("failure", failure))
    return reverse("support:new") + (f"?{urlencode(params)}" if params else "")


def shared_diagnosis(
    params: Mapping[str, str], finding_ids: Sequence[str] = ()
) -> Diagnosis | None:
    """Rebuild a diagnosis from `Diagnosis.share_params()` alone. Unknown or malformed parameters
    are ignored; None when neither a code nor a trace id is left."""
    catalogue = get_catalogue()
    code = _bounded_int(params.get("code"), 1, 999_999_999)
    status = _bounded_int(params.get("status"), 100, 599)
    after = _bounded_int(params.get("retry_after"), 0, MAX_WAIT_SECONDS)
    trace_id: str | None = params.get("trace_id", "")
    trace_id = trace_id if trace_id and is_trace_id(trace_id) else None
    if code is None and trace_id is None:
        return None
    finding_ids = [
        i for i in dict.fromkeys(finding_ids) if i in FINDINGS and i not in INPUT_FINDINGS
    ][:30]
    entry, category = catalogue.lookup(code)
    if entry is not None and entry.retry.strategy != "retry_after":
        after = None
    return Diagnosis(
        code=code,
        known=entry is not None,
        entry=entry,
        category=category,
        observed=empty_observed(http_status=status, retry_after=after),
        retry=retry_timing(entry, category, after, None, None),
        trace_id=trace_id,
        findings=tuple(finding(i) for i in finding_ids),
        url=code_url(entry),
        support_url=support_url(code, trace_id, status),
        source="shared",
    )


def _bounded_int(value: object, low: int, high: int) -> int | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,10}", value):
        return None
    number = int(value)
    return number if low <= number <= high else None
