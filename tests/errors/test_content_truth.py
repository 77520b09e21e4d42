"""Claims the content makes that can be checked: the code a page shows does what the text says."""

import base64
import hashlib
import hmac
import re
import time

import pytest

from errors.loading import get_catalogue
from tests.conftest import entry_for


def python_blocks(markdown_source: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown_source, re.DOTALL)


@pytest.fixture
def webhook_code() -> dict:
    namespace: dict = {}
    for block in python_blocks(get_catalogue().guides["webhooks"].source):
        exec(block, namespace)  # repository content, trusted like code
    return namespace


SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
BODY = b'{"event_id": "evt_1", "type": "message.failed", "data": {"code": 4001}}'


def standard_headers(msg_id: str = "msg_1", timestamp: int | None = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + BODY
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": f"v1,bm90IHRoaXMgb25l v1,{signature}",
    }


def test_the_webhook_handler_verifies_the_standard_headers(webhook_code):
    handle = webhook_code["handle_delivery"]
    seen: set[str] = set()
    queue: list[bytes] = []
    assert handle(standard_headers(), BODY, SECRET, seen, queue) == 200
    assert queue == [BODY]
    # A redelivery of the same id is acknowledged and not queued twice.
    assert handle(standard_headers(), BODY, SECRET, seen, queue) == 200
    assert queue == [BODY]
    # A changed body no longer matches the signature.
    assert handle(standard_headers("msg_2"), BODY + b" ", SECRET, seen, queue) == 401


def test_the_webhook_handler_rejects_replays_and_unsigned_deliveries(webhook_code):
    handle = webhook_code["handle_delivery"]
    seen: set[str] = set()
    queue: list[bytes] = []
    old = standard_headers("msg_3", timestamp=int(time.time()) - 3600)
    assert handle(old, BODY, SECRET, seen, queue) == 400
    missing_id = {k: v for k, v in standard_headers().items() if k != "Webhook-Id"}
    assert handle(missing_id, BODY, SECRET, seen, queue) == 400
    # Nothing was stored: a later delivery without an id is not mistaken for a duplicate.
    assert seen == set() and queue == []


def test_the_legacy_signature_is_keyed_with_the_secret_as_given(webhook_code):
    check = webhook_code["legacy_signature_ok"]
    timestamp = "1767225600"
    signed = timestamp.encode() + b"." + BODY
    right = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    decoded_key = base64.b64decode(SECRET.removeprefix("whsec_"))
    wrong = hmac.new(decoded_key, signed, hashlib.sha256).hexdigest()
    assert check(SECRET, timestamp, BODY, right)
    assert not check(SECRET, timestamp, BODY, wrong)


def test_the_python_sdk_is_named_by_its_real_package():
    source = get_catalogue().guides["authentication"].source
    assert "pip install linq-python" in source
    # The only bare "pip install linq" is the warning against it.
    assert not re.search(
        r"pip install linq(?![-\w])", source.replace("never `pip install linq`", "")
    )
    assert "`linq` |" not in source


def test_4005_arrives_as_a_message_failed_webhook():
    entry = entry_for(4005)
    assert "message.failed" in entry.guidance_source
    assert entry.reported_by == "webhook" and entry.sdk_error is None
    assert "UnprocessableEntityError" not in entry.guidance_source


def test_4001_gives_one_answer_for_a_failed_message_event():
    catalogue = get_catalogue()
    webhooks = catalogue.guides["webhooks"].source
    assert "new\n`idempotency_key`" in webhooks or "new `idempotency_key`" in webhooks
    assert "worth a resend with the same" not in webhooks
    assert "Send a new\n   message with a new key" in entry_for(4001).guidance_source


def test_no_page_calls_the_legacy_api_retired():
    catalogue = get_catalogue()
    texts = [e.guidance_source for e in catalogue.codes] + [
        g.source for g in catalogue.guides.values()
    ]
    assert not any("retired V2" in text for text in texts)


def test_unconfirmed_messages_say_so(client):
    for code in (1008, 2016, 2017, 2019, 2021, 2022):
        assert not entry_for(code).message_confirmed
        assert "Wording not confirmed" in client.get(f"/errors/{code}/").content.decode()
    assert "Wording not confirmed" not in client.get("/errors/2004/").content.decode()


def test_the_site_says_its_own_waits_are_its_own():
    for code in (2007, 2009, 2022):
        assert "this site uses 3 seconds" in entry_for(code).guidance_source


def test_2012_explains_inactive_cards():
    assert "is_active" in entry_for(2012).guidance_source


def test_category_headers_name_the_codes_that_differ(client):
    page = client.get("/errors/").content.decode()
    assert "Retry? No" not in page
    assert re.search(
        r'Retry by default: No — fix the request; except <a href="/errors/1007/">1007</a> \(yes\)',
        page,
    )
    assert "Retry: yes" in page and "don't retry" not in page
