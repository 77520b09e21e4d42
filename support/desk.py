"""The support desk's workflow: statuses, internal notes, replies, and the developer's answers.

Each change records who made it and when (a `StatusChange` per move, a `TicketMessage` per note,
reply or answer). E-mails go out after the transaction commits and never undo it: a reply is
stored even when the mail server is down, and `manage.py resend_notifications` sends it later.
"""

from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from support import notifications
from support.forms import normalise_newlines
from support.models import StatusChange, Ticket, TicketMessage

Status = Ticket.Status

# Where each kind of message leaves the ticket when nobody chose a status: support replied, so
# it is the developer's turn; the developer answered, so it is support's turn again.
AFTER_REPLY = {Status.NEW: Status.WAITING, Status.IN_PROGRESS: Status.WAITING}
AFTER_ANSWER = {Status.WAITING: Status.IN_PROGRESS, Status.RESOLVED: Status.IN_PROGRESS}


def record_status_change(ticket: Ticket, old_status: str, by: User | None) -> StatusChange | None:
    """Record the move the ticket has just made (its `status` is the new one)."""
    if old_status == ticket.status:
        return None
    return StatusChange.objects.create(
        ticket=ticket, old_status=old_status, new_status=ticket.status, changed_by=by
    )


def change_status(ticket: Ticket, new_status: str, by: User | None) -> StatusChange | None:
    """Move the ticket to `new_status` on behalf of `by` (None: the developer)."""
    old_status = ticket.status
    if old_status == new_status:
        return None
    ticket.status = new_status
    ticket.updated_at = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(status=new_status, updated_at=ticket.updated_at)
    return record_status_change(ticket, old_status, by)


def add_note(ticket: Ticket, author: User, body: str) -> TicketMessage:
    """An internal note: seen in the admin only, never by the developer."""
    return TicketMessage.objects.create(
        ticket=ticket, kind=TicketMessage.Kind.NOTE, author=author, body=normalise_newlines(body)
    )


def send_reply(ticket: Ticket, author: User, body: str, *, base_url: str = "") -> TicketMessage:
    """Store support's reply and e-mail it to the developer once the transaction commits.

    `base_url` (scheme and host) makes the link to the developer's page absolute when SITE_URL
    is not configured.
    """
    reply = TicketMessage.objects.create(
        ticket=ticket, kind=TicketMessage.Kind.REPLY, author=author, body=normalise_newlines(body)
    )
    transaction.on_commit(
        partial(notifications.send_message_email, reply.pk, base_url=base_url), robust=True
    )
    return reply


def status_after_reply(status: str) -> str:
    return AFTER_REPLY.get(Status(status), status)


def add_answer(
    ticket: Ticket, body: str, *, form_token: str, base_url: str = ""
) -> tuple[TicketMessage, bool]:
    """Store the developer's answer (its save masks secrets) and tell support by e-mail.

    An answer on a request that waits on the developer, or was solved, opens it again. Returns
    the answer and whether it is new: a second submit of the same form finds the first answer.
    """
    try:
        with transaction.atomic():
            answer = TicketMessage.objects.create(
                ticket=ticket,
                kind=TicketMessage.Kind.ANSWER,
                body=normalise_newlines(body),
                form_token=form_token,
            )
            if (reopened := AFTER_ANSWER.get(Status(ticket.status))) is not None:
                change_status(ticket, reopened, by=None)
            else:
                Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
            transaction.on_commit(
                partial(notifications.send_message_email, answer.pk, base_url=base_url),
                robust=True,
            )
    except IntegrityError:
        existing = TicketMessage.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return existing, False
    return answer, True


def public_thread(ticket: Ticket) -> list[TicketMessage]:
    """What the developer's page shows: replies and answers, oldest first; never notes."""
    return list(ticket.messages.exclude(kind=TicketMessage.Kind.NOTE).select_related("author"))
