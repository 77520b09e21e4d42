"""A code's retry verdict made concrete for one response: how long, until when, counted
from what."""

from datetime import datetime, timedelta

from diagnose.engine.limits import MAX_WAIT_SECONDS
from diagnose.engine.results import RetryTiming
from errors.catalogue import BACKOFF_SCHEDULE, Category, ErrorCode


def retry_timing(
    entry: ErrorCode | None,
    category: Category | None,
    after_seconds: int | None,
    base: datetime | None,
    counted_from: str | None,
) -> RetryTiming:
    """The verdict with concrete timing. `base` is when the response was sent (None for a bare
    code: there is no response to count from)."""
    if entry is None:
        advice = (
            f"Unknown code; the {category.id} default is: {category.default_retry_text}."
            if category
            else "Unknown code: no retry advice."
        )
        verdict = strategy = schedule = None
    else:
        verdict, strategy, advice = entry.retry.verdict, entry.retry.strategy, entry.retry.advice
        schedule = entry.retry.schedule_seconds
        if strategy == "delay":
            after_seconds = entry.retry.delay_seconds
        elif strategy == "retry_after":
            # Without a stated wait, the documented fallback is exponential backoff.
            schedule = None if after_seconds is not None else BACKOFF_SCHEDULE
        else:
            after_seconds = None
    retry_at = None
    if after_seconds is not None and base is not None and after_seconds <= MAX_WAIT_SECONDS:
        retry_at = base + timedelta(seconds=after_seconds)
    return RetryTiming(
        verdict=verdict,
        strategy=strategy,
        advice=advice,
        after_seconds=after_seconds,
        schedule_seconds=schedule,
        retry_at=retry_at,
        counted_from=counted_from if retry_at else None,
    )
