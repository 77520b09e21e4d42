"""Turning a valid form into a stored ticket: diagnosis snapshot, secrets masked, exactly once."""

import logging
from functools import partial

from django.db import IntegrityError, transaction

from diagnose.engine import diagnose
from support import notifications
from support.models import Ticket, new_reference

log = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 5


def diagnosis_snapshot(text: str) -> dict | None:
    """The diagnosis of the paste as SPEC §5 JSON, or None when there is nothing to diagnose."""
    if not text.strip():
        return None
    try:
        snapshot = diagnose(text).as_dict()
    except Exception:  # never expected; still, the ticket matters more than its snapshot
        log.exception("diagnosis of a support paste failed; the ticket is kept without it")
        return None
    return snapshot


def ticket_fields(data: dict) -> dict:
    """Model fields from the form's cleaned data, not yet masked: `submit` masks the free text
    and the snapshot (`Ticket.mask_secrets`) whatever the browser sent, and `Ticket.save` masks
    anything changed since."""
    return {
        "email": data["email"],
        "trace_ids": " ".join(data.get("trace_id") or []),
        "error_code": data.get("error_code"),
        "http_status": data.get("http_status"),
        "environment": data.get("environment") or "",
        # The raw paste is diagnosed (the diagnosis masks secrets itself and reports that it
        # did); the ticket stores only masked text.
        "diagnosis": diagnosis_snapshot(data.get("envelope") or ""),
        **{name: data.get(name) or "" for name in Ticket.MASKED_FIELDS},
    }


def submit(data: dict) -> tuple[Ticket, bool]:
    """Store the request once per form token. Returns the ticket and whether it is new.

    A second submit of the same form (double click, reload, two tabs) finds the first ticket:
    the form token is unique, so even two simultaneous submits end with one row.
    Notifications go out after the commit and never undo it.
    """
    form_token = data["form_token"]
    # The snapshot is diagnosed and every field masked before the transaction opens: the write
    # lock is held only for the insert (SQLite has one writer at a time).
    draft = Ticket(form_token=form_token, **ticket_fields(data))
    draft.secrets_masked = draft.mask_secrets()
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                draft.pk = None
                draft._state.adding = True
                draft.reference = new_reference()
                draft.save(force_insert=True)
                transaction.on_commit(
                    partial(notifications.notify_new_ticket, draft.pk), robust=True
                )
            return draft, True
        except IntegrityError:
            existing = Ticket.objects.filter(form_token=form_token).first()
            if existing is not None:
                return existing, False
            # Otherwise the random reference collided with an existing one: draw again.
    raise IntegrityError("could not draw an unused ticket reference")
