import secrets

from django.db import models

# No 0/O, 1/I/L: a reference is read aloud and typed from a screenshot.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "LNQ"


def new_reference() -> str:
    """A human reference such as LNQ-7K3F-Q9X2 (31^8, about 8.5e11 possibilities)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{REFERENCE_PREFIX}-{chars[:4]}-{chars[4:]}"


def new_public_token() -> str:
    """The secret part of a ticket's confirmation URL (192 random bits)."""
    return secrets.token_urlsafe(24)


class Ticket(models.Model):
    """A support request as the user sent it, with secrets already masked.

    The database id is never shown: people see `reference`, and the confirmation page lives
    at an URL carrying `public_token`.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"

    class Environment(models.TextChoices):
        SANDBOX = "sandbox", "Sandbox"
        PRODUCTION = "production", "Production"

    reference = models.CharField(max_length=13, unique=True, default=new_reference, editable=False)
    public_token = models.CharField(
        max_length=64, unique=True, default=new_public_token, editable=False
    )
    # The one-time token of the form that created the ticket: a second submit of the same form
    # finds this ticket instead of creating another.
    form_token = models.CharField(max_length=64, unique=True, editable=False)

    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    trace_ids = models.CharField(
        "trace ids",
        max_length=700,
        blank=True,
        help_text="32-hex trace ids, separated by spaces.",
    )
    error_code = models.PositiveIntegerField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    environment = models.CharField(max_length=20, choices=Environment, blank=True)
    endpoint = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    description = models.TextField()
    envelope = models.TextField("pasted text (redacted)", blank=True)
    diagnosis = models.JSONField("diagnosis snapshot", null=True, blank=True)
    secrets_masked = models.PositiveIntegerField(default=0, editable=False)

    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    support_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    requester_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "support request"
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["error_code"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def trace_id_list(self) -> list[str]:
        return self.trace_ids.split()

    @property
    def notifications_pending(self) -> bool:
        return self.support_notified_at is None or self.requester_notified_at is None
