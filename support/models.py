import copy
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models.functions import Lower

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
        # The stored values are SPEC §6's (new → in_progress → resolved); the labels are the
        # desk's words. WAITING is support's turn done: the developer has been asked something.
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "Open"
        WAITING = "waiting", "Waiting on developer"
        RESOLVED = "resolved", "Solved"

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
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text="The support engineer working this request.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    support_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    requester_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "support request"
        # The queue's default order, each of its filters, the spike view's counts per code and
        # hour, and "related: same e-mail" each have an index to use.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="support_ticket_queue_idx"),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["error_code", "created_at"], name="support_ticket_code_idx"),
            models.Index(fields=["assignee", "status"], name="support_ticket_assignee_idx"),
            models.Index(Lower("email"), name="support_ticket_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Masked here unless `mask_secrets` already ran over exactly these values: a caller that
        # masks before opening its transaction does not scan the text again under the write lock.
        if getattr(self, "_masked_values", None) != self._maskable_values():
            self.secrets_masked += self.mask_secrets()
        super().save(*args, **kwargs)

    def _maskable_values(self) -> tuple[Any, ...]:
        return (
            *(getattr(self, name) for name in self.MASKED_FIELDS),
            copy.deepcopy(self.diagnosis),
        )

    def mask_secrets(self) -> int:
        """Mask secrets in the free-text fields and the diagnosis snapshot, in place; a value
        found in one of them is masked in all. Returns how many were masked (0 when the
        ticket was already clean: masking twice changes nothing)."""
        masked = self._mask_in_place()
        self._masked_values = self._maskable_values()
        return masked

    def _mask_in_place(self) -> int:
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


class StatusChange(models.Model):
    """One move of a ticket from one status to another: who (None: the developer) and when."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=Ticket.Status)
    new_status = models.CharField(max_length=20, choices=Ticket.Status)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]
        get_latest_by = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.old_status} → {self.new_status}"

    @property
    def who(self) -> str:
        return display_name(self.changed_by) if self.changed_by else "the developer"


class TicketMessage(models.Model):
    """The thread of a ticket: support's replies, the developer's answers, internal notes.

    Replies and answers are e-mailed (to the developer, to support) after they are committed;
    `emailed_at` records that, and `manage.py resend_notifications` retries what failed. Notes
    stay in the admin and never reach the developer's page or a mailbox.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply to the developer"
        ANSWER = "answer", "Answer from the developer"
        NOTE = "note", "Internal note"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text="The support engineer; empty for the developer's answers.",
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The developer's answer form carries a one-time token, so a double submit stores one answer.
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    secrets_masked = models.PositiveIntegerField(default=0, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "message"
        indexes = [
            models.Index(fields=["ticket", "kind", "created_at"], name="support_message_thread_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on ticket {self.ticket_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Masked like the ticket's own fields, whoever writes the message.
        self.body, masked = redact_secrets(self.body)
        self.secrets_masked += masked
        super().save(*args, **kwargs)

    @property
    def is_emailed_kind(self) -> bool:
        return self.kind in (self.Kind.REPLY, self.Kind.ANSWER)

    @property
    def who(self) -> str:
        if self.kind == self.Kind.ANSWER:
            return "the developer"
        return display_name(self.author) if self.author else "support"


def display_name(user: User | None) -> str:
    """How the desk names an engineer: full name when there is one, else the username."""
    return (user.get_full_name() or user.get_username()) if user else ""
