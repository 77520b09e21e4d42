"""The support queue. Engineers change a ticket's status; what the user sent stays as sent."""

import json
from datetime import datetime

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from errors.catalogue import get_catalogue
from support.models import Ticket


class CategoryFilter(admin.SimpleListFilter):
    """The catalogue's categories (1xxx … 5xxx), derived from the ticket's error code."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [
            (category.id, f"{category.id} {category.name}")
            for category in get_catalogue().categories
        ] + [("none", "No code")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(error_code__isnull=True)
        category = get_catalogue().category(value) if value else None
        if category is None:
            return queryset
        first = category.first_code
        return queryset.filter(error_code__gte=first, error_code__lt=first + 1000)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "error_code",
        "category",
        "status",
        "environment",
        "created_at",
        "subject",
        "notified",
    ]
    list_display_links = ["reference", "subject"]
    list_filter = ["status", "environment", CategoryFilter, "created_at"]
    search_fields = ["reference", "trace_ids", "email"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["mark_in_progress", "mark_resolved"]
    readonly_fields = [
        "reference",
        "created_at",
        "updated_at",
        "email",
        "name",
        "trace_ids",
        "code_link",
        "http_status",
        "environment",
        "endpoint",
        "subject",
        "description",
        "pasted_text",
        "diagnosis_snapshot",
        "secrets_masked",
        "notification_state",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "status", "created_at", "updated_at"]}),
        ("From", {"fields": ["email", "name"]}),
        (
            "The failing call",
            {"fields": ["trace_ids", "code_link", "http_status", "environment", "endpoint"]},
        ),
        ("Request", {"fields": ["subject", "description"]}),
        (
            "Paste and diagnosis",
            {"fields": ["pasted_text", "secrets_masked", "diagnosis_snapshot"]},
        ),
        ("Notifications", {"fields": ["notification_state"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tickets come from the support form, with a reference and a diagnosis

    @admin.display(description="category")
    def category(self, ticket: Ticket) -> str:
        if ticket.error_code is None:
            return "—"
        category = get_catalogue().category_for_number(ticket.error_code)
        return category.id if category else "—"

    @admin.display(description="notified", boolean=True)
    def notified(self, ticket: Ticket) -> bool:
        return not ticket.notifications_pending

    @admin.display(description="error code")
    def code_link(self, ticket: Ticket) -> str:
        if ticket.error_code is None:
            return "—"
        entry = get_catalogue().get(ticket.error_code)
        if entry is None:
            return format_html("{} (not in the catalogue)", ticket.error_code)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{} · {}</a> (HTTP {}, {})',
            entry.url,
            entry.code,
            entry.message,
            entry.http_status,
            entry.category.id,
        )

    @admin.display(description="pasted text (secrets masked)")
    def pasted_text(self, ticket: Ticket) -> str:
        if not ticket.envelope:
            return "—"
        return format_html("<pre>{}</pre>", ticket.envelope)

    @admin.display(description="diagnosis snapshot")
    def diagnosis_snapshot(self, ticket: Ticket) -> str:
        if not ticket.diagnosis:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(ticket.diagnosis, indent=2))

    @admin.display(description="notification state")
    def notification_state(self, ticket: Ticket) -> str:
        def when(moment: datetime | None) -> str:
            return f"sent {moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "not sent"

        return format_html(
            "Support: {}<br>Requester: {}{}",
            when(ticket.support_notified_at),
            when(ticket.requester_notified_at),
            format_html("<br>Last error: {}", ticket.notification_error)
            if ticket.notification_error
            else "",
        )

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        changed = queryset.filter(~Q(status=status)).update(
            status=status, updated_at=timezone.now()
        )
        label = Ticket.Status(status).label.lower()
        self.message_user(request, f"{changed} ticket(s) marked {label}.", messages.SUCCESS)

    @admin.action(description="Mark selected as in progress", permissions=["change"])
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Ticket.Status.IN_PROGRESS)

    @admin.action(description="Mark selected as resolved", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Ticket.Status.RESOLVED)
