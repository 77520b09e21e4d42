"""Codes with more support requests in the last hour than usual: an incident, noticed early.

The arithmetic, also stated on the admin's spike page:

    usual      = requests for the code in the 7 days before the last hour / 168 (hours)
    spike when   last hour >= MINIMUM_REQUESTS  and  last hour > FACTOR * usual

So with no history, 3 requests for one code in an hour are a spike; a code that usually brings
2 requests an hour needs 7. A deployment younger than 7 days has a lower "usual" than it will
have later, which errs on the side of telling support.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from errors.catalogue import ErrorCode
from errors.loading import get_catalogue
from support.models import Ticket

WINDOW = timedelta(hours=1)
BASELINE_DAYS = 7
BASELINE_HOURS = BASELINE_DAYS * 24
MINIMUM_REQUESTS = 3
FACTOR = 3


@dataclass(frozen=True)
class CodeRate:
    """One code's requests in the last hour against its usual hourly rate."""

    code: int
    last_hour: int
    baseline: int  # requests in the BASELINE_HOURS before the last hour
    entry: ErrorCode | None = None

    @property
    def usual(self) -> float:
        """The mean number of requests per hour over the baseline."""
        return self.baseline / BASELINE_HOURS

    @property
    def threshold(self) -> int:
        """The fewest requests in an hour that count as a spike for this code."""
        return max(MINIMUM_REQUESTS, math.floor(FACTOR * self.usual) + 1)

    @property
    def is_spike(self) -> bool:
        return self.last_hour >= self.threshold

    @property
    def ratio(self) -> float | None:
        """How many times the usual rate the last hour was; None without a baseline."""
        return self.last_hour / self.usual if self.baseline else None


def code_rates(now: datetime | None = None) -> list[CodeRate]:
    """Every code with a request in the last hour, spikes first, then by the last hour's count.

    One query: requests since the baseline's start, counted per code on either side of the hour.
    """
    now = now or timezone.now()
    hour_start = now - WINDOW
    baseline_start = hour_start - timedelta(hours=BASELINE_HOURS)
    rows = (
        Ticket.objects.filter(
            error_code__isnull=False, created_at__gte=baseline_start, created_at__lte=now
        )
        .values("error_code")
        .annotate(
            last_hour=Count("id", filter=Q(created_at__gte=hour_start)),
            baseline=Count("id", filter=Q(created_at__lt=hour_start)),
        )
        .filter(last_hour__gt=0)
        .order_by()
    )
    catalogue = get_catalogue()
    rates = [
        CodeRate(
            code=code,
            last_hour=row["last_hour"],
            baseline=row["baseline"],
            entry=catalogue.get(code),
        )
        for row in rows
        if (code := row["error_code"]) is not None
    ]
    return sorted(rates, key=lambda r: (not r.is_spike, -r.last_hour, r.code))


def spikes(now: datetime | None = None) -> list[CodeRate]:
    return [rate for rate in code_rates(now) if rate.is_spike]
