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
    """Model fields from the form's cleaned data. The ticket masks secrets in its free text and
    in the snapshot itself when it is saved (`Ticket.save`), whatever the browser sent."""
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
