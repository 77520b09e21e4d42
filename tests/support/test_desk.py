"""The support desk: from "new" to "solved" in the admin, with a reply the developer reads and
answers on their request's page. E-mails are checked in Django's outbox."""

import smtplib

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from support.forms import new_form_token
from support.models import StatusChange, Ticket, TicketMessage
from tests.conftest import make_ticket
from tests.support.test_admin import CHANGELIST

SECRET = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture(autouse=True)
def _clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agent(django_user_model, support_agent_group):
    """A support engineer as the README sets one up: staff, in the "Support agent" group."""
    user = django_user_model.objects.create_user(
        "grace", password="x", is_staff=True, first_name="Grace", last_name="Hopper"
    )
    user.groups.add(support_agent_group)
    return user


@pytest.fixture
def agent_client(agent):
    client = Client()
    client.force_login(agent)
    return client


def change_url(ticket: Ticket) -> str:
    return f"{CHANGELIST}{ticket.pk}/change/"


def page_url(ticket: Ticket) -> str:
    return reverse("support:done", args=[ticket.public_token])


def work(client: Client, ticket: Ticket, **fields):
    """Save the ticket's change page as an engineer would (the form's current values kept)."""
    ticket.refresh_from_db()
    data = {
        "status": ticket.status,
        "assignee": ticket.assignee_id or "",
        "reply": "",
        "note": "",
    }
    data.update(fields)
    return client.post(change_url(ticket), data)


def answer(client: Client, ticket: Ticket, text: str, token: str | None = None):
    return client.post(page_url(ticket), {"message": text, "form_token": token or new_form_token()})


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


# --- From new to solved -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_goes_from_new_to_solved_with_a_reply_the_developer_reads(
    agent, agent_client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "support@example.com"
    ticket = make_ticket()
    developer = Client()

    # Take it: assign to me, open it, leave a note for colleagues.
    response = work(
        agent_client, ticket, status="in_progress", assignee=agent.pk, note="Looks like 1007."
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("in_progress", agent)

    # Reply: stored, e-mailed to the developer, and the request now waits on them.
    with django_capture_on_commit_callbacks(execute=True):
        work(agent_client, ticket, reply="Please send us the Retry-After header you got.")
    ticket.refresh_from_db()
    assert ticket.status == "waiting"
    [reply_mail] = mail.outbox
    assert reply_mail.to == ["dev@example.com"]
    assert reply_mail.reply_to == ["support@example.com"]
    assert ticket.reference in reply_mail.subject
    assert "Please send us the Retry-After header you got." in reply_mail.body
    assert f"http://testserver{page_url(ticket)}" in reply_mail.body
    reply = TicketMessage.objects.get(kind="reply")
    assert reply.author == agent and reply.emailed_at is not None

    # The developer reads it on their page (not the note) and answers.
    page = developer.get(page_url(ticket)).content.decode()
    assert "Waiting on developer" in page
    assert "Please send us the Retry-After header you got." in page
    assert "Looks like 1007." not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = answer(developer, ticket, "It said 30. Authorization: Bearer " + SECRET)
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(ticket)}?answered=1#thread"
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"  # support's turn again
    to_support = mail.outbox[1]
    assert to_support.to == ["support@example.com"]
    assert to_support.reply_to == ["dev@example.com"]
    assert "It said 30." in to_support.body
    assert SECRET not in to_support.body
    assert f"/admin/support/ticket/{ticket.pk}/change/" in to_support.body
    page = developer.get(response["Location"]).content.decode()
    assert "Your answer was sent to support." in page
    assert "It said 30." in page and SECRET not in page

    # Solve it.
    work(agent_client, ticket, status="resolved")
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    assert "Solved" in developer.get(page_url(ticket)).content.decode()

    # Who moved it, when, in order; None is the developer.
    moves = [
        (c.old_status, c.new_status, c.changed_by)
        for c in StatusChange.objects.filter(ticket=ticket)
    ]
    assert moves == [
        ("new", "in_progress", agent),
        ("in_progress", "waiting", agent),
        ("waiting", "in_progress", None),
        ("in_progress", "resolved", agent),
    ]
    # Every save is in the admin's history, in the desk's words.
    history = list(
        LogEntry.objects.filter(object_id=str(ticket.pk))
        .order_by("action_time", "id")
        .values_list("change_message", flat=True)
    )
    assert history == [
        "Status: New → Open. Assigned to Grace Hopper. Added an internal note.",
        "Status: Open → Waiting on developer. Replied to the developer.",
        "Status: Open → Solved.",
    ]


@pytest.mark.django_db
def test_each_sides_mails_form_one_thread_in_a_mail_client(
    agent_client, settings, django_capture_on_commit_callbacks
):
    """The confirmation starts the developer's thread and the notification support's; every
    reply and answer names its side's first message in In-Reply-To and References."""
    from support import notifications

    settings.SUPPORT_EMAIL = "support@example.com"
    ticket = make_ticket()
    notifications.send_pending(ticket)
    to_support, to_developer = (m.message() for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        work(agent_client, ticket, reply="Which number did you send from?")
    with django_capture_on_commit_callbacks(execute=True):
        answer(Client(), ticket, "From +12025550123.")
    with django_capture_on_commit_callbacks(execute=True):
        work(agent_client, ticket, reply="Thanks, fixed on our side.")
    reply1, answer1, reply2 = (m.message() for m in mail.outbox[2:])

    developer_thread = to_developer["Message-ID"]
    support_thread = to_support["Message-ID"]
    assert developer_thread != support_thread
    assert ticket.reference.lower() in developer_thread
    assert developer_thread.endswith("@example.com>")
    for reply in (reply1, reply2):
        assert reply["In-Reply-To"] == reply["References"] == developer_thread
    assert answer1["In-Reply-To"] == answer1["References"] == support_thread
    ids = [m["Message-ID"] for m in (to_support, to_developer, reply1, answer1, reply2)]
    assert len(set(ids)) == 5, "every message has its own id"
    # A resend (after a failed send) keeps the same id, so the thread does not split.
    assert notifications.thread_id(ticket, "requester") == developer_thread


@pytest.mark.django_db
def test_the_change_page_shows_the_thread_with_notes_and_moves(agent_client, agent):
    ticket = make_ticket()
    work(agent_client, ticket, status="in_progress", note="Checked the rate-limit dashboard.")
    work(agent_client, ticket, reply="Which endpoint was it?")
    answer(Client(), ticket, "POST /v3/chats")
    html = agent_client.get(change_url(ticket)).content.decode()
    for text in (
        "Checked the rate-limit dashboard.",
        "internal note, not shown to the developer",
        "Which endpoint was it?",
        "Grace Hopper</strong> replied to the developer",
        "The developer</strong> answered",
        "POST /v3/chats",
        "moved it from <strong>New</strong> to <strong>Open</strong>",
        "the developer moved it from <strong>Waiting on developer</strong> to "
        "<strong>Open</strong>",
    ):
        assert text in html, text
    assert (
        html.index("Checked the rate-limit")
        < html.index("Which endpoint")
        < html.index("POST /v3/chats</p>")
    )


@pytest.mark.django_db
def test_a_status_chosen_with_the_reply_wins(agent_client):
    ticket = make_ticket()
    work(agent_client, ticket, status="resolved", reply="Fixed on our side; retry now.")
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


@pytest.mark.django_db
def test_an_empty_save_records_nothing(agent_client):
    ticket = make_ticket()
    work(agent_client, ticket, reply="   ", note="")
    assert not TicketMessage.objects.exists()
    assert not StatusChange.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == "new"


@pytest.mark.django_db
def test_a_reply_is_kept_when_the_mail_fails_and_resent_later(
    agent_client, settings, django_capture_on_commit_callbacks
):
    ticket = make_ticket(
        support_notified_at="2026-01-01T00:00Z", requester_notified_at="2026-01-01T00:00Z"
    )
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = work(agent_client, ticket, reply="Try again in a minute.")
    assert response.status_code == 302
    reply = TicketMessage.objects.get()
    assert reply.emailed_at is None
    assert "SMTPServerDisconnected" in reply.email_error
    assert (
        "not e-mailed: SMTPServerDisconnected"
        in agent_client.get(change_url(ticket)).content.decode()
    )

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("resend_notifications", "--min-age", "0")
    [sent] = mail.outbox
    assert sent.to == ["dev@example.com"] and "Try again in a minute." in sent.body
    reply.refresh_from_db()
    assert reply.emailed_at is not None and reply.email_error == ""
    call_command("resend_notifications", "--min-age", "0")
    assert len(mail.outbox) == 1  # never twice


@pytest.mark.django_db
def test_actions_record_who_moved_what_and_log_each_request(agent_client, agent):
    first, second, done = make_ticket(), make_ticket(), make_ticket(status="resolved")
    agent_client.post(
        CHANGELIST,
        {"action": "mark_resolved", "_selected_action": [first.pk, second.pk, done.pk]},
    )
    assert set(Ticket.objects.values_list("status", flat=True)) == {"resolved"}
    changes = StatusChange.objects.order_by("ticket_id")
    assert [(c.ticket_id, c.old_status, c.changed_by) for c in changes] == [
        (first.pk, "new", agent),
        (second.pk, "new", agent),
    ]
    logged = LogEntry.objects.filter(change_message="Status: New → Solved.")
    assert set(logged.values_list("object_id", flat=True)) == {str(first.pk), str(second.pk)}

    agent_client.post(CHANGELIST, {"action": "assign_to_me", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.assignee == agent
    assert LogEntry.objects.filter(
        object_id=str(first.pk), change_message="Assigned to Grace Hopper."
    ).exists()


# --- The developer's page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_developers_page_is_private_and_not_indexed(client):
    ticket = make_ticket()
    response = client.get(page_url(ticket))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    answered = answer(client, ticket, "More detail.")
    followed = client.get(answered["Location"])
    assert "no-store" in followed["Cache-Control"] and "noindex" in followed["X-Robots-Tag"]


@pytest.mark.django_db
def test_the_developers_page_shows_the_status_in_their_words(client):
    ticket = make_ticket()
    for status, words in [
        ("new", "support has not picked it up yet"),
        ("in_progress", "Support is working on it."),
        ("waiting", "waiting for you"),
        ("resolved", "answer below and it opens again"),
    ]:
        Ticket.objects.filter(pk=ticket.pk).update(status=status)
        html = client.get(page_url(ticket)).content.decode()
        assert Ticket.Status(status).label in html
        assert words in html


@pytest.mark.django_db
def test_an_answer_on_a_solved_request_opens_it_again(client):
    ticket = make_ticket(status="resolved")
    answer(client, ticket, "Still failing since 14:00 UTC.")
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert StatusChange.objects.get().changed_by is None


@pytest.mark.django_db
def test_an_answer_on_a_new_request_keeps_its_status(client):
    ticket = make_ticket()
    answer(client, ticket, "One more detail.")
    ticket.refresh_from_db()
    assert ticket.status == "new"
    assert not StatusChange.objects.exists()


@pytest.mark.django_db
def test_a_double_submitted_answer_is_stored_once(client, django_capture_on_commit_callbacks):
    ticket = make_ticket(status="waiting")
    token = new_form_token()
    with django_capture_on_commit_callbacks(execute=True):
        first = answer(client, ticket, "Here it is.", token)
        second = answer(client, ticket, "Here it is.", token)
    assert first.status_code == second.status_code == 302
    assert TicketMessage.objects.filter(kind="answer").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your answer before sending it."),
        ("x" * 10_001, "Keep the answer under 10,000 characters (it has 10001)."),
    ],
)
def test_a_bad_answer_gets_a_message_and_keeps_the_text(client, text, message):
    ticket = make_ticket()
    response = answer(client, ticket, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert response.context["answer_form"]["message"].value() == text
    assert not TicketMessage.objects.exists()


@pytest.mark.django_db
def test_answers_are_rate_limited_and_keep_the_text(client, settings):
    settings.SUPPORT_RATE_LIMIT = "2/10m"
    ticket = make_ticket()
    assert answer(client, ticket, "one").status_code == 302
    assert answer(client, ticket, "two").status_code == 302
    refused = answer(client, ticket, "three, kept")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "send it again in about" in refused.content.decode()
    assert refused.context["answer_form"]["message"].value() == "three, kept"
    assert TicketMessage.objects.count() == 2


@pytest.mark.django_db
def test_the_answer_is_masked_before_it_is_stored(client):
    ticket = make_ticket()
    answer(client, ticket, f"Our key is {SECRET}; we send it as\nAuthorization: Bearer {SECRET}")
    stored = TicketMessage.objects.get()
    assert SECRET not in stored.body
    assert stored.secrets_masked >= 1
    assert SECRET not in client.get(page_url(ticket)).content.decode()


@pytest.mark.django_db
def test_every_message_is_masked_whoever_writes_it(agent_client):
    ticket = make_ticket()
    work(agent_client, ticket, note=f"They pasted {SECRET} in the chat", reply=f"Rotate {SECRET}")
    for message in TicketMessage.objects.all():
        assert SECRET not in message.body
        assert message.secrets_masked == 1


@pytest.mark.django_db
def test_a_decoy_page_has_no_thread_or_answer_form(client):
    from tests.support.test_views import form_data

    response = client.post("/support/new/", form_data(website="http://spam.example"))
    html = response.content.decode()
    assert "Request sent" in html
    assert 'name="message"' not in html
