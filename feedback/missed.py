"""Counting searches that found nothing, so writers see what people look for and do not find.

A search counts once as the person left it: while they type, the box searches at every pause
("xyl", "xylo", "xylophone"), and each pause that only extends or trims the one before replaces
it instead of counting again. A browser that repeats a search it already has gets a 304 from the
catalogue and is not counted twice.
"""

import logging
import re

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpRequest

from feedback.masking import mask
from feedback.models import QUERY_MAX_LENGTH, MissedSearch
from linqdocs.ratelimit import client_address

LIVE_WINDOW_SECONDS = 120
logger = logging.getLogger("linqdocs.feedback")


def normalise(query: str) -> str:
    """Lower case, single spaces, secrets masked, at most QUERY_MAX_LENGTH characters."""
    text = re.sub(r"\s+", " ", mask(query)).strip().casefold()
    return text[:QUERY_MAX_LENGTH].rstrip()


def _related(one: str, other: str) -> bool:
    return one.startswith(other) or other.startswith(one)


def record(query: str, *, client: str, live: bool) -> str | None:
    """Count one missed search; returns the text stored, or None when there was nothing to count."""
    text = normalise(query)
    if not text:
        return None
    key = f"feedback:missed:last:{client}"
    previous = cache.get(key) if live else None
    if previous == text:
        return text  # the same pause twice (a slow request, a repeated keystroke)
    with transaction.atomic():
        if previous and _related(previous, text):
            MissedSearch.objects.filter(query=previous).update(count=F("count") - 1)
            MissedSearch.objects.filter(query=previous, count__lte=0).delete()
        row, created = MissedSearch.objects.get_or_create(query=text, defaults={"count": 1})
        if not created:
            MissedSearch.objects.filter(pk=row.pk).update(count=F("count") + 1)
    if live:
        cache.set(key, text, LIVE_WINDOW_SECONDS)
    else:
        cache.delete(key)
    return text


def record_from_signal(
    sender: object, *, query: str, request: HttpRequest, live: bool, **kwargs: object
) -> None:
    try:
        record(query, client=client_address(request), live=live)
    except DatabaseError as error:
        # Counting is a nicety: a search must never fail because the counter could not be kept.
        logger.warning("a missed search was not counted: %s", type(error).__name__)
