"""Snippets whose fix is a look-up before or after the call (lines, token, chats, webhook
subscriptions): each language is run against the local fake Linq API, and the suite checks the calls
made and what the program does with the answer (stops and reports instead of repeating a call that
cannot succeed).
"""

import pytest

from tests.errors.snippet_calls import LANGUAGES, body, calls, runnable
from tests.errors.test_snippets import envelope, run, snippet, snippet_set
from tests.fake_linq import FakeLinq

LINE_ID = "7c1c3f0e-0000-4000-8000-000000000001"


# The sets whose behaviour the snippet tests check, and every code that shows each of them.
SETS = {
    "check-token": [2004],
    "phone-lines": [2006, 2019, 4002],
    "chat-send": [2001, 2013],
    "webhook-subscription": [2010],
    "app-message": [2018, 4005],
    "card-update": [2015],
    "media-url": [5002, 5004, 5006, 5007],
}


@pytest.mark.parametrize(("name", "codes"), SETS.items())
def test_each_code_shows_its_set(name, codes):
    assert [snippet_set(code).name for code in codes] == [name] * len(codes)


def line(number: str, status: str, n: int = 1) -> dict:
    return {
        "id": f"7c1c3f0e-0000-4000-8000-00000000000{n}",
        "phone_number": number,
        "status": status,
    }


# --- phone-lines: 2006, 2019, 4002 ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_line_snippet_lists_the_lines_then_sends_from_the_line(language, tmp_path):
    runnable(language)
    code = 2019  # 2006 and 4002 show the same set; their refusals are tested below
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
