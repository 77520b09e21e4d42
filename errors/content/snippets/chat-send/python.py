# Send into an existing chat by its ID, and tell the "no such chat" answers apart. An ID that is
# not a UUID is caught before any call; 2001 (a chat this token does not have) is checked against
# GET /v3/chats and reported; 2013 (a chat your line has left) is final, so the chat is marked
# closed and a new one is started with POST /v3/chats. Neither is retried.
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
CHAT_ID = os.environ.get("CHAT_ID", "3b6c8e0a-0000-4000-8000-0000000000c1")  # as Linq returned it
CLOSED = Path("closed-chats.txt")  # chats this program found closed (2013), one ID a line
FROM, TO = "+12223334444", "+15556667777"  # your line and the person the chat is with
TEXT = "Your order has shipped."  # no link: a new chat's first message may not have one (1005)


def call(method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
    request = urllib.request.Request(
        BASE_URL + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, None


def error_code(payload: dict | None) -> int | None:
    error = (payload or {}).get("error") if isinstance(payload, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def message() -> dict:
    parts = [{"type": "text", "value": TEXT}]
    return {"parts": parts, "idempotency_key": str(uuid.uuid4())}


def start_new_chat() -> None:
    status, payload = call("POST", "/v3/chats", {"from": FROM, "to": [TO], "message": message()})
    if status >= 400:
        sys.exit(f"no new chat: {error_code(payload)}, trace_id {(payload or {}).get('trace_id')}")
    print(json.dumps(payload))  # store the new chat's ID from this answer, exactly as returned


try:
    uuid.UUID(CHAT_ID)
except ValueError:
    sys.exit(f"not sent: {CHAT_ID!r} is not a Linq chat ID (a UUID from POST or GET /v3/chats)")
closed = set(CLOSED.read_text().split()) if CLOSED.exists() else set()
if CHAT_ID in closed:
    print(f"chat {CHAT_ID} was left earlier (2013): starting a new chat")
    start_new_chat()
    sys.exit()

status, payload = call("POST", f"/v3/chats/{CHAT_ID}/messages", {"message": message()})
code, trace_id = error_code(payload), (payload or {}).get("trace_id")
if code == 2013:
    with CLOSED.open("a") as file:
        file.write(CHAT_ID + "\n")  # final: nothing more is sent into this chat
    print(f"chat {CHAT_ID} is closed to your line (2013, trace_id {trace_id}): starting a new chat")
    start_new_chat()
elif code == 2001:
    listed_status, chats = call("GET", "/v3/chats")
    if listed_status < 400 and CHAT_ID in json.dumps(chats):
        sys.exit(f"2001 (trace_id {trace_id}) for a chat this token lists: check the path called")
    sys.exit(
        f"chat {CHAT_ID} is not among this token's chats (2001, trace_id {trace_id}): use "
        "the ID from POST or GET /v3/chats, with the token that created the chat"
    )
elif status >= 400:
    sys.exit(f"not sent: {code}, trace_id {trace_id}")
else:
    print(json.dumps(payload))
