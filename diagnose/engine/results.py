"""What a diagnosis hands back: `Report` (the paste), `Diagnosis` (one error), `Finding`,
`RetryTiming`. Frozen values, shaped for SPEC §5 by their `as_dict()`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from diagnose.engine.limits import MAX_TRACE_IDS
from errors.catalogue import Category, ErrorCode

if TYPE_CHECKING:
    from diagnose.engine.request import RequestCheck

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
    "request",
    "unrecognized",
)
LEVELS = ("error", "warning", "info")


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S UTC")


@dataclass(frozen=True)
class Finding:
    id: str
    level: str
    message: str
    line: int | None = None
    column: int | None = None
    # A finding about the request that was sent names the field, the value as seen (masked),
    # the fix and the code Linq answers with (diagnose.engine.request).
    field: str | None = None
    value: str | None = None
    fix: str | None = None
    causes_code: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "level": self.level, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
            data["column"] = self.column
        if self.fix is not None:
            data.update(
                field=self.field, value=self.value, fix=self.fix, causes_code=self.causes_code
            )
        return data


def by_level(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """The findings per level, most serious first; levels without any are left out."""
    grouped = [(lvl, [f for f in findings if f.level == lvl]) for lvl in LEVELS]
    return [(lvl, items) for lvl, items in grouped if items]


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "after_seconds": self.after_seconds,
            "schedule_seconds": list(self.schedule_seconds) if self.schedule_seconds else None,
        }


def empty_observed(**values: object) -> dict[str, Any]:
    return {"http_status": None, "status": None, "message": None, "retry_after": None, **values}


@dataclass(frozen=True)
class Diagnosis:
    code: int | None
    known: bool
    entry: ErrorCode | None
    category: Category | None
    observed: dict[str, Any]  # http_status, status, message, retry_after as seen in the paste
    retry: RetryTiming
    trace_id: str | None  # always a valid 32-hex id, or None
    findings: tuple[Finding, ...]
    url: str | None
    support_url: str
    source: str = "envelope"  # which kind of thing held this error
    line: int | None = None  # where it starts in the paste (the first of its copies)
    response_date: datetime | None = None  # the pasted Date header
    count: int = 1  # how many errors of the paste diagnose exactly like this one
    trace_ids: tuple[str, ...] = ()  # theirs, in order, at most MAX_TRACE_IDS
    trace_id_count: int = 0  # how many distinct trace ids they had in all

    @property
    def message(self) -> str | None:
        return self.entry.message if self.entry else None

    @property
    def http_status(self) -> int | None:
        return self.entry.http_status if self.entry else None

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        return by_level(self.findings)

    @property
    def listed_trace_ids(self) -> tuple[str, ...]:
        """The trace ids of this diagnosis and its copies (at most MAX_TRACE_IDS)."""
        return self.trace_ids or ((self.trace_id,) if self.trace_id else ())

    @property
    def distinct_trace_ids(self) -> int:
        return max(self.trace_id_count, len(self.listed_trace_ids))

    def share_params(self) -> list[tuple[str, str]]:
        """Query parameters that reproduce this diagnosis: ids and numbers, never pasted text."""
        params = []
        if self.code is not None:
            params.append(("code", str(self.code)))
        status = self.observed.get("http_status")
        if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
            params.append(("status", str(status)))
        if self.trace_id:
            params.append(("trace_id", self.trace_id))
        if self.retry.strategy == "retry_after" and self.retry.after_seconds is not None:
            params.append(("retry_after", str(self.retry.after_seconds)))
        params.extend(("finding", f.id) for f in self.findings)
        return params

    def as_dict(self) -> dict[str, Any]:
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
            "count": self.count,
            "trace_ids": list(self.listed_trace_ids),
            "trace_id_count": self.distinct_trace_ids,
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
    request: "RequestCheck | None" = None  # the request the paste holds, checked
    error_count: int = 0  # errors found in the paste, each copy counted
    distinct_count: int = 0  # distinct diagnoses among them; `diagnoses` holds the first ones
    # A paste that is only words ("messages just dont go out"): the catalogue codes its words
    # match, best first (perhaps none); None for any other paste.
    related: tuple[ErrorCode, ...] | None = None

    @property
    def truncated(self) -> bool:
        """Some distinct diagnoses are counted but not shown (past MAX_GROUPS)."""
        return self.distinct_count > len(self.diagnoses)

    @property
    def hidden_count(self) -> int:
        return max(0, self.distinct_count - len(self.diagnoses))

    def as_dict(self) -> dict[str, Any]:
        """The JSON of SPEC §5, with the totals of a bounded answer: `count` distinct
        diagnoses in all (`diagnoses` holds at most MAX_GROUPS of them, in the order first
        seen; `truncated` says some are left out) and `error_count` errors in the paste;
        `request` when the paste holds the request that was sent; `related_codes` when it is
        only words, with the codes they match."""
        data: dict[str, Any] = {
            "input_kind": self.input_kind,
            "findings": [f.as_dict() for f in self.findings],
            "diagnoses": [d.as_dict() for d in self.diagnoses],
            "count": max(self.distinct_count, len(self.diagnoses)),
            "error_count": max(self.error_count, sum(d.count for d in self.diagnoses)),
            "truncated": self.truncated,
        }
        if self.request is not None:
            data["request"] = self.request.as_dict()
        if self.related is not None:
            data["related_codes"] = [
                {"code": e.code, "message": e.message, "url": e.url} for e in self.related
            ]
        return data

    def groups(self) -> list[CodeGroup]:
        """The diagnoses shown, summed up by code, most frequent first, with their trace ids."""
        order: dict[int | None, list[Diagnosis]] = {}
        for item in self.diagnoses:
            order.setdefault(item.code, []).append(item)
        groups = [
            CodeGroup(
                code=code,
                entry=items[0].entry,
                count=sum(d.count for d in items),
                trace_ids=tuple(dict.fromkeys(t for d in items for t in d.listed_trace_ids))[
                    :MAX_TRACE_IDS
                ],
            )
            for code, items in order.items()
        ]
        return sorted(groups, key=lambda g: (-g.count, g.code is None, g.code or 0))

    def findings_by_level(self) -> list[tuple[str, list[Finding]]]:
        return by_level(self.findings)

    @property
    def diagnosed(self) -> bool:
        """Something useful came out: a diagnosis (a call that got no answer has one, though
        it is of no recognised kind), or a clear statement about the paste."""
        return self.status_code == 200 and (
            self.input_kind != "unrecognized" or bool(self.diagnoses)
        )
