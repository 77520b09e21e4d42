"""The support queue: a list that reads at a glance, and a change page to work one request.

What the developer sent stays as sent (read-only). Engineers change the status and the assignee,
write internal notes, and reply to the developer (e-mailed, and shown on the developer's page).
Every change is recorded: a `StatusChange` per move, a `TicketMessage` per note or reply, and a
`LogEntry` in the admin's history for each save and each action.
"""

from __future__ import annotations  # django-stubs' generics (BaseFormSet[Any]) in annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.formsets import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode

from diagnose.presentation import present_report
from errors.loading import get_catalogue
from support import desk, spikes
from support.admin_filters import AgeFilter, AssigneeFilter, CategoryFilter, CodeFilter, age_text
from support.forms import MAX_DESCRIPTION_CHARS
from support.models import Ticket, display_name
from support.related import related_requests
from support.snapshot import snapshot_report

Status = Ticket.Status
# Never loaded for the queue: each can be tens of kilobytes, and no column shows them.
HEAVY_FIELDS = ("envelope", "diagnosis", "description", "notification_error")


class TicketDeskForm(forms.ModelForm):
    reply = forms.CharField(
        label="Reply to the developer",
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "class": "vLargeTextField"}),
        help_text=(
            "E-mailed to the developer and shown on their request's page, where they can "
            "answer. Unless you choose another status, a new or open request moves to "
            "“Waiting on developer”."
        ),
    )
    note = forms.CharField(
        label="Internal note",
        required=False,
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text="Seen by support only: never e-mailed, never on the developer's page.",
    )

    class Meta:
        model = Ticket
        fields = ["status", "assignee"]


class QueueChangeList(ChangeList):
    def get_queryset(
        self, request: HttpRequest, exclude_parameters: list[str | None] | None = None
    ) -> QuerySet[Any]:
        return super().get_queryset(request, exclude_parameters).defer(*HEAVY_FIELDS)


def engineer(request: HttpRequest) -> User:
    """The signed-in staff user (the admin lets no one else this far)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketDeskForm
    list_display = [
        "reference_link",
        "age",
        "status_label",
        "code",
        "trace_id",
        "email",
        "assignee_name",
    ]
    list_display_links = None
    list_filter = ["status", CodeFilter, CategoryFilter, AssigneeFilter, AgeFilter, "environment"]
    list_select_related = ["assignee"]
    search_fields = ["reference", "trace_ids", "email"]
    list_per_page = 50
    # One COUNT per page view instead of two: with 10,000 requests the total is not worth it.
    show_full_result_count = False
    actions = ["mark_in_progress", "mark_waiting", "mark_resolved", "assign_to_me"]
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
        "conversation",
        "related",
        "pasted_text",
        "diagnosis_snapshot",
        "secrets_masked",
        "notification_state",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "subject", "status", "assignee", "created_at"]}),
        ("Conversation", {"fields": ["conversation", "reply", "note"]}),
        ("From", {"fields": ["email", "name"]}),
        (
            "The failing call",
            {"fields": ["trace_ids", "code_link", "http_status", "environment", "endpoint"]},
        ),
        ("What happened", {"fields": ["description"]}),
        (
            "Paste and diagnosis",
            {"fields": ["pasted_text", "secrets_masked", "diagnosis_snapshot"]},
        ),
        ("Related requests", {"fields": ["related"]}),
        ("Notifications", {"fields": ["notification_state", "updated_at"]}),
    ]

    class Media:
        css = {"all": ["css/support-admin.css"]}

    # --- Permissions ---------------------------------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tickets come from the support form, with a reference and a diagnosis

    @staticmethod
    def may_write(request: HttpRequest) -> bool:
        return request.user.has_perm("support.add_ticketmessage")

    def get_fieldsets(self, request: HttpRequest, obj: Ticket | None = None) -> Any:
        if self.may_write(request):
            return self.fieldsets
        writing = ("reply", "note")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in writing]})
            for name, options in self.fieldsets
        ]

    # --- The queue -----------------------------------------------------------------------------

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return QueueChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "spikes": spikes.spikes()}
        return super().changelist_view(request, extra_context)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Ticket], bool]:
        """Reference, trace id and e-mail by substring; a code by its number."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.isdigit() and len(term) <= 6:
            results |= queryset.filter(error_code=int(term))
        return results, duplicates

    @admin.display(description="reference", ordering="reference")
    def reference_link(self, ticket: Ticket) -> str:
        return format_html(
            '<a class="queue-reference" href="{}" title="{}">{}</a>',
            reverse("admin:support_ticket_change", args=[ticket.pk]),
            ticket.subject,
            ticket.reference,
        )

    @admin.display(description="age", ordering="-created_at")
    def age(self, ticket: Ticket) -> str:
        return format_html(
            '<time datetime="{}" title="{} UTC">{}</time>',
            ticket.created_at.isoformat(timespec="seconds"),
            f"{ticket.created_at:%Y-%m-%d %H:%M}",
            age_text(timezone.now() - ticket.created_at),
        )

    @admin.display(description="status", ordering="status")
    def status_label(self, ticket: Ticket) -> str:
        return format_html(
            '<span class="queue-status queue-status--{}">{}</span>',
            ticket.status,
            ticket.get_status_display(),
        )

    @admin.display(description="code", ordering="error_code")
    def code(self, ticket: Ticket) -> str:
        return "—" if ticket.error_code is None else str(ticket.error_code)

    @admin.display(description="trace id")
    def trace_id(self, ticket: Ticket) -> str:
        """The first 8 characters, enough to tell requests apart at a glance; the link lists every
        request with the whole id, and its title shows it."""
        traces = ticket.trace_id_list
        if not traces:
            return "—"
        more = f" +{len(traces) - 1}" if len(traces) > 1 else ""
        return format_html(
            '<a class="queue-trace" href="?{}" title="{}">{}…</a>{}',
            urlencode({"q": traces[0]}),
            traces[0],
            traces[0][:8],
            more,
        )

    @admin.display(description="assignee", ordering="assignee__username")
    def assignee_name(self, ticket: Ticket) -> str:
        return display_name(ticket.assignee) or "—"

    # --- One request ---------------------------------------------------------------------------

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

    @admin.display(description="thread")
    def conversation(self, ticket: Ticket) -> str:
        events = sorted(
            [
                *((m.created_at, "message", m) for m in ticket.messages.select_related("author")),
                *(
                    (c.changed_at, "status", c)
                    for c in ticket.status_changes.select_related("changed_by")
                ),
            ],
            key=lambda event: event[0],
        )
        return render_to_string(
            "admin/support/ticket/_conversation.html", {"ticket": ticket, "events": events}
        )

    @admin.display(description="related")
    def related(self, ticket: Ticket) -> str:
        changelist = reverse("admin:support_ticket_changelist")
        return render_to_string(
            "admin/support/ticket/_related.html",
            {"groups": related_requests(ticket), "changelist": changelist},
        )

    @admin.display(description="pasted text (secrets masked)")
    def pasted_text(self, ticket: Ticket) -> str:
        if not ticket.envelope:
            return "—"
        return format_html('<pre class="desk-paste">{}</pre>', ticket.envelope)

    @admin.display(description="diagnosis snapshot")
    def diagnosis_snapshot(self, ticket: Ticket) -> str:
        report = snapshot_report(ticket.diagnosis, ticket.envelope)
        if report is None:
            return "—"
        return render_to_string(
            "admin/support/ticket/_diagnosis.html",
            {
                "view": present_report(report),
                "snapshot_json": json.dumps(ticket.diagnosis, indent=2),
            },
        )

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

    # --- Working it ----------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Ticket, form: Any, change: Any) -> None:
        old_status = form.initial.get("status", obj.status)
        reply = form.cleaned_data.get("reply", "").strip() if self.may_write(request) else ""
        note = form.cleaned_data.get("note", "").strip() if self.may_write(request) else ""
        if reply and "status" not in form.changed_data:
            obj.status = desk.status_after_reply(obj.status)
        super().save_model(request, obj, form, change)
        user = engineer(request)
        desk.record_status_change(obj, old_status, user)
        if note:
            desk.add_note(obj, user, note)
        if reply:
            desk.send_reply(obj, user, reply, base_url=request.build_absolute_uri("/"))
        form.desk_summary = _summary(old_status, obj.status, form, reply, note)

    def construct_change_message(
        self,
        request: HttpRequest,
        form: forms.Form,
        formsets: Iterable[BaseFormSet[Any]],
        add: bool = False,
    ) -> Any:  # a sentence in the desk's words, or Django's own structured message
        return getattr(form, "desk_summary", None) or super().construct_change_message(
            request, form, formsets, add
        )

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        label = Status(status).label
        user = engineer(request)
        changed = list(
            queryset.select_related(None)
            .exclude(status=status)
            .only("id", "status", "reference", "subject")
        )
        for ticket in changed:
            old = Status(ticket.status).label
            desk.change_status(ticket, status, user)
            LogEntry.objects.log_actions(user.pk, [ticket], CHANGE, f"Status: {old} → {label}.")
        self.message_user(request, f"{len(changed)} request(s) marked “{label}”.", messages.SUCCESS)

    @admin.action(description="Mark selected as open", permissions=["change"])
    def mark_in_progress(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.IN_PROGRESS)

    @admin.action(description="Mark selected as waiting on developer", permissions=["change"])
    def mark_waiting(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.WAITING)

    @admin.action(description="Mark selected as solved", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, Status.RESOLVED)

    @admin.action(description="Assign selected to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        user = engineer(request)
        tickets = list(
            queryset.select_related(None).exclude(assignee=user).only("id", "reference", "subject")
        )
        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(
            assignee=user, updated_at=timezone.now()
        )
        name = display_name(user)
        LogEntry.objects.log_actions(user.pk, tickets, CHANGE, f"Assigned to {name}.")
        self.message_user(request, f"{len(tickets)} request(s) assigned to you.", messages.SUCCESS)

    # --- The spike view ------------------------------------------------------------------------

    def get_urls(self):
        spike_view = self.admin_site.admin_view(self.spikes_view)
        return [path("spikes/", spike_view, name="support_ticket_spikes"), *super().get_urls()]

    def spikes_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Spikes: codes with more requests than usual",
            "rates": spikes.code_rates(),
            "minimum": spikes.MINIMUM_REQUESTS,
            "factor": spikes.FACTOR,
            "baseline_days": spikes.BASELINE_DAYS,
            "baseline_hours": spikes.BASELINE_HOURS,
        }
        return TemplateResponse(request, "admin/support/ticket/spikes.html", context)


def _summary(
    old_status: str, new_status: str, form: forms.ModelForm[Ticket], reply: str, note: str
) -> str:
    """The admin history's line for one save, in the desk's words."""
    parts = []
    if old_status != new_status:
        parts.append(f"Status: {Status(old_status).label} → {Status(new_status).label}.")
    if "assignee" in form.changed_data:
        assignee = form.cleaned_data.get("assignee")
        parts.append(f"Assigned to {display_name(assignee)}." if assignee else "Unassigned.")
    if reply:
        parts.append("Replied to the developer.")
    if note:
        parts.append("Added an internal note.")
    return " ".join(parts)
