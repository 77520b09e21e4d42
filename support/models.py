import secrets
from typing import Any

from django.db import models

from diagnose.engine.redaction import known_secrets, redact_json, redact_secrets

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
    """A support request as the user sent it, with secrets masked.

    The database id is never shown: people see `reference`, and the confirmation page lives
    at an URL carrying `public_token`.

    Every save masks the free-text fields (`MASKED_FIELDS`) and the diagnosis snapshot,
    whatever a browser sent and whichever code path saves: a secret found in one field is
    masked in all of them. `manage.py remask_tickets` runs the same step over stored tickets
    when the rules improve. (`QuerySet.update()` and `bulk_create()` skip `save()`: never use
    them to write these fields.)
    """

    # Every field a person types freely. A new free-text field belongs here.
    MASKED_FIELDS = ("name", "endpoint", "subject", "description", "envelope")

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.secrets_masked += self.mask_secrets()
        super().save(*args, **kwargs)

    def mask_secrets(self) -> int:
        """Mask secrets in the free-text fields and the diagnosis snapshot, in place; a value
        found in one of them is masked in all. Returns how many were masked (0 when the
        ticket was already clean: masking twice changes nothing)."""
        texts = [getattr(self, name) or "" for name in self.MASKED_FIELDS]
        known: set[str] = set()
        for text in texts:
            known |= known_secrets(text)
        masked = 0
        for name, text in zip(self.MASKED_FIELDS, texts, strict=True):
            clean, count = redact_secrets(text, known)
            if count:
                setattr(self, name, clean)
                masked += count
        if self.diagnosis:
            snapshot, count = redact_json(self.diagnosis, known)
            if count:
                self.diagnosis = snapshot
                masked += count
        return masked

    @property
    def trace_id_list(self) -> list[str]:
        return self.trace_ids.split()

    @property
    def notifications_pending(self) -> bool:
        return self.support_notified_at is None or self.requester_notified_at is None
