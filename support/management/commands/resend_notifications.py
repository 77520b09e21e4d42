"""Send the ticket e-mails that have not gone out (the mail server was down, the process died):
a new ticket's two notifications, support's replies and the developers' answers.

Safe to run again and again, e.g. from cron every few minutes: a message that was sent is
stamped (on its ticket, or on the reply or answer) and never sent twice by this command. Run it
from one place at a time.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from support.models import Ticket, TicketMessage
from support.notifications import send_message_email, send_pending


class Command(BaseCommand):
    help = "Send the ticket, reply and answer e-mails that failed or never went out."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="SECONDS",
            help="Leave tickets younger than this alone: their request may still be sending "
            "(default 60).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent, send nothing."
        )

    def handle(self, *args: object, min_age: int, dry_run: bool, **options: object) -> None:
        cutoff = timezone.now() - timedelta(seconds=min_age)
        pending = Ticket.objects.filter(
            Q(support_notified_at__isnull=True) | Q(requester_notified_at__isnull=True),
            created_at__lte=cutoff,
        ).order_by("created_at", "id")
        sent = failed = 0
        for ticket in pending.iterator():
            if dry_run:
                self.stdout.write(f"{ticket.reference} pending: {ticket.notification_error}")
                continue
            if send_pending(ticket):
                sent += 1
                self.stdout.write(f"{ticket.reference} sent")
            else:
                failed += 1
                self.stderr.write(f"{ticket.reference} failed: {ticket.notification_error}")
        messages = TicketMessage.objects.filter(
            kind__in=[TicketMessage.Kind.REPLY, TicketMessage.Kind.ANSWER],
            emailed_at__isnull=True,
            created_at__lte=cutoff,
        ).select_related("ticket")
        for message in messages.order_by("created_at", "id").iterator():
            label = f"{message.ticket.reference} {message.get_kind_display().lower()}"
            if dry_run:
                self.stdout.write(f"{label} pending: {message.email_error}")
                continue
            if send_message_email(message.pk):
                sent += 1
                self.stdout.write(f"{label} sent")
            else:
                failed += 1
                message.refresh_from_db(fields=["email_error"])
                self.stderr.write(f"{label} failed: {message.email_error}")
        if dry_run:
            return
        self.stdout.write(f"{sent} sent, {failed} still failing.")
        if failed:
            raise CommandError(f"{failed} could not be sent; see the errors above.")
