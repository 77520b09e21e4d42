"""E-mails about a ticket: one to support, one confirmation to the person who asked, then one
per message of the thread (support's reply to the developer, the developer's answer to support).

They are sent after the ticket is committed, through Django's configured e-mail backend. A send
that fails is logged and recorded on the ticket (`notification_error`); the ticket stays, and
`manage.py resend_notifications` sends what is still pending. Only stored (already redacted)
text goes into a message, so a secret that was pasted can never reach a mailbox.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from errors.loading import get_catalogue
from support.models import Ticket, TicketMessage

log = logging.getLogger(__name__)


def site_url(path: str, base_url: str = "") -> str:
    """An absolute URL when SITE_URL (or else `base_url`, the admin's own address) is known,
    else the bare path."""
    base = (settings.SITE_URL or base_url).rstrip("/")
    return f"{base}{path}"


def _context(ticket: Ticket) -> dict:
    entry = get_catalogue().get(ticket.error_code) if ticket.error_code is not None else None
    admin_path = (
        reverse("admin:support_ticket_changelist") + "?" + urlencode({"q": ticket.reference})
    )
    return {
        "ticket": ticket,
        "entry": entry,
        "confirmation_url": site_url(reverse("support:done", args=[ticket.public_token])),
        "admin_url": site_url(admin_path),
        "code_url": site_url(entry.url) if entry else "",
        "absolute_links": bool(settings.SITE_URL),
    }


def thread_id(ticket: Ticket, side: str) -> str:
    """The Message-ID of a ticket's first e-mail to one side ("support" or "requester").

    Every later e-mail to that side names it in In-Reply-To and References, so a mail client
    shows the request, the replies and the answers as one conversation. Derived from the
    reference, so a resent message keeps its place in the thread.
    """
    return f"<{ticket.reference.lower()}.{side}@{_mail_domain()}>"


def _mail_domain() -> str:
    return settings.SUPPORT_EMAIL.rpartition("@")[2] or "localhost"


def _in_thread(ticket: Ticket, side: str, message_id: str) -> dict[str, str]:
    first = thread_id(ticket, side)
    return {"Message-ID": message_id, "In-Reply-To": first, "References": first}


def support_message(ticket: Ticket) -> EmailMessage:
    return EmailMessage(
        subject=f"[{ticket.reference}] {ticket.subject}",
        body=render_to_string("support/email/support_notification.txt", _context(ticket)),
        to=[settings.SUPPORT_EMAIL],
        reply_to=[ticket.email],
        headers={"Message-ID": thread_id(ticket, "support")},
    )


def requester_message(ticket: Ticket) -> EmailMessage:
    return EmailMessage(
        # Nothing the sender typed goes into this message: the address is unverified, and the
        # form must not become a way to mail arbitrary text to someone else's inbox.
        subject=f"Your Linq support request {ticket.reference}",
        body=render_to_string("support/email/requester_confirmation.txt", _context(ticket)),
        to=[ticket.email],
        reply_to=[settings.SUPPORT_EMAIL],
        headers={"Message-ID": thread_id(ticket, "requester")},
    )


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def send_pending(ticket: Ticket) -> bool:
    """Send whichever of the two messages has not gone out yet; True when nothing is left."""
    updates: dict = {}
    failures = []
    for stamp, build, who in (
        ("support_notified_at", support_message, "support"),
        ("requester_notified_at", requester_message, "requester"),
    ):
        if getattr(ticket, stamp) is not None:
            continue
        try:
            build(ticket).send()
        except Exception as exc:  # SMTP, DNS, TLS, a template: none may cost the ticket
            log.warning("notifying %s about %s failed: %s", who, ticket.reference, _describe(exc))
            failures.append(f"{who} e-mail: {_describe(exc)}")
        else:
            updates[stamp] = timezone.now()
    updates["notification_error"] = "\n".join(failures)
    Ticket.objects.filter(pk=ticket.pk).update(**updates)
    for name, value in updates.items():
        setattr(ticket, name, value)
    return not failures


def notify_new_ticket(ticket_id: int) -> None:
    """Run after the ticket's transaction commits."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is not None:
        send_pending(ticket)


def reply_email(reply: TicketMessage, base_url: str = "") -> EmailMessage:
    """Support's reply, to the address the request came from."""
    ticket = reply.ticket
    page_url = site_url(reverse("support:done", args=[ticket.public_token]), base_url)
    return EmailMessage(
        subject=f"Re: your Linq support request {ticket.reference}",
        body=render_to_string(
            "support/email/reply.txt",
            {
                "ticket": ticket,
                "reply": reply,
                "page_url": page_url,
                "absolute_links": page_url.startswith(("http://", "https://")),
            },
        ),
        to=[ticket.email],
        reply_to=[settings.SUPPORT_EMAIL],
        headers=_in_thread(ticket, "requester", _message_id(reply)),
    )


def _message_id(message: TicketMessage) -> str:
    return f"<{message.ticket.reference.lower()}.{message.kind}-{message.pk}@{_mail_domain()}>"


def answer_email(answer: TicketMessage, base_url: str = "") -> EmailMessage:
    """The developer's answer (secrets already masked), to support."""
    ticket = answer.ticket
    admin_path = reverse("admin:support_ticket_change", args=[ticket.pk])
    return EmailMessage(
        subject=f"[{ticket.reference}] The developer answered: {ticket.subject}",
        body=render_to_string(
            "support/email/answer.txt",
            {"ticket": ticket, "answer": answer, "admin_url": site_url(admin_path, base_url)},
        ),
        to=[settings.SUPPORT_EMAIL],
        reply_to=[ticket.email],
        headers=_in_thread(ticket, "support", _message_id(answer)),
    )


def send_message_email(message_id: int, base_url: str = "") -> bool:
    """E-mail one reply or answer and stamp it; True when it went out (or had gone before)."""
    message = TicketMessage.objects.select_related("ticket").filter(pk=message_id).first()
    if message is None or not message.is_emailed_kind:
        return False
    if message.emailed_at is not None:
        return True
    build = reply_email if message.kind == TicketMessage.Kind.REPLY else answer_email
    try:
        build(message, base_url).send()
    except Exception as exc:  # SMTP, DNS, TLS, a template: none may cost the message
        reference = message.ticket.reference
        log.warning("e-mailing the %s on %s failed: %s", message.kind, reference, _describe(exc))
        message.email_error = _describe(exc)
        TicketMessage.objects.filter(pk=message.pk).update(email_error=message.email_error)
        return False
    message.emailed_at, message.email_error = timezone.now(), ""
    TicketMessage.objects.filter(pk=message.pk).update(
        emailed_at=message.emailed_at, email_error=""
    )
    return True
