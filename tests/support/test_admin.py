import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diagnose.engine import diagnose
from support.models import Ticket
from tests.conftest import ENVELOPE, TRACE_ID, make_ticket

CHANGELIST = "/admin/support/ticket/"


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


def cells(html: str, column: str) -> list[str]:
    """The text of one column's cells in the queue (not the filter sidebar, which names every
    status, code and category anyway)."""
    found = re.findall(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


@pytest.mark.django_db
def test_queue_lists_reference_age_status_code_trace_id_email_assignee(
    staff_client, django_user_model
):
    engineer = django_user_model.objects.create_user(
        "ada", password="x", is_staff=True, first_name="Ada", last_name="Lovelace"
    )
    ticket = make_ticket(assignee=engineer)
    other = make_ticket(
        error_code=None,
        environment="sandbox",
        status="waiting",
        trace_ids="",
        email="ops@example.org",
    )
    Ticket.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=3))
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    columns = ("reference_link", "age", "status_label", "code", "trace_id", "email")
    for column in (*columns, "assignee_name"):
        assert f"column-{column}" in html
    assert cells(html, "reference_link") == [ticket.reference, other.reference]
    assert cells(html, "age") == ["0 min", "3 d"]
    assert cells(html, "status_label") == ["New", "Waiting on developer"]
    assert cells(html, "code") == ["1007", "—"]
    assert cells(html, "trace_id") == [f"{TRACE_ID[:8]}…", "—"]
    assert f'href="?q={TRACE_ID}" title="{TRACE_ID}"' in html
    assert cells(html, "email") == ["dev@example.com", "ops@example.org"]
    assert cells(html, "assignee_name") == ["Ada Lovelace", "—"]
    # The subject is the reference link's title; the exact time the age's.
    assert f'title="{ticket.subject}"' in html
    assert f'datetime="{ticket.created_at.isoformat(timespec="seconds")}"' in html


@pytest.mark.django_db
def test_queue_does_not_query_per_row(
    staff_client, django_user_model, django_assert_max_num_queries
):
    engineers = [
        django_user_model.objects.create_user(f"engineer{n}", password="x", is_staff=True)
        for n in range(3)
    ]
    for n in range(30):
        make_ticket(assignee=engineers[n % 3], error_code=1001 + n % 7)
    with django_assert_max_num_queries(12):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(cells(response.content.decode(), "reference_link")) == 30


@pytest.mark.django_db
def test_queue_does_not_load_the_paste_or_the_snapshot(staff_client):
    make_ticket()
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(CHANGELIST).status_code == 200
    listing = [q["sql"] for q in queries if '"support_ticket"."reference"' in q["sql"]]
    assert listing, "the queue's page query was not seen"
    for sql in listing:
        for column in ("envelope", "diagnosis", "description"):
            assert f'"support_ticket"."{column}"' not in sql


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term",
    [None, TRACE_ID, TRACE_ID.upper(), "dev@example.com", "DEV@example.com", "1007"],
)
def test_search_by_reference_trace_id_email_and_code(staff_client, term):
    wanted = make_ticket()
    other = make_ticket(
        trace_ids="4bf92f3577b34da6a3ce929d0e0e4736", email="ops@example.org", error_code=5001
    )
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
        ({"status__exact": "waiting"}, {"nocode"}),
        ({"environment__exact": "sandbox"}, {"nocode"}),
        ({"code": "1007"}, {"rate"}),
        ({"code": "5001"}, {"attachment"}),
        ({"assignee": "me"}, {"rate"}),
        ({"assignee": "none"}, {"attachment", "nocode"}),
        ({"age": "hour"}, {"rate"}),
        ({"age": "day"}, {"rate", "attachment"}),
        ({"age": "week"}, {"rate", "attachment"}),
        ({"age": "older"}, {"nocode"}),
    ],
)
def test_filters(staff_client, query, expected):
    me = staff_client.user
    tickets = {
        "rate": make_ticket(assignee=me),
        "attachment": make_ticket(error_code=5001, http_status=400, status="resolved"),
        "nocode": make_ticket(error_code=None, environment="sandbox", status="waiting"),
    }
    now = timezone.now()
    Ticket.objects.filter(pk=tickets["attachment"].pk).update(created_at=now - timedelta(hours=5))
    Ticket.objects.filter(pk=tickets["nocode"].pk).update(created_at=now - timedelta(days=9))
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


@pytest.mark.django_db
def test_the_diagnosis_is_drawn_as_the_site_draws_it_and_the_paste_is_whole(staff_client):
    paste = ENVELOPE.replace('"retry_after": 30,', "") + "\n" + "log line\n" * 3000
    ticket = make_ticket(envelope=paste, diagnosis=diagnose(paste, now=timezone.now()).as_dict())
    html = staff_client.get(f"{CHANGELIST}{ticket.pk}/change/").content.decode()
    card = html.split('class="card diagnosis-card"', 1)[1].split("</article>", 1)[0]
    assert "Rate limit exceeded" in card
    assert "retry_after_missing" in card  # the finding, with its id, as on /diagnose/
    assert TRACE_ID in card
    assert "Contact support" not in card and "Share this diagnosis" not in card
    assert "The developer pasted <strong>an error envelope</strong>" in html
    # The whole paste, not a clipped one.
    assert html.count("log line") >= 3000


@pytest.mark.django_db
def test_a_snapshot_that_does_not_fit_is_shown_as_far_as_it_can(staff_client):
    ticket = make_ticket(
        diagnosis={"input_kind": 7, "diagnoses": ["x", {"code": "1007", "findings": [1]}]}
    )
    response = staff_client.get(f"{CHANGELIST}{ticket.pk}/change/")
    assert response.status_code == 200
    assert "No error code" in response.content.decode()
