"""A fixed-window rate limit per client, kept in Django's cache, for any view that needs one.

A rate setting (`SUPPORT_RATE_LIMIT`, `DIAGNOSE_RATE_LIMIT`, ...) reads like "5/10m": at most 5
requests per client in each 10-minute window ("N/30s", "N/m", "N/h", "N/d" work too; "0" turns the
limit off). The counter lives in the default
cache, so with several app servers the cache must be shared (Redis): a per-process cache would
multiply the limit by the number of processes.

A fixed window is deliberately simple: `cache.add` starts the window's counter and `cache.incr`
counts atomically on Redis and on the local-memory cache alike.
"""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"(?P<count>\d+)\s*/\s*(?P<amount>\d*)\s*(?P<unit>[smhd])")


@dataclass(frozen=True)
class Rate:
    count: int  # requests allowed per window; 0 means no limit
    period: int  # window length in seconds

    @property
    def enabled(self) -> bool:
        return self.count > 0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def parse_rate(text: str) -> Rate:
    """'5/10m' -> Rate(5, 600); '0' or '' -> no limit. Raises ValueError on anything else."""
    text = (text or "").strip().lower()
    if text in {"", "0"}:
        return Rate(0, 1)
    match = RATE.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} is not a rate like '5/10m', '20/h' or '0'")
    amount = int(match["amount"]) if match["amount"] else 1
    if amount == 0:
        raise ValueError(f"{text!r} has a window of zero length")
    return Rate(int(match["count"]), amount * UNIT_SECONDS[match["unit"]])


def configured_rate(setting: str) -> Rate:
    """The rate in the setting named `setting` (e.g. "SUPPORT_RATE_LIMIT")."""
    return parse_rate(getattr(settings, setting))


def hit(scope: str, client: str, rate: Rate, now: float | None = None) -> Decision:
    """Count one request by `client` against `rate` and say whether it is allowed."""
    if not rate.enabled:
        return Decision(True, 0)
    now = time.time() if now is None else now
    window = int(now // rate.period)
    retry_after = max(1, (window + 1) * rate.period - int(now))
    key = f"ratelimit:{scope}:{client}:{rate.period}:{window}"
    # The counter outlives its window a little so a slow clock on one server cannot reopen it.
    if cache.add(key, 1, timeout=rate.period + 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=rate.period + 60)
            count = 1
    return Decision(count <= rate.count, retry_after)


def client_address(request: HttpRequest) -> str:
    """The client as the app server sees it.

    REMOTE_ADDR only: X-Forwarded-For is written by whoever sends the request, so trusting it
    would let a client pick its own bucket. Behind a load balancer REMOTE_ADDR is the balancer's
    address, and all clients share one bucket: read the balancer's own header here then, and
    only that one.
    """
    header = settings.CLIENT_IP_HEADER
    if header:
        # The balancer appends the address it saw last; anything before it came from the client.
        forwarded = request.headers.get(header, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR") or "unknown"
