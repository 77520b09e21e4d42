"""The shape of a Linq trace id: 32 lower-case hex, the trace-id part of a W3C `traceparent`.

Shared by the diagnosis (reading pasted ids), the support form (validating typed ones) and the
request middleware (keeping a proxy's id); no HTTP in here.
"""

import re
import secrets

TRACE_ID = re.compile(r"[0-9a-f]{32}")
TRACEPARENT = re.compile(r"[0-9a-f]{2}-(?P<trace_id>[0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")
INVALID_TRACE_ID = "0" * 32  # W3C: an all-zero trace id is invalid


def new_trace_id() -> str:
    return secrets.token_hex(16)
