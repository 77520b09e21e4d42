"""Trace ids, in one place: their shape, how a typed or pasted one is read, and new ones.

A Linq trace id is 32 lower-case hex, the trace-id part of a W3C `traceparent`. The diagnosis
(pasted ids), the support form (typed ids), the request middleware (a proxy's id) and the
catalogue's content checks all read them here; no HTTP in here.
"""

import re
import secrets

TRACE_ID = re.compile(r"[0-9a-f]{32}")
# A whole W3C traceparent header value: version-traceid-parentid-flags.
TRACEPARENT = re.compile(r"[0-9a-f]{2}-(?P<trace_id>[0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")
INVALID_TRACE_ID = "0" * 32  # W3C: an all-zero trace id is invalid


def normalise_trace_id(value: str) -> str:
    """`value` as a trace id is written: no surrounding blanks or quotes, lower case, and a
    `traceparent` reduced to its trace-id part. Not checked: see `is_trace_id`."""
    value = value.strip().strip("\"'`").strip().lower()
    parent = TRACEPARENT.fullmatch(value)
    return parent["trace_id"] if parent else value


def is_trace_id(value: str) -> bool:
    """A normalised value that can identify a request: 32 hex, and not the invalid all-zero id."""
    return TRACE_ID.fullmatch(value) is not None and value != INVALID_TRACE_ID


def read_trace_id(value: str) -> str | None:
    """The trace id `value` holds (an id or a traceparent, quoted or not), or None."""
    value = normalise_trace_id(value)
    return value if is_trace_id(value) else None


def new_trace_id() -> str:
    return secrets.token_hex(16)
