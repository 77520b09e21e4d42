"""The request as the views see it once the site's middleware has run, for type checking.

django-htmx's middleware sets `request.htmx`; `linqdocs.middleware.TraceIdMiddleware` sets
`request.trace_id`. A view that reads either is annotated with `SiteRequest`.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class SiteRequest(HttpRequest):
    htmx: HtmxDetails
    trace_id: str
