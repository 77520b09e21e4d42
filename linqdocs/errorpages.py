"""Site-wide error handlers: HTML pages in the site's style, the §2 JSON envelope under /api/.

Neither ever shows internals: no exception text, no paths, no settings. Both carry the request's
trace id (the envelope in its body, every response in X-Trace-ID), which is what support asks for.
"""

import sys
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

from linqdocs.unsaved import STORAGE_ERRORS

API_PREFIX = "/api/"
# How the site writes JSON: readable by people in a browser tab, UTF-8 as it is.
JSON_DUMPS = {"indent": 2, "ensure_ascii": False}
JSON_TYPES = ("application/json", "application/problem+json")

MESSAGES = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "The request is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that HTTP method."),
    500: ("server_error", "Something went wrong on our side; the error has been logged."),
    503: (
        "storage_unavailable",
        "Our storage did not answer; nothing was changed. Try again in a moment.",
    ),
}
# What a page that failed on storage asks the client to wait before trying again.
STORAGE_RETRY_AFTER_SECONDS = 30


def wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_envelope(
    request: HttpRequest,
    status: int,
    code: str | None = None,
    message: str | None = None,
    **error_fields: object,
) -> JsonResponse:
    """The project's own errors in the Linq envelope (SPEC §2), with the request's trace id;
    `error_fields` go into `error` beside status, code and message (`retry_after` on a 429)."""
    if code is None or message is None:
        phrase = HTTPStatus(status).phrase
        default = MESSAGES.get(status, (phrase.lower().replace(" ", "_").replace("-", "_"), phrase))
        code, message = code or default[0], message or default[1]
    return JsonResponse(
        {
            "success": False,
            "error": {"status": status, "code": code, "message": message, **error_fields},
            "trace_id": getattr(request, "trace_id", None),
        },
        status=status,
        json_dumps_params=JSON_DUMPS,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return api_envelope(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return api_envelope(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if wants_json(request):
        return api_envelope(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # A read that failed on storage (the database gone, read-only or locked; the shared cache
    # down) is a temporary outage, not a bug: 503 with Retry-After, so people and clients retry.
    # Writes answer their own 503 with the input kept (`linqdocs.unsaved.keeps_input`).
    if isinstance(sys.exception(), STORAGE_ERRORS):
        return storage_unavailable(request)
    if wants_json(request):
        return api_envelope(request, 500)
    # Rendered without context processors or the request: the failure may lie in either.
    html = loader.get_template("500.html").render({"trace_id": getattr(request, "trace_id", "")})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. Django's `reason` names the failed check; it stays in the log only."""
    if wants_json(request):
        return api_envelope(
            request, 403, "csrf_failed", "The request failed the cross-site request forgery check."
        )
    return render(request, "403_csrf.html", status=403)


def storage_unavailable(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        response: HttpResponse = api_envelope(request, 503)
    else:
        html = loader.get_template("503.html").render(
            {"trace_id": getattr(request, "trace_id", "")}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
