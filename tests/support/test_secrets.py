"""Support tickets never hold a secret: every free-text field masked on the server whatever the
browser sent, the form's echo masked, and `manage.py remask_tickets` for tickets stored before."""

import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.forms.models import model_to_dict

from diagnose.engine.redaction import MASK
from support.forms import new_form_token
from support.models import Ticket
from tests.conftest import ENVELOPE, TRACE_ID

NEW = "/support/new/"
KEY = "sk_live_51HqLyjWDarjtT1zdp7dcXZX0FAKEFAKE"
OPAQUE = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZQ"  # no shape of its own: known only by a label
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


@pytest.fixture(autouse=True)
def _clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides) -> dict:
    return {
        "email": "dev@example.com",
        "name": "Ada Dev",
        "trace_id": TRACE_ID,
        "error_code": "1007",
        "environment": "production",
        "endpoint": "POST /v3/chats",
        "subject": "[1007] Rate limit exceeded",
        "description": "We send one message a minute and still get 429.",
        "envelope": ENVELOPE,
        "form_token": new_form_token(),
        "website": "",
        **overrides,
    }


def stored(ticket: Ticket) -> str:
    return json.dumps(model_to_dict(ticket), default=str) + str(ticket)


@pytest.mark.django_db
def test_every_free_text_field_is_masked_whatever_the_browser_sent(client):
    client.post(
        NEW,
        form_data(
            name=f"Ada token={OPAQUE}",
            endpoint=f"GET /v3/chats?api_key={OPAQUE}",
            subject=f"key {KEY} rejected",
            description=f"Our JWT {JWT} and key {KEY} stopped working.",
            envelope=f"Authorization: Bearer {OPAQUE}\n\n{ENVELOPE}",
        ),
    )
    ticket = Ticket.objects.get()
    for secret in (KEY, OPAQUE, JWT):
        assert secret not in stored(ticket)
    assert ticket.subject == f"key {MASK} rejected"
    assert ticket.endpoint == f"GET /v3/chats?api_key={MASK}"
    assert ticket.secrets_masked == 6


@pytest.mark.django_db
def test_a_key_labelled_in_the_paste_is_masked_where_the_description_repeats_it(client):
    client.post(
        NEW,
        form_data(
            envelope=f"X-Api-Key: {OPAQUE}\n\n{ENVELOPE}",
            description=f"We use {OPAQUE} as documented.",
        ),
    )
    ticket = Ticket.objects.get()
    assert OPAQUE not in stored(ticket)
    assert ticket.description == f"We use {MASK} as documented."


@pytest.mark.django_db
def test_a_ticket_saved_any_other_way_is_masked_too():
    ticket = Ticket.objects.create(
        email="dev@example.com",
        form_token=new_form_token(),
        subject="s",
        description=f"Authorization: Bearer {OPAQUE}",
        diagnosis={"diagnoses": [{"observed": {"message": f"bad key {OPAQUE}"}}]},
    )
    ticket.refresh_from_db()
    assert OPAQUE not in stored(ticket)
    assert ticket.secrets_masked == 2


@pytest.mark.django_db
def test_a_form_shown_again_after_an_error_holds_no_secret(client):
    response = client.post(
        NEW,
        form_data(trace_id="not-a-trace-id", description=f"Bearer {OPAQUE} fails"),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "not a trace id" in html
    assert OPAQUE not in html
    assert f"Bearer {MASK} fails" in html  # the rest of what was typed is kept
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_a_rate_limited_form_keeps_the_text_without_the_secret(client, settings):
    settings.SUPPORT_RATE_LIMIT = "1/h"
    client.post(NEW, form_data())
    response = client.post(NEW, form_data(description=f"our key {KEY}"))
    assert response.status_code == 429
    assert KEY not in response.content.decode()
    assert f"our key {MASK}" in response.content.decode()


@pytest.mark.django_db
def test_the_decoy_page_for_bots_shows_no_secret(client):
    response = client.post(NEW, form_data(website="http://spam", subject=f"key {KEY}"))
    assert KEY not in response.content.decode()
    assert Ticket.objects.count() == 0


def store_unmasked(**fields) -> Ticket:
    """A ticket as an older version of the rules left it: bulk_create skips save()."""
    defaults = {"email": "dev@example.com", "subject": "s", "description": "d"}
    (ticket,) = Ticket.objects.bulk_create(
        [Ticket(form_token=new_form_token(), **{**defaults, **fields})]
    )
    return Ticket.objects.get(pk=ticket.pk)


@pytest.mark.django_db
def test_remask_tickets_masks_old_tickets_and_says_how_many_changed():
    old = store_unmasked(
        description=f"my key is {KEY}",
        envelope=f'Bearer: {OPAQUE}\n{{"details": "{OPAQUE}"}}',
        diagnosis={"findings": [{"message": f"saw {KEY}"}]},
    )
    clean = store_unmasked(description="nothing secret here")
    updated_at = old.updated_at

    out = StringIO()
    call_command("remask_tickets", "--dry-run", stdout=out)
    assert "1 of 2 ticket(s) would change" in out.getvalue()
    assert KEY in Ticket.objects.get(pk=old.pk).description  # nothing written

    out = StringIO()
    call_command("remask_tickets", stdout=out)
    assert f"{old.reference}: 4 secret(s) masked" in out.getvalue()
    assert "1 of 2 ticket(s) changed; 4 secret(s) masked." in out.getvalue()
    old.refresh_from_db()
    assert KEY not in stored(old) and OPAQUE not in stored(old)
    assert old.secrets_masked == 4
    assert old.updated_at == updated_at
    assert Ticket.objects.get(pk=clean.pk).description == "nothing secret here"

    out = StringIO()
    call_command("remask_tickets", stdout=out)
    assert "0 of 2 ticket(s) changed; 0 secret(s) masked." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_submitted_request_is_masked_before_its_transaction_opens(client, monkeypatch):
    """The paste is scanned once, outside the write transaction: SQLite allows one writer at a
    time, so a slow scan under the lock would hold every other request up."""
    from django.db import connection

    import support.models

    scans: list[bool] = []
    real = support.models.redact_secrets

    def watching(text, *args, **kwargs):
        scans.append(connection.in_atomic_block)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(support.models, "redact_secrets", watching)
    response = client.post(NEW, form_data(description=f"key {KEY} rejected"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert KEY not in stored(ticket)
    assert ticket.secrets_masked >= 1
    assert scans and not any(scans), "masking ran inside the transaction"
    assert len(scans) == len(Ticket.MASKED_FIELDS), "each field scanned once"


@pytest.mark.django_db
def test_a_field_changed_after_masking_is_masked_again_on_save():
    ticket = Ticket(email="dev@example.com", subject="clean", description="clean")
    assert ticket.mask_secrets() == 0
    ticket.description = f"now with {KEY}"
    ticket.save()
    ticket.refresh_from_db()
    assert KEY not in ticket.description and MASK in ticket.description
    assert ticket.secrets_masked == 1
