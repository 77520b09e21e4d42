"""Identical errors are diagnosed once: a paste of 6,000 copies of one error is one diagnosis
seen 6,000 times, with its trace ids, not 6,000 diagnoses.

Two errors are alike when everything the rules read is the same except their trace ids and where
they stand in the paste: the same fields in the error and around it, the same HTTP status and
headers, and the same findings about their trace ids (a missing or malformed trace id sets an
error apart). Only the first MAX_GROUPS distinct errors are diagnosed at all; the others are
counted, so the work and the answer of any paste are bounded whatever it holds.
"""

from dataclasses import dataclass, field
from itertools import islice

from diagnose.engine.limits import MAX_TRACE_IDS
from diagnose.engine.results import Diagnosis
from diagnose.engine.shapes import ErrorItem
from diagnose.engine.values import explain_trace_id

# Headers that carry the trace id: they differ from one response to the next by nature.
_TRACE_HEADERS = frozenset({"x-trace-id", "traceparent"})


@dataclass(frozen=True)
class Grouped:
    """The diagnoses of a paste as shown, and how many errors and distinct ones it held."""

    shown: tuple[Diagnosis, ...]
    errors: int  # errors found in the paste, each copy counted
    distinct: int  # distinct diagnoses among them; more than len(shown) when some are not shown

    @classmethod
    def every(cls, diagnoses: list[Diagnosis]) -> "Grouped":
        """Diagnoses that are all distinct and all shown (a bare code, the codes of a message)."""
        return cls(tuple(diagnoses), len(diagnoses), len(diagnoses))


@dataclass
class ItemGroup:
    """Errors that diagnose alike: the one to diagnose, how many, their trace ids in order."""

    representative: ErrorItem
    count: int = 0
    trace_ids: dict[str, None] = field(default_factory=dict)  # an ordered set
    has_trace_id: bool = False

    def add(self, item: ErrorItem, trace_id: str | None) -> None:
        self.count += 1
        if trace_id is None:
            return
        self.trace_ids.setdefault(trace_id)
        if not self.has_trace_id:  # shown with a trace id when any of them has one
            self.representative, self.has_trace_id = item, True

    @property
    def listed_trace_ids(self) -> tuple[str, ...]:
        return tuple(islice(self.trace_ids, MAX_TRACE_IDS))


def _trace_ids_read(item: ErrorItem) -> tuple[tuple[object, ...], str | None]:
    """What the trace-id rule (`rules.trace_rule`) reads, cheaply: where trace ids stand and
    which of them are malformed (and how), which sets errors apart; and the trace id chosen,
    which does not."""
    wrapper, error, http = item.wrapper, item.error, item.http
    candidates = []
    if "trace_id" in wrapper:
        candidates.append(("wrapper", wrapper["trace_id"]))
    if "trace_id" in error and (
        item.source == "error_object" or (item.source == "envelope" and "trace_id" not in wrapper)
    ):
        candidates.append(("error", error["trace_id"]))
    if http is not None and "x-trace-id" in http.headers:
        candidates.append(("x-trace-id", http.headers["x-trace-id"]))
    elif http is not None and "traceparent" in http.headers:
        candidates.append(("traceparent", http.headers["traceparent"]))
    places: list[tuple[str, str | None]] = []
    chosen = None
    for place, raw in candidates:
        trace_id, problem = explain_trace_id(raw)
        places.append((place, problem))
        chosen = chosen or trace_id
    return tuple(places), chosen


def _sameness(item: ErrorItem, trace_places: tuple[object, ...]) -> tuple[object, ...]:
    """Everything that makes two errors diagnose differently, trace id and offset aside."""
    error = item.error
    if "trace_id" in error:
        error = {name: value for name, value in error.items() if name != "trace_id"}
    wrapper = item.wrapper
    if "trace_id" in wrapper:
        wrapper = {name: value for name, value in wrapper.items() if name != "trace_id"}
    http = None
    if item.http is not None:
        headers = [(k, v) for k, v in item.http.headers.items() if k not in _TRACE_HEADERS]
        http = (item.http.status, tuple(headers))
    # repr, not the values: pasted JSON holds lists and dicts, which cannot be hashed.
    return (item.source, repr(error), repr(wrapper), http, trace_places)


def group_items(items: list[ErrorItem]) -> list[ItemGroup]:
    """The errors' groups in the order each was first seen."""
    groups: dict[tuple[object, ...], ItemGroup] = {}
    for item in items:
        trace_places, trace_id = _trace_ids_read(item)
        key = _sameness(item, trace_places)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ItemGroup(item)
        group.add(item, trace_id)
    return list(groups.values())
