"""The promise of the diagnosis and support pages, followed through every sink.

The page says a pasted token is "never shown, stored or sent on". One paste carries a key in its
request headers, in the response body (`error.details`) and in free text; it is diagnosed on the
page, as the htmx fragment, through the JSON API and on the command line, carried into a support
request, stored, confirmed, read in the admin and mailed; every log record at DEBUG (SQL
included) is kept. The key is found in none of them.
"""

import json
import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict

from support.forms import new_form_token
from support.models import Ticket

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
# One key with a shape of its own (the case) and one known only by its label.
KEYS = {
    "provider key": "sk_live_51HqLyjWDarjtT1zdp7dcXZX0FAKEFAKE",
    "opaque token": "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZQ",
}


def paste_with(key: str) -> str:
    body = {
        "success": False,
        "error": {
            "status": 401,
            "code": 2004,
            "message": "Unauthorized - missing or invalid authentication token",
            "details": f"The key {key} was revoked",
        },
        "trace_id": TRACE_ID,
    }
    return (
        "> POST /api/partner/v3/chats HTTP/2\n"
        "> Host: api.linqapp.com\n"
        f"> Authorization: Bearer {key}\n"
        ">\n"
        "< HTTP/2 401\n"
        f"< x-trace-id: {TRACE_ID}\n"
        "<\n"
        f"{json.dumps(body)}\n"
        f"our integration logs: using key {key} for account 42\n"
    )


@pytest.fixture(autouse=True)
def _clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def every_log_record(caplog):
    """Everything logged at DEBUG, by every logger, SQL with its parameters included."""
    for name in ("", "django", "django.request", "django.server", "django.db.backends"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = False


def logged(caplog) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", KEYS.values(), ids=KEYS.keys())
def test_a_pasted_key_is_found_nowhere(key, admin_client, client, every_log_record, tmp_path):
    paste = paste_with(key)
    seen: dict[str, str] = {}

    # Diagnosis: the page, the htmx fragment, the JSON API, the command line.
    page = client.post("/diagnose/", {"envelope": paste})
    seen["diagnosis page"] = page.content.decode()
    assert "secret_redacted" in seen["diagnosis page"]
    fragment = client.post("/diagnose/", {"envelope": paste}, HTTP_HX_REQUEST="true")
    seen["diagnosis fragment"] = fragment.content.decode()
    api = client.post("/api/diagnose/", paste, content_type="text/plain")
    seen["diagnosis API"] = api.content.decode()
    assert [d["code"] for d in api.json()["diagnoses"]] == [2004]
    assert api.json()["findings"][0]["id"] == "secret_redacted"
    pasted_file = tmp_path / "response.txt"
    pasted_file.write_text(paste)
    for options in ({}, {"json": True}):
        out = StringIO()
        call_command("diagnose", str(pasted_file), stdout=out, **options)
        seen[f"command {options}"] = out.getvalue()

    # Support: prefilled from the diagnosis, then sent with the key typed once more.
    prefill = client.post("/support/new/", {"envelope": paste, "from_diagnosis": "1"})
    seen["prefilled form"] = prefill.content.decode()
    sent = client.post(
        "/support/new/",
        {
            "email": "dev@example.com",
            "name": "Ada Dev",
            "trace_id": TRACE_ID,
            "error_code": "2004",
            "endpoint": "POST /v3/chats",
            "subject": f"Key {key} rejected",
            "description": f"We call with Authorization: Bearer {key} and get 401. Key: {key}",
            "envelope": paste,
            "form_token": new_form_token(),
            "website": "",
        },
    )
    assert sent.status_code == 302
    ticket = Ticket.objects.get()
    seen["ticket row"] = json.dumps(model_to_dict(ticket), default=str) + str(ticket)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM support_ticket")
        seen["ticket table"] = repr(cursor.fetchall())
    seen["confirmation page"] = client.get(sent["Location"]).content.decode()
    seen["admin list"] = admin_client.get("/admin/support/ticket/").content.decode()
    change = admin_client.get(f"/admin/support/ticket/{ticket.pk}/change/")
    seen["admin change page"] = change.content.decode()
    assert ticket.reference in seen["admin list"] and ticket.reference in seen["admin change page"]
    assert len(mail.outbox) == 2
    seen["e-mail"] = "\n".join(
        f"{m.subject}\n{m.body}\n{m.to}\n{m.reply_to}\n{m.extra_headers}" for m in mail.outbox
    )
    seen["logs"] = logged(every_log_record)
    assert "INSERT" in seen["logs"]  # the SQL, with its parameters, was captured

    assert ticket.secrets_masked >= 4
    assert "Authorization: Bearer [REDACTED]" in ticket.envelope
    leaks = [where for where, text in seen.items() if key in text]
    assert leaks == []
