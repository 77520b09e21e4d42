import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission

from support.forms import new_form_token
from support.models import Ticket
from tests.conftest import TRACE_ID

CHANGELIST = "/admin/support/ticket/"


def make_ticket(**fields) -> Ticket:
    values = {
        "form_token": new_form_token(),
        "email": "dev@example.com",
        "trace_ids": TRACE_ID,
        "error_code": 1007,
        "http_status": 429,
        "environment": "production",
        "endpoint": "POST /v3/chats",
        "subject": "Rate limited",
        "description": "429 on every call.",
        "envelope": '{"error": {"code": 1007}, "note": "<script>alert(1)</script>"}',
        "diagnosis": {
            "input_kind": "envelope",
            "diagnoses": [{"code": 1007, "trace_id": TRACE_ID}],
        },
    }
    values.update(fields)
    return Ticket.objects.create(**values)


@pytest.fixture
def staff_client(client, django_user_model):
    """A support engineer: staff, with permission to view and change tickets only."""
    user = django_user_model.objects.create_user("engineer", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support", codename__in=["view_ticket", "change_ticket"]
        )
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", ["anonymous", "not staff"])
def test_visitors_who_are_not_staff_are_sent_to_the_login(client, django_user_model, visitor):
    ticket = make_ticket()
    if visitor == "not staff":
        client.force_login(django_user_model.objects.create_user("someone", password="x"))
    for url in (CHANGELIST, f"{CHANGELIST}{ticket.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert ticket.reference not in client.get(CHANGELIST, follow=True).content.decode()


@pytest.mark.django_db
def test_staff_without_the_permission_is_refused(client, django_user_model):
    make_ticket()
    client.force_login(django_user_model.objects.create_user("intern", password="x", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.django_db
def test_queue_lists_reference_code_category_status_environment_created(staff_client):
    ticket = make_ticket()
    make_ticket(error_code=None, environment="sandbox", status="resolved")
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.reference in html
    for column in ("reference", "error_code", "category", "status", "environment", "created_at"):
        assert f"column-{column}" in html
    # The cells, not the filter sidebar (which names every category and environment anyway).
    cells = re.findall(r'<td class="field-(category|environment)">([^<]*)</td>', html)
    assert sorted(cells) == [
        ("category", "1xxx"),
        ("category", "—"),
        ("environment", "Production"),
        ("environment", "Sandbox"),
    ]


@pytest.mark.django_db
def test_queue_does_not_query_per_row(staff_client, django_assert_max_num_queries):
    for _ in range(30):
        make_ticket()
    with django_assert_max_num_queries(10):
        assert staff_client.get(CHANGELIST).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term",
    [None, TRACE_ID, TRACE_ID.upper(), "dev@example.com", "DEV@example.com"],
)
def test_search_by_reference_trace_id_and_email(staff_client, term):
    wanted = make_ticket()
    other = make_ticket(trace_ids="4bf92f3577b34da6a3ce929d0e0e4736", email="ops@example.org")
    html = staff_client.get(CHANGELIST, {"q": term or wanted.reference}).content.decode()
    assert wanted.reference in html
    assert other.reference not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "1xxx"}, {"rate"}),
        ({"category": "5xxx"}, {"attachment"}),
        ({"category": "none"}, {"nocode"}),
        ({"status__exact": "resolved"}, {"attachment"}),
        ({"environment__exact": "sandbox"}, {"nocode"}),
    ],
)
def test_filters(staff_client, query, expected):
    tickets = {
        "rate": make_ticket(),
        "attachment": make_ticket(error_code=5001, http_status=400, status="resolved"),
        "nocode": make_ticket(error_code=None, environment="sandbox"),
    }
    html = staff_client.get(CHANGELIST, query).content.decode()
    shown = {name for name, ticket in tickets.items() if ticket.reference in html}
    assert shown == expected


@pytest.mark.django_db
def test_ticket_page_shows_paste_and_snapshot_read_only_and_links_the_code(staff_client):
    ticket = make_ticket()
    response = staff_client.get(f"{CHANGELIST}{ticket.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/errors/1007/"' in html
    assert "Rate limit exceeded" in html
    # The paste is shown escaped, inside <pre>, never as markup.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # The snapshot is pretty-printed JSON (PostgreSQL's jsonb may reorder the keys).
    snapshots = [
        block for block in re.findall(r"<pre>(.*?)</pre>", html, re.S) if "input_kind" in block
    ]
    assert len(snapshots) == 1
    assert "\n  &quot;" in snapshots[0]
    assert json.loads(unescape(snapshots[0])) == ticket.diagnosis
    # What the user sent is not editable; the status is.
    for field in ("email", "envelope", "diagnosis", "description", "trace_ids"):
        assert f'name="{field}"' not in html
    assert 'name="status"' in html


@pytest.mark.django_db
def test_status_moves_through_new_in_progress_resolved(staff_client):
    ticket = make_ticket()
    url = f"{CHANGELIST}{ticket.pk}/change/"
    response = staff_client.post(url, {"status": "in_progress"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    # The post cannot rewrite what the user sent.
    staff_client.post(url, {"status": "resolved", "email": "evil@example.com"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.email) == ("resolved", "dev@example.com")


@pytest.mark.django_db
def test_actions_mark_in_progress_and_resolved(staff_client):
    first, second = make_ticket(), make_ticket()
    staff_client.post(
        CHANGELIST,
        {"action": "mark_in_progress", "_selected_action": [first.pk, second.pk]},
    )
    assert set(Ticket.objects.values_list("status", flat=True)) == {"in_progress"}
    staff_client.post(CHANGELIST, {"action": "mark_resolved", "_selected_action": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("resolved", "in_progress")


@pytest.mark.django_db
def test_tickets_are_not_added_by_hand(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


@pytest.mark.django_db
def test_superuser_sees_the_queue(admin_client):
    ticket = make_ticket()
    assert ticket.reference in admin_client.get(CHANGELIST).content.decode()
    assert admin_client.get(f"{CHANGELIST}{ticket.pk}/change/").status_code == 200
