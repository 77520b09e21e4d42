"""Cross-cutting HTTP concerns: a trace id on every response, the request log line, extra headers."""

import logging
import re
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

request_log = logging.getLogger("linqdocs.request")

# An incoming X-Trace-ID from a proxy is kept when it has the right shape, so one id follows a
# request through the load balancer and the app; anything else is replaced, never echoed.
TRACE_ID = re.compile(r"[0-9a-f]{32}")


def new_trace_id() -> str:
    return secrets.token_hex(16)


class TraceIdMiddleware:
    """Gives every request a 32-hex trace id, sends it as X-Trace-ID and logs one line per request.

    The log line holds method, path (never the query string of a POST, never a body), status,
    duration and trace id, and nothing a user typed into a form.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Trace-ID", "").lower()
        request.trace_id = incoming if TRACE_ID.fullmatch(incoming) else new_trace_id()
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        response["X-Trace-ID"] = request.trace_id
        request_log.info(
            "%s %s %s %.1fms trace_id=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            request.trace_id,
        )
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
