"""Site-wide error handlers: HTML pages in the site's style, the §2 JSON envelope under /api/.

Neither ever shows internals: no exception text, no paths, no settings.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

MESSAGES = {
    400: ("bad_request", "The request could not be understood."),
    403: ("forbidden", "The request is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    500: ("server_error", "Something went wrong on our side; the error has been logged."),
}


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _envelope(request: HttpRequest, status: int) -> JsonResponse:
    code, message = MESSAGES[status]
    return JsonResponse(
        {
            "success": False,
            "error": {"status": status, "code": code, "message": message},
            "trace_id": getattr(request, "trace_id", None),
        },
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return _envelope(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return _envelope(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return _envelope(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return _envelope(request, 500)
    # Rendered without context processors or the request: the failure may lie in either.
    html = loader.get_template("500.html").render({"trace_id": getattr(request, "trace_id", "")})
    return HttpResponse(html, status=500)
