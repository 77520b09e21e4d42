"""When storage fails during a write: a 503 that keeps what was typed, never a 500 that loses it.

A view that stores something is wrapped with `keeps_input(answer)`. Should the database (or the
shared cache that holds the rate-limit counters) fail while the view runs, the failure is logged
with the request's trace id, and `answer(request, *view_args)` is sent with status 503 and
`Retry-After`: the same form again, filled with what was posted, above it templates/_unsaved.html,
built from `unsaved_notice()`: nothing was saved, try again shortly, or e-mail support the text.

    def _feedback_unsaved(request):
        fields = [("Was this helpful?", request.POST.get("helpful", ""))]
        notice = unsaved_notice("feedback", fields)
        return render(request, "errors/_feedback.html", {"form": ..., "unsaved": notice})

    @keeps_input(_feedback_unsaved)
    def feedback(request): ...
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from linqdocs.httppolicy import PRIVATE

log = logging.getLogger(__name__)

try:  # the Redis client is there whenever CACHE_URL names Redis
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in requirements.txt
    RedisError = DatabaseError  # type: ignore[misc, assignment]

# What "storage failed" means: the database refused or lost the write, or the shared cache is gone.
STORAGE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, RedisError)
RETRY_AFTER_SECONDS = 30
# Mail programs cut long mailto: links; past this the text is only shown, to be pasted.
MAILTO_BODY_LIMIT = 1500


@dataclass(frozen=True)
class UnsavedNotice:
    """What templates/_unsaved.html shows: what was not saved, and the text to send instead."""

    what: str  # "support request", "feedback"
    text: str  # every field as plain text
    support_email: str

    @property
    def mailto(self) -> str:
        link = f"mailto:{self.support_email}?subject={quote(f'My {self.what} (not saved)')}"
        if len(self.text) <= MAILTO_BODY_LIMIT:
            link += f"&body={quote(self.text)}"
        return link


def unsaved_notice(what: str, fields: Iterable[tuple[str, str]]) -> UnsavedNotice:
    """The notice for `what`, its text made of (label, value) pairs; empty values are left out."""
    lines = []
    for label, value in fields:
        value = (value or "").strip()
        if "\n" in value:
            lines.append(f"{label}:\n{value}\n")
        elif value:
            lines.append(f"{label}: {value}")
    return UnsavedNotice(what, "\n".join(lines), settings.SUPPORT_EMAIL)


def keeps_input(answer: Callable[..., HttpResponse]) -> Callable:
    """On a storage failure inside the view, log it with the trace id and send `answer` (called
    with the view's own arguments) as 503."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except STORAGE_ERRORS:
                # The request passes the trace id to the log line (RequestTraceIdFilter); what
                # was typed is never logged.
                log.error(
                    "storage failed during %s %s; nothing was saved and the form was shown again",
                    request.method,
                    request.path_info,
                    exc_info=True,
                    extra={"request": request},
                )
            response = answer(request, *args, **kwargs)
            response.status_code = 503
            response.reason_phrase = "Service Unavailable"
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            response["Cache-Control"] = PRIVATE
            return response

        return wrapper

    return decorator
