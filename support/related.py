"""Other requests a support engineer should see beside this one: the same trace id (the same
failing call), the same code within a day (an incident), the same sender (their history)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from support.models import Ticket

SAME_CODE_WINDOW = timedelta(hours=24)
SHOWN = 10
# What a related row shows; the paste, description and snapshot stay in the database.
COLUMNS = ("reference", "subject", "status", "error_code", "email", "created_at")


@dataclass(frozen=True)
class RelatedGroup:
    title: str
    tickets: tuple[Ticket, ...]
    more: bool  # there are more than SHOWN
    queue_query: str  # the queue's search that lists them all ("" when it cannot)


def _first(queryset: QuerySet) -> tuple[tuple[Ticket, ...], bool]:
    rows = tuple(queryset.only(*COLUMNS).order_by("-created_at", "-id")[: SHOWN + 1])
    return rows[:SHOWN], len(rows) > SHOWN


def related_requests(ticket: Ticket) -> list[RelatedGroup]:
    """The three groups, each with up to SHOWN requests, newest first; this one left out."""
    others = Ticket.objects.exclude(pk=ticket.pk)
    groups = []
    if traces := ticket.trace_id_list:
        same_trace = Q()
        for trace_id in traces:
            same_trace |= Q(trace_ids__contains=trace_id)
        rows, more = _first(others.filter(same_trace))
        groups.append(RelatedGroup("Same trace id", rows, more, traces[0]))
    if ticket.error_code is not None:
        rows, more = _first(
            others.filter(
                error_code=ticket.error_code,
                created_at__gte=ticket.created_at - SAME_CODE_WINDOW,
                created_at__lte=ticket.created_at + SAME_CODE_WINDOW,
            )
        )
        groups.append(RelatedGroup(f"Code {ticket.error_code} within 24 hours", rows, more, ""))
    # Compared lower-cased, as the functional index on Lower("email") is built.
    same_email = others.alias(email_lower=Lower("email")).filter(email_lower=ticket.email.lower())
    rows, more = _first(same_email)
    groups.append(RelatedGroup("From the same e-mail", rows, more, ticket.email))
    return groups
