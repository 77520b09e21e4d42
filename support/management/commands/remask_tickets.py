"""Mask stored tickets again with the current masking rules.

The rules improve (a new key prefix, a new way of writing a header); tickets stored before must
follow. Each ticket's free text and diagnosis snapshot go through the same step as a new ticket
(`Ticket.mask_secrets`), and only tickets that change are written. Running it again changes
nothing: masked text stays as it is. Safe to run while the site serves requests.
"""

from django.core.management.base import BaseCommand

from support.models import Ticket


class Command(BaseCommand):
    help = "Mask secrets in stored support tickets with the current rules; say how many changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change, write nothing."
        )

    def handle(self, *args: object, dry_run: bool, **options: object) -> None:
        fields = [*Ticket.MASKED_FIELDS, "diagnosis", "secrets_masked"]
        seen = changed = masked = 0
        for ticket in Ticket.objects.only("pk", "reference", *fields).iterator(chunk_size=200):
            seen += 1
            count = ticket.mask_secrets()
            if not count:
                continue
            changed += 1
            masked += count
            self.stdout.write(f"{ticket.reference}: {count} secret(s) masked")
            if not dry_run:
                # update(), not save(): only the masked fields, and updated_at stays the time a
                # person last changed the ticket.
                Ticket.objects.filter(pk=ticket.pk).update(
                    secrets_masked=ticket.secrets_masked + count,
                    **{name: getattr(ticket, name) for name in fields[:-1]},
                )
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"{changed} of {seen} ticket(s) {verb}; {masked} secret(s) "
            f"{'would be ' if dry_run else ''}masked."
        )
