"""The queue's filters beyond plain field choices: code, category, assignee and age."""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from errors.loading import get_catalogue
from support.models import Ticket, display_name

AGES = {
    "hour": ("Under an hour", timedelta(hours=1)),
    "day": ("Under a day", timedelta(days=1)),
    "week": ("Under a week", timedelta(days=7)),
}


class CodeFilter(admin.SimpleListFilter):
    """The codes that occur in the queue, with their messages."""

    title = "error code"
    parameter_name = "code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        catalogue = get_catalogue()
        codes = (
            Ticket.objects.filter(error_code__isnull=False)
            .order_by("error_code")
            .values_list("error_code", flat=True)
            .distinct()
        )
        choices = []
        for code in codes:
            if code is None:
                continue
            entry = catalogue.get(code)
            choices.append((str(code), f"{code} {entry.message}" if entry else str(code)))
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(error_code=int(value))
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """The catalogue's categories (1xxx … 5xxx), derived from the ticket's error code."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (category.id, f"{category.id} {category.name}")
            for category in get_catalogue().categories
        ] + [("none", "No code")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(error_code__isnull=True)
        category = get_catalogue().category(value) if value else None
        if category is None:
            return queryset
        first = category.first_code
        return queryset.filter(error_code__gte=first, error_code__lt=first + 1000)


class AssigneeFilter(admin.SimpleListFilter):
    """Mine, nobody's, or one engineer's (active staff only)."""

    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        return [("me", "Me"), ("none", "Nobody")] + [
            (str(user.pk), display_name(user)) for user in staff
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long ago the request came in."""

    title = "age"
    parameter_name = "age"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _span) in AGES.items()] + [
            ("older", "A week or more")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        now = timezone.now()
        if value in AGES:
            return queryset.filter(created_at__gt=now - AGES[value][1])
        if value == "older":
            return queryset.filter(created_at__lte=now - AGES["week"][1])
        return queryset


def age_text(delta: timedelta) -> str:
    """A short age for the queue: 5 min, 3 h, 12 d."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"
