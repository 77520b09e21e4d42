"""Reading pasted values: codes, statuses, waits, dates and trace ids as they really arrive
(strings, floats, huge numbers), and matching a message to the codes it documents."""

import json
import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeIs

from diagnose.engine.jsonscan import LargeNumber
from errors import messages
from errors.catalogue import Catalogue, ErrorCode, normalise_message
from errors.traceids import INVALID_TRACE_ID, TRACE_ID, normalise_trace_id

MISSING: Any = object()  # a key that is not there at all (None is a pasted null)


def is_int(value: object) -> TypeIs[int]:
    """A JSON integer: an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def short(value: Any, limit: int = 80) -> str:
    """A pasted value for a message: JSON notation, shortened."""
    if isinstance(value, LargeNumber):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def observable(value: Any) -> Any:
    """A pasted value as it may appear in the JSON answer: JSON-safe and bounded in size."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, LargeNumber):
        return short(value, 40)
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    if isinstance(value, str):
        return value if len(value) <= 500 else value[:499] + "…"
    return short(value, 200)


def as_status(raw: Any) -> int | None:
    if is_int(raw):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{3}\s*", raw):
        return int(raw)
    return None


def read_code(raw: Any) -> tuple[int | None, str | None]:
    """(code, problem) where problem is None, "missing", "not_integer" or "huge"."""
    if raw is MISSING or raw is None:
        return None, "missing"
    if isinstance(raw, LargeNumber):
        return None, "huge"
    if is_int(raw):
        return raw, None
    if isinstance(raw, float):
        if not raw.is_integer():
            return None, "not_integer"
        return (int(raw), "not_integer") if abs(raw) < 1e9 else (None, "huge")
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,9}\s*", raw):
        return int(raw), "not_integer"
    return None, "not_integer"


def read_seconds(raw: Any) -> tuple[int | None, bool]:
    """(usable seconds, valid) for error.retry_after: valid only as a non-negative integer."""
    if is_int(raw):
        return (raw, True) if raw >= 0 else (None, False)
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        return int(raw), False
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,12}\s*", raw):
        return int(raw), False
    return None, False


def read_retry_after_header(value: str, base: datetime) -> tuple[int | None, bool]:
    """Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    value = value.strip()
    if re.fullmatch(r"\d{1,12}", value):
        return int(value), True
    moment = parse_http_date(value)
    if moment is None:
        return None, False
    return max(0, round((moment - base).total_seconds())), True


def parse_http_date(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def explain_trace_id(raw: Any) -> tuple[str | None, str | None]:
    """(32-hex id, None) or (None, why it is malformed) for a pasted trace id or traceparent."""
    if not isinstance(raw, str):
        return None, f"is {short(raw)}, not a string of 32 hexadecimal characters"
    value = normalise_trace_id(raw)
    if value == INVALID_TRACE_ID:
        return None, "is all zeros, which W3C Trace Context defines as invalid"
    if TRACE_ID.fullmatch(value):
        return value, None
    if value.startswith("trace_"):
        return None, (
            f"{short(raw)} looks like a documentation placeholder; a real trace id is "
            "32 hexadecimal characters"
        )
    if re.fullmatch(r"[0-9a-f]+", value):
        return None, f"has {len(value)} hexadecimal characters instead of 32 (copied partly?)"
    return None, f"{short(raw)} is not 32 hexadecimal characters"


def short_text(text: str, limit: int = 80) -> str:
    """Pasted text for a message: quoted, shortened."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{text}"'


def codes_text(entries: list[ErrorCode]) -> str:
    """ "1007", or "2001, 2002 and 2003"."""
    numbers = [str(e.code) for e in entries]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


_MESSAGE_VARIANTS = {
    # Wordings seen in Linq's own samples for documented codes.
    "rate limited": 1007,
    "too many requests": 1007,
    "resource not found": 2001,
}
_ERROR_PREFIX = re.compile(
    r"^(?:[\w.]*(?:error|exception)|error|err|failed|failure)\s*[:\-—]\s*", re.IGNORECASE
)


def without_error_prefix(text: str) -> str:
    """`text` without a logger's lead-in such as "Error:" or "LinqApiError -"."""
    return _ERROR_PREFIX.sub("", text.strip())


SIMILAR_ENOUGH = 0.75  # difflib ratio
AS_CLOSE = 0.03


def match_message(
    text: Any, catalogue: Catalogue, *, loose: bool = True
) -> tuple[list[ErrorCode], str | None]:
    """Codes whose documented message fits `text`, and how: exact, variant, prefix, partial or
    similar. Several codes come back when the text fits them equally well."""
    if not isinstance(text, str):
        return [], None
    wanted = normalise_message(without_error_prefix(text))
    if not wanted or len(wanted) > 300 or not re.search(r"[^\W\d_]", wanted):
        return [], None
    # Each way of matching has its index (errors/messages.py): no message is compared one by one,
    # so a catalogue of 9,000 codes answers as fast as one of 48.
    index = messages.index_for(catalogue)
    exact = list(index.equal(wanted))
    if exact:
        return exact, "exact"
    for variant, code in _MESSAGE_VARIANTS.items():
        entry = catalogue.get(code)
        if entry is not None and re.match(rf"{re.escape(variant)}\b", wanted):
            return [entry], "variant"
    prefixed = list(index.longest_prefix(wanted))
    if prefixed:
        return prefixed, "prefix"
    if not loose or len(wanted) > 120:
        return [], None
    if len(wanted) >= 4:
        partial = index.containing(wanted)
        if partial:
            return partial, "partial"
    # A message this like the text is a match; one this close to the best is a match too.
    scores = index.similar(wanted, cutoff=SIMILAR_ENOUGH - AS_CLOSE)
    best = scores[0][0] if scores else 0
    if best < SIMILAR_ENOUGH:
        return [], None
    close = [entry for score, entry in scores if score >= best - AS_CLOSE]
    return sorted(close, key=lambda entry: entry.code), "similar"
