"""Legacy V2 errors whose words are a v3 code's documented message: diagnosed as that code.

V2 answered `{"errors": [{"code": "invalid_phone_number", "detail": "Phone number must be in
E.164 format"}]}`; the same failure in v3 is 1002, with the same message. Only the documented
message counts (V2's `detail` or `title`, ignoring case and end punctuation): V2's string codes
are not v3's, and a guess would send a developer to the wrong page.
"""

from dataclasses import replace
from typing import Any

from diagnose.engine.bare import by_message
from diagnose.engine.results import Diagnosis
from diagnose.engine.values import observable
from errors.catalogue import Catalogue, ErrorCode

MAX_NAMED = 5  # legacy errors named in the finding


def v3_entry(error: dict[str, Any], catalogue: Catalogue) -> ErrorCode | None:
    """The one v3 code whose documented message the V2 error repeats, or None."""
    for key in ("detail", "title"):
        text = error.get(key)
        if isinstance(text, str) and text.strip():
            matches = catalogue.with_message(text)
            if len(matches) == 1:
                return matches[0]
    return None


def legacy_diagnoses(errors: list[dict[str, Any]], catalogue: Catalogue) -> list[Diagnosis]:
    """One diagnosis per V2 error that corresponds to a v3 code, each code once."""
    diagnoses: dict[int, Diagnosis] = {}
    for error in errors:
        entry = v3_entry(error, catalogue)
        if entry is None or entry.code in diagnoses:
            continue
        diagnosis = by_message(entry, entry.message, "exact")
        status = error.get("status")
        observed = {**diagnosis.observed, "http_status": observable(status)}
        diagnoses[entry.code] = replace(diagnosis, source="legacy_v2", observed=observed)
    return list(diagnoses.values())


def correspondence(errors: list[dict[str, Any]], catalogue: Catalogue) -> str:
    """ "This legacy error corresponds to 1002 (V2's `invalid_phone_number`, the same
    message): …", or "" when none does."""
    pairs = []
    for error in errors[:MAX_NAMED]:
        entry = v3_entry(error, catalogue)
        if entry is None:
            continue
        name = error.get("code")
        said = f"V2's `{str(name)[:40]}`, " if isinstance(name, str) and name else ""
        pairs.append(f"{entry.code} ({said}the same message)")
    if not pairs:
        return ""
    subject = (
        "This legacy error corresponds" if len(errors) == 1 else "These legacy errors correspond"
    )
    return f"{subject} to {', '.join(pairs)}: the explanation is below."
