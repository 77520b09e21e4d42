"""Who may work the queue, and the related requests shown beside each one."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from support.models import Ticket, TicketMessage
from tests.conftest import TRACE_ID, make_ticket
from tests.support.test_admin import CHANGELIST

OTHER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


# --- Permissions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_support_agent_group_comes_from_a_migration(support_agent_group):
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("support", "0003_support_agent_group") in applied
    group = support_agent_group
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == {
        ("support", "view_ticket"),
        ("support", "change_ticket"),
        ("support", "view_ticketmessage"),
        ("support", "add_ticketmessage"),
        ("support", "view_statuschange"),
    }


@pytest.fixture
def agent_client(django_user_model, support_agent_group):
    user = django_user_model.objects.create_user("grace", password="x", is_staff=True)
    user.groups.add(support_agent_group)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_agent_works_requests_but_not_users_groups_or_deletions(agent_client):
    ticket = make_ticket()
    assert agent_client.get(CHANGELIST).status_code == 200
    page = agent_client.get(f"{CHANGELIST}{ticket.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="reply"' in html and 'name="note"' in html
    assert 'name="status"' in html and 'name="assignee"' in html
    for url in (
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        f"{CHANGELIST}{ticket.pk}/delete/",
    ):
        assert agent_client.get(url).status_code == 403, url
    index = agent_client.get("/admin/").content.decode()
    assert "/admin/auth/" not in index
    assert agent_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [ticket.pk]}
    ).status_code in (200, 302)
    ticket.refresh_from_db()  # still there


@pytest.mark.django_db
def test_without_add_message_permission_there_is_no_reply_or_note(staff_client):
    ticket = make_ticket()
    html = staff_client.get(f"{CHANGELIST}{ticket.pk}/change/").content.decode()
    assert 'name="reply"' not in html and 'name="note"' not in html
    staff_client.post(
        f"{CHANGELIST}{ticket.pk}/change/",
        {"status": "new", "assignee": "", "reply": "sneaked in", "note": "also"},
    )
    assert not TicketMessage.objects.exists()


@pytest.mark.django_db
def test_only_active_staff_can_be_assigned(agent_client, django_user_model):
    outsider = django_user_model.objects.create_user("outsider", password="x")
    gone = django_user_model.objects.create_user("gone", password="x", is_staff=True)
    gone.is_active = False
    gone.save()
    ticket = make_ticket()
    html = agent_client.get(f"{CHANGELIST}{ticket.pk}/change/").content.decode()
    assert ">grace<" in html
    assert ">outsider<" not in html and ">gone<" not in html
    response = agent_client.post(
        f"{CHANGELIST}{ticket.pk}/change/", {"status": "new", "assignee": outsider.pk}
    )
    assert response.status_code == 200  # the form comes back with an error
    ticket.refresh_from_db()
    assert ticket.assignee is None


# --- Related requests ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_related_requests_by_trace_id_code_and_email(staff_client):
    now = timezone.now()
    ticket = make_ticket(trace_ids=f"{TRACE_ID} {OTHER_TRACE}", email="Dev@Example.com")
    same_trace = make_ticket(trace_ids=OTHER_TRACE, error_code=2004, email="a@example.org")
    same_code_today = make_ticket(trace_ids="", email="b@example.org")
    same_code_last_week = make_ticket(trace_ids="", email="c@example.org")
    same_code_last_week.created_at = now - timedelta(days=6)
    same_code_last_week.save(update_fields=["created_at"])
    same_email = make_ticket(trace_ids="", error_code=5001, email="dev@example.com")
    unrelated = make_ticket(trace_ids="", error_code=3002, email="z@example.org")

    html = staff_client.get(f"{CHANGELIST}{ticket.pk}/change/").content.decode()
    related = html.split("Related requests")[1]
    sections = dict(
        (title, body)
        for title, body in zip(
            ["Same trace id", "Code 1007 within 24 hours", "From the same e-mail"],
            related.split('<section class="desk-related">')[1:],
            strict=True,
        )
    )
    assert same_trace.reference in sections["Same trace id"]
    assert same_code_today.reference in sections["Code 1007 within 24 hours"]
    assert same_code_last_week.reference not in sections["Code 1007 within 24 hours"]
    assert same_email.reference in sections["From the same e-mail"]
    assert same_trace.reference not in sections["From the same e-mail"]
    for body in sections.values():
        assert unrelated.reference not in body
        assert f">{ticket.reference}<" not in body  # never itself


@pytest.mark.django_db
def test_related_requests_say_none_and_stay_bounded(staff_client, django_assert_max_num_queries):
    lonely = make_ticket(trace_ids="", error_code=None, email="lonely@example.org")
    html = staff_client.get(f"{CHANGELIST}{lonely.pk}/change/").content.decode()
    assert "None." in html
    busy = make_ticket()
    for _ in range(15):
        make_ticket()
    with django_assert_max_num_queries(25):
        html = staff_client.get(f"{CHANGELIST}{busy.pk}/change/").content.decode()
    assert "Showing the newest 10." in html
    assert f'?q={TRACE_ID}">all of them</a>' in html


# --- 10,000 requests ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_with_ten_thousand_requests_costs_the_same_queries(
    staff_client, django_user_model, django_assert_max_num_queries
):
    """Rows are written with bulk_create (no per-row save) only to make the test quick."""
    engineers = [
        django_user_model.objects.create_user(f"e{n}", password="x", is_staff=True)
        for n in range(5)
    ]
    now = timezone.now()
    template = make_ticket()
    rows = []
    for n in range(10_000):
        rows.append(
            Ticket(
                reference=f"LNQ-{n:04d}-{n % 97:04d}"[:13],
                public_token=f"token-{n}",
                form_token=f"form-{n}",
                email=f"dev{n % 300}@example.com",
                trace_ids=f"{n:032x}",
                error_code=[1007, 2004, 3002, 5001, None][n % 5],
                subject=template.subject,
                description=template.description,
                envelope=template.envelope,
                diagnosis=template.diagnosis,
                status=list(Ticket.Status)[n % 4],
                assignee=engineers[n % 5] if n % 3 else None,
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=1000)
    Ticket.objects.update(created_at=now - timedelta(minutes=7))
    for query in (
        {},
        {"status__exact": "waiting"},
        {"code": "1007", "age": "day"},
        {"assignee": "none", "category": "3xxx"},
        {"q": "dev42@example.com"},
        {"q": "1007"},
    ):
        with django_assert_max_num_queries(12):
            response = staff_client.get(CHANGELIST, query)
        assert response.status_code == 200, query
        assert len(re.findall(r'class="field-reference_link"', response.content.decode())) <= 50
