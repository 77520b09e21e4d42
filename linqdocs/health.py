"""/healthz for load balancers: 200 when the content is loaded and the database answers, else 503.

Answered by linqdocs.middleware.HealthCheckMiddleware, ahead of host validation and the URLconf.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from errors.catalogue import get_catalogue


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    checks = {}
    try:
        get_catalogue()
        checks["catalogue"] = "ok"
    except Exception as exc:
        checks["catalogue"] = type(exc).__name__
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = type(exc).__name__
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response
