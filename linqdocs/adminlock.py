"""The admin sign-in lock: what a locked-out person sees (django-axes' AXES_LOCKOUT_CALLABLE).

django-axes counts failed sign-ins per username and per client address (settings, "Admin sign-in")
and refuses further attempts from either for a cool-off period. This page says so plainly, says
when to try again, and how a colleague lifts the lock early.
"""

import ipaddress
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from linqdocs.httppolicy import PRIVATE
from linqdocs.ratelimit import client_address


def client_ip(request: HttpRequest) -> str | None:
    """The client address the lock counts by (AXES_CLIENT_IP_CALLABLE): the rate limiter's, but
    only when it is an IP address. Axes stores it in a GenericIPAddressField, which PostgreSQL
    refuses for anything else (a request without REMOTE_ADDR, a balancer header holding garbage);
    without an address the lock still counts by username."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


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
