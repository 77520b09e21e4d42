# Update an iMessage app card only once it has been delivered. Linq refuses the update of a card
# that is not delivered yet with 409 (this site reads it as 2015); repeating it at once meets the
# same state, so the update is held and sent when the card's message.delivered event arrives.
#   python card_update.py <message id>   send the update in card-update.json, or hold it
#   python card_update.py delivered      give it a verified message.delivered event on stdin:
#                                        sends the updates held for that message, once
import json
import sys
import urllib.error
import urllib.request
from os import environ
from pathlib import Path

BASE_URL = environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = environ["LINQ_API_V3_API_KEY"]
UPDATE = Path("card-update.json")  # the update, built as Linq's API reference describes it
HELD = Path("held-updates.json")  # message id -> update waiting for the card's delivery


def update(message_id: str, body: dict) -> tuple[int, int | None, str | None]:
    request = urllib.request.Request(
        f"{BASE_URL}/v3/messages/{message_id}/update",
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, None, None
    except urllib.error.HTTPError as error:
        try:
            payload = json.loads(error.read())
        except ValueError:
            payload = {}
        return error.code, (payload.get("error") or {}).get("code"), payload.get("trace_id")


def strings_in(value: object) -> set[str]:
    """Every string in an event, whatever its layout (the message's id is one of them)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*(strings_in(item) for item in value))
    return {value} if isinstance(value, str) else set()


def try_update(message_id: str, body: dict, held: dict) -> None:
    status, code, trace_id = update(message_id, body)
    if status == 409 and code in (2015, None):  # not delivered yet: wait for the event
        held[message_id] = body
        print(f"update of {message_id} held until its message.delivered event")
    elif status >= 400:
        sys.exit(f"update of {message_id} refused: {code or status}, trace_id {trace_id}")
    else:
        held.pop(message_id, None)
        print(f"updated {message_id}")


held = json.loads(HELD.read_text()) if HELD.exists() else {}
if sys.argv[1:] == ["delivered"]:
    delivered = strings_in(json.load(sys.stdin))  # verify the signature first (webhooks guide)
    for message_id in [m for m in held if m in delivered]:
        try_update(message_id, held.pop(message_id), held)
else:
    try_update(sys.argv[1], json.loads(UPDATE.read_text()), held)
HELD.write_text(json.dumps(held))
