"""Turning a valid form into a stored ticket: secrets masked, diagnosis snapshot, exactly once."""

import logging
from functools import partial

from django.db import IntegrityError, transaction

from diagnose.engine.redaction import redact_secrets
from errors.diagnosis import diagnose
from support import notifications
from support.models import Ticket, new_reference

log = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 5


def _redact_all(value):
    """Mask secrets in every string of a JSON-like value (defence in depth for the snapshot)."""
    if isinstance(value, str):
        return redact_secrets(value)[0]
    if isinstance(value, dict):
        return {key: _redact_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_all(item) for item in value]
    return value


def diagnosis_snapshot(text: str) -> dict | None:
    """The diagnosis of the paste as SPEC §5 JSON, or None when there is nothing to diagnose."""
    if not text.strip():
        return None
    try:
        snapshot = diagnose(text).as_dict()
    except Exception:  # never expected; still, the ticket matters more than its snapshot
        log.exception("diagnosis of a support paste failed; the ticket is kept without it")
        return None
    return _redact_all(snapshot)


def ticket_fields(data: dict) -> dict:
    """Model fields from the form's cleaned data, with every free text redacted."""
    masked = 0
    redacted = {}
    for name in ("name", "endpoint", "subject", "description", "envelope"):
        redacted[name], count = redact_secrets(data.get(name) or "")
        masked += count
    return {
        "email": data["email"],
        "trace_ids": " ".join(data.get("trace_id") or []),
        "error_code": data.get("error_code"),
        "http_status": data.get("http_status"),
        "environment": data.get("environment") or "",
        # The raw paste is diagnosed (the diagnosis masks secrets itself and reports that it
        # did); only the redacted text is stored.
        "diagnosis": diagnosis_snapshot(data.get("envelope") or ""),
        "secrets_masked": masked,
        **redacted,
    }


def submit(data: dict) -> tuple[Ticket, bool]:
    """Store the request once per form token. Returns the ticket and whether it is new.

    A second submit of the same form (double click, reload, two tabs) finds the first ticket:
    the form token is unique, so even two simultaneous submits end with one row.
    Notifications go out after the commit and never undo it.
    """
    form_token = data["form_token"]
    fields = ticket_fields(data)  # outside the transaction: keep the write lock short
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.create(
                    reference=new_reference(), form_token=form_token, **fields
                )
                transaction.on_commit(
                    partial(notifications.notify_new_ticket, ticket.pk), robust=True
                )
            return ticket, True
        except IntegrityError:
            existing = Ticket.objects.filter(form_token=form_token).first()
            if existing is not None:
                return existing, False
            # Otherwise the random reference collided with an existing one: draw again.
    raise IntegrityError("could not draw an unused ticket reference")
