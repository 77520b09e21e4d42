"""Snippets that act on webhook events as well as calls (app cards and their updates): run in each
language against the local fake Linq API, with the event given on stdin as a verified handler would.
"""

import hashlib
import json

import pytest

from tests.errors.snippet_calls import LANGUAGES, body, calls, runnable
from tests.errors.test_snippets import envelope, run, snippet
from tests.fake_linq import FakeLinq

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
