import json
import re
import smtplib
from html import unescape
from urllib.robotparser import RobotFileParser

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from linqdocs import ratelimit
from support.checks import check_rate_limit
from support.forms import new_form_token
from support.models import REFERENCE_ALPHABET, Ticket, new_reference
from tests.conftest import ENVELOPE, TRACE_ID

SECRET = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
CURL = f"""> POST /api/partner/v3/chats?debug=1 HTTP/2
> Host: api.linqapp.com
> Authorization: Bearer {SECRET}
> Content-Type: application/json
>
< HTTP/2 429
< date: Tue, 10 Nov 2026 14:02:37 GMT
< content-type: application/json
< x-trace-id: {TRACE_ID}
< retry-after: 30
<
{ENVELOPE}
"""
NEW = "/support/new/"


@pytest.fixture(autouse=True)
def _clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides) -> dict:
    data = {
        "email": "dev@example.com",
        "name": "Ada Dev",
        "trace_id": TRACE_ID,
        "error_code": "1007",
        "http_status": "429",
        "environment": "production",
        "endpoint": "POST /v3/chats",
        "subject": "[1007] Rate limit exceeded",
        "description": "We send one message a minute and still get 429.",
        "envelope": ENVELOPE,
        "form_token": new_form_token(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(client: Client, **overrides):
    return client.post(NEW, form_data(**overrides))


def field_value(response, name: str):
    """The value the form will show for a field: what was typed, or the prefill."""
    return response.context["form"][name].value()


def errors_of(response, name: str) -> list[str]:
    return response.context["form"].errors.get(name, [])


# --- The page and its prefill -------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_form_has_the_contract_field_names(client):
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "email",
        "name",
        "trace_id",
        "error_code",
        "http_status",
        "environment",
        "endpoint",
        "subject",
        "description",
        "envelope",
    ):
        assert f'name="{name}"' in html, name
    assert 'value="sandbox"' in html and 'value="production"' in html
    assert 'type="hidden" name="form_token"' in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_honeypot_is_hidden_from_people(client):
    html = client.get(NEW).content.decode()
    honeypot = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot is not None
    assert "Leave this empty" in honeypot[1]
    assert 'name="website"' in honeypot[1]
    assert 'tabindex="-1"' in honeypot[1]
    assert 'autocomplete="off"' in honeypot[1]


@pytest.mark.django_db
def test_each_form_gets_its_own_token(client):
    first = field_value(client.get(NEW), "form_token")
    second = field_value(client.get(NEW), "form_token")
    assert first and second and first != second


@pytest.mark.django_db
def test_prefill_from_query_params(client):
    response = client.get(NEW, {"code": "1007", "trace_id": TRACE_ID, "status": "429"})
    assert response.status_code == 200
    assert field_value(response, "error_code") == 1007
    assert field_value(response, "trace_id") == TRACE_ID
    assert field_value(response, "http_status") == 429
    assert field_value(response, "subject") == "[1007] Rate limit exceeded — trace 2eff5df5…"
    description = field_value(response, "description")
    assert '"Rate limit exceeded"' in description
    # The questions are the placeholder, never text that would reach support unedited.
    for prompt in ("When it happened", "What changed recently", "A deploy", "(The "):
        assert prompt not in description
    page = response.content.decode()
    placeholder = re.search(r'<textarea name="description"[^>]*placeholder="([^"]*)"', page)
    assert placeholder is not None
    for question in ("When it happened (UTC)", "What changed recently", "What you already tried"):
        assert question in placeholder[1]
    assert "Prefilled from the link" in response.content.decode()


@pytest.mark.django_db
def test_without_anything_known_the_description_starts_empty(client):
    assert not field_value(client.get(NEW), "description")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("POST /v3/chats", "POST /v3/chats"),
        ("post  /v3/chats", None),
        ("POST /v3/chats?token=abc", None),
        ("POST https://evil.example/v3/chats", None),
        ("DROP /v3", None),
    ],
)
def test_prefill_takes_an_endpoint_from_the_link_only_when_it_is_one(client, given, expected):
    response = client.get(NEW, {"code": "1007", "endpoint": given})
    assert field_value(response, "endpoint") == expected
    if expected:
        assert f"Endpoint:\n{expected}" in field_value(response, "description")


@pytest.mark.django_db
def test_prefill_from_code_alone_takes_the_documented_status(client):
    response = client.get(NEW, {"code": "1007"})
    assert field_value(response, "http_status") == 429
    assert field_value(response, "subject") == "[1007] Rate limit exceeded"


@pytest.mark.django_db
def test_prefill_normalises_a_traceparent(client):
    traceparent = f"00-{TRACE_ID.upper()}-00f067aa0ba902b7-01"
    response = client.get(NEW, {"trace_id": traceparent})
    assert field_value(response, "trace_id") == TRACE_ID


@pytest.mark.django_db
def test_prefill_ignores_params_that_do_not_fit(client):
    response = client.get(
        NEW, {"code": "<script>alert(1)</script>", "trace_id": "trace_abc123", "status": "999"}
    )
    assert response.status_code == 200
    assert field_value(response, "error_code") is None
    assert field_value(response, "trace_id") is None
    assert field_value(response, "http_status") is None
    assert b"<script>alert(1)" not in response.content
    assert field_value(client.get(NEW, {"trace_id": "0" * 32}), "trace_id") is None


@pytest.mark.django_db
def test_prefill_from_a_diagnosis_paste(client):
    response = client.post(NEW, {"envelope": ENVELOPE, "from_diagnosis": "1"})
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert field_value(response, "trace_id") == TRACE_ID
    assert field_value(response, "error_code") == 1007
    assert field_value(response, "http_status") == 429
    assert field_value(response, "subject") == "[1007] Rate limit exceeded — trace 2eff5df5…"
    assert "retry_after 30 s" in field_value(response, "description")
    assert json.loads(field_value(response, "envelope")) == json.loads(ENVELOPE)
    assert field_value(response, "form_token")
    assert response.context["form"].errors == {}
    assert "Prefilled from your diagnosis" in response.content.decode()


@pytest.mark.django_db
def test_prefill_from_a_diagnosis_trusts_only_the_paste(client):
    response = client.post(
        NEW,
        {
            "envelope": ENVELOPE,
            "from_diagnosis": "1",
            "error_code": "5001",
            "trace_id": "f" * 32,
            "http_status": "500",
            "subject": "injected",
        },
    )
    assert field_value(response, "error_code") == 1007
    assert field_value(response, "trace_id") == TRACE_ID
    assert field_value(response, "http_status") == 429
    assert "injected" not in field_value(response, "subject")


@pytest.mark.django_db
def test_prefill_from_curl_output_masks_the_key_and_finds_endpoint_and_time(client):
    response = client.post(NEW, {"envelope": CURL, "from_diagnosis": "1"})
    html = response.content.decode()
    assert SECRET not in html
    assert SECRET not in field_value(response, "envelope")
    assert "1 secret (API key or bearer token) in your paste was masked" in html
    assert field_value(response, "endpoint") == "POST /api/partner/v3/chats"
    assert "2026-11-10 14:02:37 UTC" in field_value(response, "description")
    assert field_value(response, "trace_id") == TRACE_ID


@pytest.mark.django_db
def test_prefill_reads_a_paste_sent_with_browser_line_breaks(client):
    response = client.post(NEW, {"envelope": CURL.replace("\n", "\r\n"), "from_diagnosis": "1"})
    assert field_value(response, "endpoint") == "POST /api/partner/v3/chats"
    assert "\r" not in field_value(response, "envelope")
    submit(client, envelope=CURL.replace("\n", "\r\n"), description="One\r\nTwo")
    ticket = Ticket.objects.get()
    assert ticket.envelope == CURL.strip().replace(SECRET, "[REDACTED]")
    assert ticket.description == "One\nTwo"


@pytest.mark.django_db
def test_prefill_from_a_bare_trace_id(client):
    response = client.post(NEW, {"envelope": f"  {TRACE_ID}\n", "from_diagnosis": "1"})
    assert field_value(response, "trace_id") == TRACE_ID


@pytest.mark.django_db
def test_prefill_from_log_lines_with_several_errors(client):
    other = "4bf92f3577b34da6a3ce929d0e0e4736"
    server_error = {
        "success": False,
        "error": {"status": 500, "code": 3001, "message": "Server connection error"},
        "trace_id": other,
    }
    lines = "\n".join(
        [
            "2026-11-10T14:02:37Z ERROR send failed " + json.dumps(json.loads(ENVELOPE)),
            "2026-11-10T14:02:39Z ERROR send failed " + json.dumps(server_error),
        ]
    )
    response = client.post(NEW, {"envelope": lines, "from_diagnosis": "1"})
    assert field_value(response, "trace_id") == f"{TRACE_ID}, {other}"
    assert field_value(response, "error_code") == 1007
    assert field_value(response, "subject") == (
        "[1007] Rate limit exceeded (+1 more) — trace 2eff5df5…"
    )
    description = field_value(response, "description")
    assert "- Linq answered HTTP 429 with error 1007" in description
    assert "- Linq answered HTTP 500 with error 3001" in description


@pytest.mark.django_db
def test_prefill_warns_about_a_paste_past_the_limit(client):
    paste = ENVELOPE + "\n" + "x" * (64 * 1024)
    response = client.post(NEW, {"envelope": paste, "from_diagnosis": "1"})
    assert response.status_code == 200
    assert "larger than 64 KiB" in response.content.decode()


@pytest.mark.django_db
def test_from_a_pasted_envelope_to_a_confirmed_request_in_two_clicks(client):
    # Click one: "Ask support" on the diagnosis page posts the paste.
    prefilled = client.post(NEW, {"envelope": ENVELOPE, "from_diagnosis": "1"})
    form = prefilled.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    # The user types an e-mail; click two sends.
    data["email"] = "dev@example.com"
    response = client.post(NEW, data, follow=True)
    assert response.redirect_chain[0][1] == 302
    ticket = Ticket.objects.get()
    assert ticket.trace_ids == TRACE_ID
    assert ticket.error_code == 1007
    assert ticket.http_status == 429
    assert ticket.subject.startswith("[1007] Rate limit exceeded")
    assert ticket.diagnosis is not None
    assert ticket.diagnosis["diagnoses"][0]["code"] == 1007
    assert ticket.reference in response.content.decode()


@pytest.mark.django_db
def test_from_the_diagnosis_page_to_a_confirmed_request(client):
    """The real path: paste on /diagnose/, tick "attach my paste", follow "Contact support"
    (a link), add an e-mail, send. site.js puts the masked paste the diagnosis shows into the
    form's box; here that copy is taken from the page the same way."""
    diagnosis_page = client.post("/diagnose/", {"envelope": CURL}).content.decode()
    assert 'action="/support/new/"' not in diagnosis_page  # no form posts the paste on
    link = re.search(r'href="(/support/new/\?[^"]*from=diagnosis[^"]*)"', diagnosis_page)
    assert link is not None
    masked = re.search(
        r'<pre class="masked-paste" id="masked-paste"[^>]*>(.*?)</pre>', diagnosis_page, re.S
    )
    assert masked is not None and SECRET not in masked[1]
    prefilled = client.get(unescape(link[1]))  # click one: a GET, nothing to resubmit
    assert prefilled.status_code == 200
    form = prefilled.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert "envelope" not in unescape(link[1]) and not data["envelope"]
    data["envelope"] = unescape(masked[1])  # "attach my paste", ticked
    data["email"] = "dev@example.com"
    done = client.post(NEW, data, follow=True)  # click two
    assert done.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.reference in done.content.decode()
    assert (ticket.trace_ids, ticket.error_code, ticket.http_status) == (TRACE_ID, 1007, 429)
    assert ticket.endpoint == "POST /api/partner/v3/chats"
    assert SECRET not in ticket.envelope
    assert ticket.diagnosis is not None
    assert ticket.diagnosis["input_kind"] == "http_response"


# --- Validation ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Enter the e-mail address"),
        ("email", "not-an-address", "Enter an e-mail address"),
        ("subject", "", "short subject"),
        ("subject", "x" * 201, "at most 200 characters"),
        ("description", "", "Describe what happened"),
        ("description", "x" * 10_001, "under 10,000 characters"),
        ("envelope", "x" * (64 * 1024 + 1), "the limit is 64 KiB"),
        ("trace_id", "trace_abc123def456", "32 characters of 0-9 and a-f"),
        ("trace_id", f"{TRACE_ID}0", "33 given"),
        ("trace_id", "0" * 32, "all-zero"),
        ("trace_id", " ".join(f"{i:032x}" for i in range(1, 22)), "At most 20 trace ids"),
        ("error_code", "abc", "as a number"),
        ("error_code", "999", "run from 1000 to 5999"),
        ("error_code", "6000", "run from 1000 to 5999"),
        ("error_code", "429", "Is it the HTTP status?"),
        ("http_status", "42", "from 100 to 599"),
        ("http_status", "600", "from 100 to 599"),
        ("http_status", "4o4", "from 100 to 599"),
        ("environment", "staging", "Choose sandbox, production or not sure"),
        ("endpoint", "x" * 201, "at most 200 characters"),
    ],
)
def test_invalid_field_gets_a_message_and_keeps_what_was_typed(client, field, value, message):
    response = submit(client, **{field: value})
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert any(message in error for error in errors_of(response, field)), errors_of(response, field)
    # Everything typed is still there, the bad value included.
    assert field_value(response, "description") == (
        value if field == "description" else form_data()["description"]
    )
    assert field_value(response, field) == value
    html = response.content.decode()
    assert "field--invalid" in html
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html


@pytest.mark.django_db
def test_trace_id_error_explains_where_to_find_it(client):
    response = submit(client, trace_id="trace_abc123def456")
    (error,) = errors_of(response, "trace_id")
    assert "X-Trace-ID" in error
    assert "“trace_abc123def456”" in error


@pytest.mark.django_db
def test_several_trace_ids_are_normalised(client):
    other = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = submit(
        client,
        trace_id=f" {TRACE_ID.upper()},\n00-{other}-00f067aa0ba902b7-01; {TRACE_ID} ",
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.trace_id_list == [TRACE_ID, other]


@pytest.mark.django_db
def test_optional_fields_may_stay_empty(client):
    response = submit(
        client,
        name="",
        trace_id="",
        error_code="",
        http_status="",
        environment="",
        endpoint="",
        envelope="",
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.error_code is None and ticket.http_status is None
    assert ticket.trace_ids == "" and ticket.environment == ""
    assert ticket.diagnosis is None


@pytest.mark.django_db
def test_unknown_code_is_accepted_with_a_note(client):
    response = submit(client, error_code="1999", envelope="")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Code 1999 is not in the catalogue" in page
    assert "1xxx" in page


@pytest.mark.django_db
def test_subject_is_kept_on_one_line(client):
    submit(client, subject="Rate limit\r\nBcc: victim@example.com")
    assert Ticket.objects.get().subject == "Rate limit Bcc: victim@example.com"


@pytest.mark.django_db
def test_typed_markup_is_escaped(client):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    invalid = submit(client, email="", description=evil, name=evil)
    assert b"<script>alert" not in invalid.content
    assert b"&lt;script&gt;" in invalid.content
    response = submit(client, description=evil, name=evil, subject=evil)
    page = client.get(response["Location"])
    assert b"<script>alert" not in page.content
    assert b"<img src=x" not in page.content


@pytest.mark.django_db
def test_missing_form_token_is_refused_with_a_fresh_one(client):
    response = submit(client, form_token="")
    assert response.status_code == 200
    assert Ticket.objects.count() == 0
    assert "could not be matched" in response.content.decode()
    fresh = field_value(response, "form_token")
    assert fresh and len(fresh) >= 32
    assert field_value(response, "email") == "dev@example.com"
    assert client.post(NEW, {**form_data(), "form_token": fresh}).status_code == 302


# --- Abuse --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post(NEW, form_data()).status_code == 403
    client.get(NEW)
    token = client.cookies["csrftoken"].value
    response = client.post(NEW, {**form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_pretends_success_and_stores_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, website="https://cheap-pills.example")
    assert response.status_code == 200
    assert "Request sent" in response.content.decode()
    assert re.search(r"LNQ-[A-Z0-9]{4}-[A-Z0-9]{4}", response.content.decode())
    assert Ticket.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_rate_limit_answers_429_and_keeps_the_input(client, settings):
    settings.SUPPORT_RATE_LIMIT = "2/10m"
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    response = submit(client, description="The third one.")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "several requests in a short time" in response.content.decode()
    assert field_value(response, "description") == "The third one."
    assert field_value(response, "email") == "dev@example.com"
    assert Ticket.objects.count() == 2
    # Another client has its own allowance.
    other = client.post(NEW, form_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.django_db
def test_rate_limit_counts_only_requests_that_would_be_stored(client, settings):
    settings.SUPPORT_RATE_LIMIT = "1/10m"
    for _ in range(3):
        assert submit(client, email="").status_code == 200
    assert submit(client).status_code == 302


@pytest.mark.django_db
def test_rate_limit_zero_turns_it_off(client, settings):
    settings.SUPPORT_RATE_LIMIT = "0"
    for _ in range(8):
        assert submit(client).status_code == 302
    assert Ticket.objects.count() == 8


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [
        ("5/10m", 5, 600),
        ("5/m", 5, 60),
        ("100/h", 100, 3600),
        ("10/30s", 10, 30),
        (" 3 / 2d ", 3, 172_800),
        ("0", 0, 1),
        ("", 0, 1),
    ],
)
def test_parse_rate(text, count, period):
    rate = ratelimit.parse_rate(text)
    assert (rate.count, rate.period) == (count, period)


@pytest.mark.parametrize("text", ["five", "5", "5/10", "5/10w", "5/0m", "-1/m"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError):
        ratelimit.parse_rate(text)


def test_rate_limit_window_resets():
    rate = ratelimit.Rate(2, 60)
    start = 1_800_000_000.0  # the start of a window
    assert ratelimit.hit("test", "c", rate, now=start).allowed
    assert ratelimit.hit("test", "c", rate, now=start + 1).allowed
    blocked = ratelimit.hit("test", "c", rate, now=start + 2)
    assert not blocked.allowed
    assert blocked.retry_after == 58
    assert ratelimit.hit("test", "c", rate, now=start + 60).allowed


def test_bad_rate_limit_setting_fails_the_system_check(settings):
    settings.SUPPORT_RATE_LIMIT = "lots"
    (error,) = check_rate_limit()
    assert error.id == "support.E001"
    settings.SUPPORT_RATE_LIMIT = "5/10m"
    assert check_rate_limit() == []


@pytest.mark.django_db
def test_body_past_the_size_limit_gets_413(client, settings):
    response = submit(client, envelope="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert response.status_code == 413
    assert "64 KiB" in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_double_submit_creates_one_ticket(client):
    data = form_data()
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_resubmission_does_not_count_against_the_rate_limit(client, settings):
    settings.SUPPORT_RATE_LIMIT = "1/10m"
    data = form_data()
    for _ in range(3):
        assert client.post(NEW, data).status_code == 302
    assert Ticket.objects.count() == 1


# --- Storage, secrets, confirmation -------------------------------------------------------------


@pytest.mark.django_db
def test_valid_submission_is_stored_and_redirects_to_an_unguessable_page(client):
    response = submit(client)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:done", args=[ticket.public_token])
    assert len(ticket.public_token) >= 32
    assert str(ticket.pk) not in response["Location"].split("/")
    assert ticket.status == Ticket.Status.NEW
    assert ticket.email == "dev@example.com" and ticket.name == "Ada Dev"
    assert ticket.environment == "production" and ticket.endpoint == "POST /v3/chats"
    assert ticket.envelope == ENVELOPE
    assert ticket.diagnosis is not None
    assert ticket.diagnosis["input_kind"] == "envelope"


def test_references_are_readable():
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    for reference in references:
        assert re.fullmatch(r"LNQ-[A-Z2-9]{4}-[A-Z2-9]{4}", reference)
        assert not set(reference[4:].replace("-", "")) - set(REFERENCE_ALPHABET)
        assert not set(reference[4:]) & set("01OIL")


@pytest.mark.django_db
def test_confirmation_page_shows_the_reference_and_what_was_sent(client):
    response = client.get(submit(client)["Location"])
    ticket = Ticket.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.reference in html
    for sent in (TRACE_ID, "dev@example.com", "Ada Dev", "POST /v3/chats", "We send one message"):
        assert sent in html
    assert 'href="/errors/1007/"' in html
    assert "Rate limit exceeded" in html
    assert response["Referrer-Policy"] == "same-origin"  # never sent to another site
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.django_db
def test_confirmation_page_of_an_unknown_token_is_404(client):
    submit(client)
    assert client.get(reverse("support:done", args=["not-a-token"])).status_code == 404
    assert client.get("/support/requests/1/").status_code == 404


@pytest.mark.django_db
def test_bearer_token_is_masked_in_database_page_and_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(
            client,
            envelope=CURL,
            description=f"We call it with Authorization: Bearer {SECRET} as documented.",
        )
    ticket = Ticket.objects.get()
    stored = json.dumps(
        [ticket.envelope, ticket.description, ticket.subject, ticket.endpoint, ticket.diagnosis]
    )
    assert SECRET not in stored
    assert "Authorization: Bearer" in ticket.envelope  # the header stays, its value does not
    assert ticket.secrets_masked >= 2
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert SECRET not in f"{message.subject}{message.body}"
    page = client.get(response["Location"]).content.decode()
    assert SECRET not in page
    assert "masked" in page


# --- Notifications ------------------------------------------------------------------------------


def use_mail_backend(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SupportOnlyBackend(BaseEmailBackend):
    """Delivers to the support address, fails for everyone else."""

    def send_messages(self, messages):
        for message in messages:
            if message.to != ["support@example.com"]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            mail.outbox.append(message)
        return len(messages)


@pytest.mark.django_db
def test_notifications_go_to_support_and_to_the_user(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "support@example.com"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(client)
    assert len(callbacks) == 1
    ticket = Ticket.objects.get()
    to_support, to_user = mail.outbox
    assert to_support.to == ["support@example.com"]
    assert to_support.reply_to == ["dev@example.com"]
    assert ticket.reference in to_support.subject
    for part in (TRACE_ID, "1007 Rate limit exceeded", "POST /v3/chats", '"retry_after": 30'):
        assert part in to_support.body
    assert f"?q={ticket.reference}" in to_support.body
    assert to_user.to == ["dev@example.com"]
    assert ticket.reference in to_user.subject and ticket.reference in to_user.body
    assert TRACE_ID in to_user.body
    # Nothing the sender typed is mailed to the (unverified) address.
    assert "We send one message" not in to_user.body
    assert ticket.subject not in to_user.subject
    assert ticket.support_notified_at and ticket.requester_notified_at
    assert ticket.notification_error == ""


@pytest.mark.django_db
def test_failing_mail_keeps_the_ticket_and_resend_sends_it(
    client, settings, django_capture_on_commit_callbacks
):
    use_mail_backend(settings, FailingBackend)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert ticket.support_notified_at is None and ticket.requester_notified_at is None
    assert "SMTPServerDisconnected" in ticket.notification_error

    with pytest.raises(CommandError):
        call_command("resend_notifications", "--min-age", "0", stdout=None, stderr=None)
    assert mail.outbox == []

    use_mail_backend(settings, locmem.EmailBackend)
    call_command("resend_notifications", "--min-age", "0")
    assert len(mail.outbox) == 2
    ticket.refresh_from_db()
    assert ticket.support_notified_at and ticket.requester_notified_at
    assert ticket.notification_error == ""
    call_command("resend_notifications", "--min-age", "0")
    assert len(mail.outbox) == 2  # nothing is sent twice


@pytest.mark.django_db
def test_resend_sends_only_the_message_that_failed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_EMAIL = "support@example.com"
    use_mail_backend(settings, SupportOnlyBackend)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client)
    ticket = Ticket.objects.get()
    assert ticket.support_notified_at is not None
    assert ticket.requester_notified_at is None
    assert "requester e-mail: SMTPRecipientsRefused" in ticket.notification_error
    assert len(mail.outbox) == 1

    use_mail_backend(settings, locmem.EmailBackend)
    call_command("resend_notifications", "--min-age", "0")
    assert [m.to for m in mail.outbox] == [["support@example.com"], ["dev@example.com"]]


@pytest.mark.django_db
def test_resend_leaves_fresh_tickets_to_their_request(client, settings):
    use_mail_backend(settings, FailingBackend)
    submit(client)  # its on-commit callback never ran: as if the request were still sending
    use_mail_backend(settings, locmem.EmailBackend)
    call_command("resend_notifications")  # default --min-age 60
    assert mail.outbox == []
    call_command("resend_notifications", "--min-age", "0")
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_only_get_head_and_post(client):
    assert client.head(NEW).status_code == 200
    assert client.put(NEW).status_code == 405
    location = submit(client)["Location"]
    assert client.head(location).status_code == 200
    assert client.put(location).status_code == 405
    assert client.delete(location).status_code == 405
    # POST is the developer's answer (tests/support/test_desk.py); an empty one is refused.
    empty = client.post(location)
    assert empty.status_code == 200
    assert "Write your answer before sending it." in empty.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "crumbs"),
    [
        (
            {"code": "1007"},
            ['<a href="/errors/">Error codes</a>', '<a href="/errors/1007/">1007</a>'],
        ),
        ({"code": "1007", "from": "diagnosis"}, ['<a href="/diagnose/">Diagnose</a>']),
        ({}, []),
    ],
)
def test_the_breadcrumb_leads_back_the_way_the_person_came(client, query, crumbs):
    page = client.get(NEW, query).content.decode()
    breadcrumb = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">(.*?)</nav>', page)
    assert breadcrumb is not None
    assert breadcrumb[1].endswith("Support request")
    for crumb in crumbs:
        assert crumb in breadcrumb[1]
    if not crumbs:
        assert "<a " not in breadcrumb[1]


@pytest.mark.django_db
def test_search_engines_may_index_the_plain_form_but_no_prefilled_copy_or_request(client):
    robots = RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())
    assert robots.can_fetch("*", "/support/new/")
    assert not robots.can_fetch("*", "/support/requests/abcdef/")
    assert not robots.can_fetch("*", "/admin/")
    plain = client.get(NEW).content.decode()
    assert 'name="robots"' not in plain
    prefilled = client.get(NEW, {"code": "2004", "trace_id": TRACE_ID, "status": "401"})
    assert '<meta name="robots" content="noindex">' in prefilled.content.decode()
