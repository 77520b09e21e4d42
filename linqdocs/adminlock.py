"""The admin sign-in lock: what a locked-out person sees (django-axes' AXES_LOCKOUT_CALLABLE).

django-axes counts failed sign-ins per username and per client address (settings, "Admin sign-in")
and refuses further attempts from either for a cool-off period. This page says so plainly, says
when to try again, and how a colleague lifts the lock early.
"""

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linqdocs.httppolicy import PRIVATE


def lockout_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    minutes = lockout_minutes()
    response = render(
        request,
        "admin_locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = PRIVATE
    return response
