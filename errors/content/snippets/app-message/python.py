# Send an iMessage app card only where it can arrive, and fall back to plain text where it cannot.
#   python app_message.py          check the recipient (cached 10 min), send the card without
#                                  preferred_service (2018), or plain text if not on iMessage
#   python app_message.py failed   give it a verified webhook event on stdin: on a message.failed
#                                  with code 4005, send the text instead, once, to that recipient
import hashlib
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from os import environ
from pathlib import Path

BASE_URL = environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = environ["LINQ_API_V3_API_KEY"]
FROM, TO = "+12223334444", "+15556667777"
TEXT = "Your order has shipped."  # what the card says, as plain text for everyone else
APP_PART = Path("app-part.json")  # your app part, built as Linq's API reference describes it
CAPABLE = Path("imessage-capable.json")  # address -> [available, checked at]
SENT = Path("app-sends.json")  # trace_id of each card sent -> who it went to
CACHE_SECONDS = 600  # the check allows one call every 10 s: keep answers for minutes


def call(method: str, path: str, body: dict) -> tuple[int, dict | None, str]:
    request = urllib.request.Request(
        BASE_URL + path,
        method=method,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = json.loads(response.read() or b"null")
            return response.status, payload, response.headers.get("X-Trace-ID", "")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read()), error.headers.get("X-Trace-ID", "")
        except ValueError:
            return error.code, None, error.headers.get("X-Trace-ID", "")


def load(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def first(value: object, key: str) -> object:
    """The first value of `key` anywhere in an event, whatever its layout."""
    if isinstance(value, dict):
        if key in value:
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        return next((f for f in (first(v, key) for v in value) if f is not None), None)
    return None


def send(parts: list, to: str, key: str) -> tuple[int, dict | None, str]:
    message = {"parts": parts, "idempotency_key": key}
    return call("POST", "/v3/chats", {"from": FROM, "to": [to], "message": message})


def send_text(to: str, key: str) -> None:
    status, payload, trace_id = send([{"type": "text", "value": TEXT}], to, key)
    if status >= 400:
        sys.exit(f"text not sent: {(payload or {}).get('error')}, trace_id {trace_id}")
    print(f"sent as text to {to}")


def on_imessage(address: str) -> bool:
    capable = load(CAPABLE)
    if address in capable and time.time() - capable[address][1] < CACHE_SECONDS:
        return capable[address][0]
    status, payload, _ = call(
        "POST", "/v3/capability/check_imessage", {"address": address, "from": FROM}
    )
    if status >= 400:  # a 1007 here means checking too often: send text, do not ask again now
        return False
    capable[address] = [bool((payload or {}).get("available")), time.time()]
    CAPABLE.write_text(json.dumps(capable))
    return capable[address][0]


if sys.argv[1:] == ["failed"]:
    event = json.load(sys.stdin)  # verify the signature first (see the webhooks guide)
    if first(event, "code") != 4005:
        sys.exit()
    sent = load(SENT)
    card = sent.pop(str(first(event, "trace_id")), None)
    if card is None:
        sys.exit()  # not a card sent from here, or already handled (events can repeat)
    CAPABLE.write_text(json.dumps(load(CAPABLE) | {card["to"]: [False, time.time()]}))
    # One key per failed card: a repeated event cannot send the text twice.
    send_text(card["to"], hashlib.sha256(f"text for {card['trace_id']}".encode()).hexdigest())
    SENT.write_text(json.dumps(sent))
elif on_imessage(TO):
    # No preferred_service: app cards go over iMessage only (asking for SMS or RCS is 2018).
    status, payload, trace_id = send([json.loads(APP_PART.read_text())], TO, str(uuid.uuid4()))
    if ((payload or {}).get("error") or {}).get("code") == 2018:
        send_text(TO, str(uuid.uuid4()))
    elif status >= 400:
        sys.exit(f"card not sent: {(payload or {}).get('error')}, trace_id {trace_id}")
    else:
        SENT.write_text(json.dumps(load(SENT) | {trace_id: {"to": TO, "trace_id": trace_id}}))
        print(f"card sent to {TO}, trace_id {trace_id}")
else:
    send_text(TO, str(uuid.uuid4()))
