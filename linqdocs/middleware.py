"""Cross-cutting HTTP concerns: trace id and request log, extra headers, /healthz, /api/ errors."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path

from errors.traceids import new_trace_id, read_trace_id
from linqdocs import errorpages, health
from linqdocs.requests import SiteRequest

request_log = logging.getLogger("linqdocs.request")

LOGGED_PATH_LENGTH = 300


def incoming_trace_id(request: HttpRequest) -> str | None:
    """An incoming X-Trace-ID (or the trace-id part of a W3C traceparent) from a proxy is kept
    when it has the right shape, so one id follows a request through the load balancer and the
    app; anything else is replaced, never echoed."""
    headers = request.headers
    return read_trace_id(headers.get("X-Trace-ID", "")) or read_trace_id(
        headers.get("traceparent", "")
    )


class TraceIdMiddleware:
    """Gives every request a 32-hex trace id, sends it as X-Trace-ID and logs one line per request.

    The line holds method, path, status, duration and trace id, and nothing else: no query string
    (a GET form's contents), no body, no header. The same values ride on the log record as
    attributes (`method`, `path`, `status_code`, `duration_ms`, `trace_id`) for structured handlers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        request.trace_id = incoming_trace_id(request) or new_trace_id()
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Trace-ID"] = request.trace_id
        # Percent-encoded and cut short: a path cannot forge log lines or flood the log.
        path = escape_uri_path(request.path)[:LOGGED_PATH_LENGTH]
        request_log.log(
            logging.WARNING if response.status_code >= 500 else logging.INFO,
            "%s %s %s %.1fms trace_id=%s",
            request.method,
            path,
            response.status_code,
            duration_ms,
            request.trace_id,
            extra={
                "method": request.method,
                "path": path,
                "status_code": response.status_code,
                "duration_ms": duration_ms,
                "trace_id": request.trace_id,
            },
        )
        return response


class RequestTraceIdFilter(logging.Filter):
    """Sets `trace_suffix` on every record: " trace_id=…" when Django logged it about a request
    (it passes the request as `extra`), else empty. Used by the console formatter in settings."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace_id = getattr(getattr(record, "request", None), "trace_id", None)
        record.trace_suffix = f" trace_id={trace_id}" if trace_id else ""
        return True


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class HealthCheckMiddleware:
    """Answers /healthz before the Host header is validated.

    Load balancers and orchestrators probe each app server by its own address
    (`Host: 10.0.3.7:8000`), which ALLOWED_HOSTS rightly refuses with a 400. The health answer
    builds no URL from the Host, so nothing is lost by skipping the check for this one path.
    """

    path = "/healthz"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == self.path:
            return health.healthz(request)
        return self.get_response(request)


class ApiErrorMiddleware:
    """Every /api/ error answers in the §2 envelope, including those Django makes bare (a 405 from
    a method decorator, say). Responses that already are JSON are left alone."""

    KEPT_HEADERS = ("Allow", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not errorpages.wants_json(request)
            or response.get("Content-Type", "").startswith(errorpages.JSON_TYPES)
        ):
            return response
        envelope = errorpages.api_envelope(request, response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                envelope[header] = response[header]
        return envelope
