"""Snippets whose fix is a look-up before or after the call: each language is run against the
local fake Linq API, and the suite checks the calls made and what the program does with the
answer (stops and reports instead of repeating a call that cannot succeed).
"""

import hashlib
import json
import shutil

import pytest

from tests.errors.test_snippets import envelope, languages, run, snippet
from tests.fake_linq import FakeLinq

LANGUAGES = ["python", "javascript", "curl"]
LINE_ID = "7c1c3f0e-0000-4000-8000-000000000001"


def runnable(language: str) -> None:
    if language not in languages():
        pytest.skip("node is not installed")
    if language == "curl" and not shutil.which("jq"):
        pytest.skip("jq is not installed")


def line(number: str, status: str, n: int = 1) -> dict:
    return {
        "id": f"7c1c3f0e-0000-4000-8000-00000000000{n}",
        "phone_number": number,
        "status": status,
    }


def calls(fake: FakeLinq) -> list[tuple[str, str]]:
    return [(seen.method, seen.path) for seen in fake.requests]


def body(fake: FakeLinq, index: int) -> dict:
    sent = fake.requests[index].body
    assert sent is not None
    return sent


# --- phone-lines: 2006, 2019, 4002 ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", [2006, 2019, 4002])
def test_the_line_snippet_lists_the_lines_then_sends_from_the_line(code, language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(code), failures=0)
    done, sleeps = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [("GET", "/v3/phone_numbers"), ("POST", "/v3/chats")]
    assert f"+12223334444 is line id {LINE_ID}" in done.stdout  # the id 2019 asks for
    sent = body(fake, 1)
    assert sent["from"] == "+12223334444" and sent["to"] == ["+15556667777"]
    assert sent["message"]["idempotency_key"]
    assert sleeps == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_line_snippet_stops_before_sending_from_a_number_not_on_the_account(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2006), failures=0, lines=[line("+13334445555", "ACTIVE")])
    done, _ = run(language, snippet(2006, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [("GET", "/v3/phone_numbers")]  # no send that would answer 2006
    assert "not a line of this token (2006)" in done.stderr
    assert "+13334445555" in done.stderr  # the lines it may use instead


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_line_snippet_sends_from_an_active_line_while_its_own_is_flagged(language, tmp_path):
    runnable(language)
    lines = [line("+12223334444", "FLAGGED"), line("+12223335555", "ACTIVE", 2)]
    fake = FakeLinq(envelope(4002), failures=0, lines=lines)
    done, _ = run(language, snippet(4002, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [("GET", "/v3/phone_numbers"), ("POST", "/v3/chats")]
    assert body(fake, 1)["from"] == "+12223335555"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_line_snippet_holds_the_message_when_every_line_is_flagged(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(4002), failures=0, lines=[line("+12223334444", "FLAGGED")])
    done, _ = run(language, snippet(4002, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [("GET", "/v3/phone_numbers")]
    assert "FLAGGED (4002)" in done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", [2006, 4002])
def test_the_line_snippet_reports_a_refused_send_without_repeating_it(code, language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(code), failures=1, fail_method="POST")
    done, sleeps = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [("GET", "/v3/phone_numbers"), ("POST", "/v3/chats")]
    assert str(code) in done.stderr and envelope(code)["trace_id"] in done.stderr
    assert sleeps == []


# --- check-token: 2004 ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_token_snippet_reports_a_refused_token_once_and_masked(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2004), failures=1000)
    done, sleeps = run(language, snippet(2004, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [("GET", "/v3/phone_numbers")]  # one read, no retry
    assert fake.requests[0].headers["Authorization"] == "Bearer test-key"
    assert "refused (2004" in done.stderr and envelope(2004)["trace_id"] in done.stderr
    assert "do not retry" in done.stderr
    assert "…-key" in done.stderr and "test-key" not in done.stdout + done.stderr
    assert sleeps == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_token_snippet_confirms_a_working_token(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2004), failures=0)
    done, _ = run(language, snippet(2004, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert "token …-key accepted" in done.stdout


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("", "empty or not set"),
        ("Bearer test-key", "already starts with 'Bearer'"),
        ("test-key\n", "white space"),
        ('"test-key"', "wrapped in quotes"),
    ],
)
def test_the_token_snippet_names_a_malformed_token_without_sending_it(
    token, problem, language, tmp_path
):
    runnable(language)
    fake = FakeLinq(envelope(2004), failures=0)
    done, _ = run(
        language, snippet(2004, language), tmp_path, fake, env_extra={"LINQ_API_V3_API_KEY": token}
    )
    assert done.returncode != 0
    assert fake.requests == []
    assert "token not sent" in done.stderr and problem in done.stderr


# --- chat-send: 2001, 2013 -----------------------------------------------------------------------

CHAT_ID = "3b6c8e0a-0000-4000-8000-0000000000c1"
MESSAGES = ("POST", f"/v3/chats/{CHAT_ID}/messages")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", [2001, 2013])
def test_the_chat_snippet_sends_into_the_chat(code, language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(code), failures=0)
    done, _ = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [MESSAGES]
    assert body(fake, 0)["message"]["parts"] == [
        {"type": "text", "value": "Your order has shipped."}
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chat_snippet_refuses_an_id_that_is_not_a_uuid_without_a_call(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2001), failures=0)
    chat = {"CHAT_ID": "+14155551234"}
    done, _ = run(language, snippet(2001, language), tmp_path, fake, env_extra=chat)
    assert done.returncode != 0
    assert fake.requests == []
    assert "is not a Linq chat ID" in done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("listed", "says"),
    [([], "is not among this token's chats (2001"), ([CHAT_ID], "for a chat this token lists")],
)
def test_the_chat_snippet_checks_a_2001_against_the_token_s_chats(listed, says, language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2001), failures=1, fail_method="POST", chats=listed)
    done, sleeps = run(language, snippet(2001, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [MESSAGES, ("GET", "/v3/chats")]  # never the send again
    assert says in done.stderr and envelope(2001)["trace_id"] in done.stderr
    assert sleeps == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chat_snippet_starts_a_new_chat_after_2013_and_never_uses_the_old_one_again(
    language, tmp_path
):
    runnable(language)
    fake = FakeLinq(envelope(2013), failures=1, fail_path=MESSAGES[1])
    done, _ = run(language, snippet(2013, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [MESSAGES, ("POST", "/v3/chats")]
    new_chat = body(fake, 1)
    assert new_chat["from"] == "+12223334444" and new_chat["to"] == ["+15556667777"]
    assert "http" not in new_chat["message"]["parts"][0]["value"]  # no link in a first message
    assert (tmp_path / "closed-chats.txt").read_text().split() == [CHAT_ID]

    again = FakeLinq(envelope(2013), failures=0)
    done, _ = run(language, snippet(2013, language), tmp_path, again)
    assert done.returncode == 0, done.stderr
    assert calls(again) == [("POST", "/v3/chats")]  # the closed chat is not tried again


# --- webhook-subscription: 2010 ------------------------------------------------------------------

TARGET = "https://example.com/linq/webhooks"
SUBSCRIPTIONS = ("GET", "/v3/webhook-subscriptions")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_subscription_snippet_finds_the_id_by_target_url(language, tmp_path):
    runnable(language)
    subscriptions = [
        {"id": "11111111-0000-4000-8000-000000000001", "target_url": "https://other.example/"},
        {"id": "11111111-0000-4000-8000-000000000002", "target_url": TARGET},
    ]
    fake = FakeLinq(envelope(2010), failures=0, subscriptions=subscriptions)
    done, _ = run(language, snippet(2010, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [SUBSCRIPTIONS]
    assert done.stdout.strip() == "11111111-0000-4000-8000-000000000002"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_subscription_snippet_creates_a_missing_one_and_keeps_its_secret_private(
    language, tmp_path
):
    runnable(language)
    fake = FakeLinq(envelope(2010), failures=0)
    done, _ = run(language, snippet(2010, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [SUBSCRIPTIONS, ("POST", "/v3/webhook-subscriptions")]
    assert body(fake, 1) == {
        "target_url": TARGET,
        "subscribed_events": [
            "message.sent",
            "message.delivered",
            "message.read",
            "message.failed",
        ],
    }
    assert done.stdout.strip() == "5b0e9c1d-0000-4000-8000-0000000000aa"
    saved = tmp_path / "webhook-subscription.json"
    assert "whsec_c2VjcmV0" in saved.read_text()
    assert saved.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert "whsec_" not in done.stdout + done.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_subscription_snippet_reports_a_refused_listing(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2004), failures=1)
    done, _ = run(language, snippet(2010, language), tmp_path, fake)
    assert done.returncode != 0
    assert calls(fake) == [SUBSCRIPTIONS]
    assert "could not list the subscriptions: 2004" in done.stderr


# --- app-message: 2018, 4005 ---------------------------------------------------------------------

APP_PART = {"type": "imessage_app", "note": "built by the developer, passed through unchanged"}
CHECK = ("POST", "/v3/capability/check_imessage")
SEND = ("POST", "/v3/chats")
TEXT_PART = {"type": "text", "value": "Your order has shipped."}


def app_run(language: str, tmp_path, fake: FakeLinq, **kwargs):
    (tmp_path / "app-part.json").write_text(json.dumps(APP_PART))
    return run(language, snippet(2018, language), tmp_path, fake, **kwargs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_app_snippet_checks_imessage_then_sends_the_card_without_preferred_service(
    language, tmp_path
):
    runnable(language)
    fake = FakeLinq(envelope(2018), failures=0, available=True)
    done, _ = app_run(language, tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [CHECK, SEND]
    assert body(fake, 0) == {"address": "+15556667777", "from": "+12223334444"}
    sent = body(fake, 1)
    assert sent["message"]["parts"] == [APP_PART] and sent["to"] == ["+15556667777"]
    assert "preferred_service" not in json.dumps(sent)
    record = json.loads((tmp_path / "app-sends.json").read_text())
    assert list(record) == [f"{2:032x}"]  # the send's trace id, which message.failed repeats

    # The capability answer is reused for minutes: the next card needs no check.
    again = FakeLinq(envelope(2018), failures=0, available=True)
    done, _ = app_run(language, tmp_path, again)
    assert done.returncode == 0, done.stderr
    assert calls(again) == [SEND]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_app_snippet_sends_text_to_a_recipient_without_imessage(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2018), failures=0, available=False)
    done, _ = app_run(language, tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [CHECK, SEND]
    assert body(fake, 1)["message"]["parts"] == [TEXT_PART]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_app_snippet_sends_text_instead_when_the_card_gets_2018(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2018), failures=1, fail_path="/v3/chats", available=True)
    done, sleeps = app_run(language, tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [CHECK, SEND, SEND]  # the card once, then the text: no retry of the card
    assert body(fake, 2)["message"]["parts"] == [TEXT_PART]
    assert sleeps == []


def failed_event(code: int, trace_id: str) -> str:
    # The fields the facts name (event_id, trace_id, code); the nesting is this test's own.
    return json.dumps(
        {"event_id": "evt-1", "data": {"trace_id": trace_id, "error": {"code": code}}}
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_app_snippet_answers_a_4005_event_with_text_once(language, tmp_path):
    runnable(language)
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    (tmp_path / "app-sends.json").write_text(
        json.dumps({trace: {"to": "+15550001111", "trace_id": trace}})
    )
    fake = FakeLinq(envelope(4005), failures=0)
    done, _ = app_run(language, tmp_path, fake, stdin=failed_event(4005, trace), args=("failed",))
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [SEND]
    sent = body(fake, 0)
    assert sent["to"] == ["+15550001111"] and sent["message"]["parts"] == [TEXT_PART]
    key = sent["message"]["idempotency_key"]
    assert key == hashlib.sha256(f"text for {trace}".encode()).hexdigest()
    capable = json.loads((tmp_path / "imessage-capable.json").read_text())
    assert capable["+15550001111"][0] is False  # no more cards to this recipient for now

    # At-least-once delivery: the same event again sends nothing.
    again = FakeLinq(envelope(4005), failures=0)
    done, _ = app_run(language, tmp_path, again, stdin=failed_event(4005, trace), args=("failed",))
    assert done.returncode == 0, done.stderr
    assert again.requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_app_snippet_leaves_other_failures_alone(language, tmp_path):
    runnable(language)
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    (tmp_path / "app-sends.json").write_text(
        json.dumps({trace: {"to": "+15550001111", "trace_id": trace}})
    )
    fake = FakeLinq(envelope(4005), failures=0)
    done, _ = app_run(language, tmp_path, fake, stdin=failed_event(4001, trace), args=("failed",))
    assert done.returncode == 0, done.stderr
    assert fake.requests == []


# --- card-update: 2015 ---------------------------------------------------------------------------

MESSAGE_ID = "9d7b1c2e-0000-4000-8000-0000000000d1"
UPDATE_CALL = ("POST", f"/v3/messages/{MESSAGE_ID}/update")
CARD_UPDATE = {"note": "built by the developer, passed through unchanged"}


def card_run(language: str, tmp_path, fake: FakeLinq, *args: str, stdin: str = ""):
    (tmp_path / "card-update.json").write_text(json.dumps(CARD_UPDATE))
    return run(language, snippet(2015, language), tmp_path, fake, stdin=stdin, args=args)


def held(tmp_path) -> dict:
    path = tmp_path / "held-updates.json"
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_update_snippet_updates_a_delivered_card(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2015), failures=0)
    done, _ = card_run(language, tmp_path, fake, MESSAGE_ID)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [UPDATE_CALL]
    assert body(fake, 0) == CARD_UPDATE
    assert held(tmp_path) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_update_snippet_holds_a_2015_until_the_card_is_delivered(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2015), failures=1)
    done, sleeps = card_run(language, tmp_path, fake, MESSAGE_ID)
    assert done.returncode == 0, done.stderr
    assert calls(fake) == [UPDATE_CALL] and sleeps == []  # not repeated at once, no timer
    assert held(tmp_path) == {MESSAGE_ID: CARD_UPDATE}

    # An event about another message sends nothing.
    other = FakeLinq(envelope(2015), failures=0)
    event = json.dumps({"data": {"id": "0c0c0c0c-0000-4000-8000-000000000000"}})
    done, _ = card_run(language, tmp_path, other, "delivered", stdin=event)
    assert done.returncode == 0, done.stderr
    assert other.requests == [] and held(tmp_path) == {MESSAGE_ID: CARD_UPDATE}

    # The card's message.delivered event: the held update is sent, once.
    delivered = FakeLinq(envelope(2015), failures=0)
    event = json.dumps({"event_id": "evt-9", "data": {"message": {"id": MESSAGE_ID}}})
    done, _ = card_run(language, tmp_path, delivered, "delivered", stdin=event)
    assert done.returncode == 0, done.stderr
    assert calls(delivered) == [UPDATE_CALL] and body(delivered, 0) == CARD_UPDATE
    assert held(tmp_path) == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_update_snippet_reports_a_refusal_that_waiting_cannot_fix(language, tmp_path):
    runnable(language)
    fake = FakeLinq(envelope(2002), failures=1)
    done, _ = card_run(language, tmp_path, fake, MESSAGE_ID)
    assert done.returncode != 0
    assert calls(fake) == [UPDATE_CALL]
    assert "refused: 2002" in done.stderr and envelope(2002)["trace_id"] in done.stderr
    assert held(tmp_path) == {}
