# Send a message, retrying Linq's transient 5xx errors with exponential backoff:
# waits of 1, 2, 4, 8, 16 and 30 s, never more than 30, no wait after the last attempt.
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
SCHEDULE = (1, 2, 4, 8, 16, 30)  # seconds between attempts
TRANSIENT = {3001, 3002, 3003, 3004, 3005, 3006, 4001, 5001, 5003}


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
    error = (payload or {}).get("error")
    return error.get("code") if isinstance(error, dict) else None


def send_with_backoff(body: dict) -> tuple[int, dict | None]:
    for attempt in range(len(SCHEDULE) + 1):
        status, payload = call("POST", "/v3/chats", body)
        if error_code(payload) not in TRANSIENT or attempt == len(SCHEDULE):
            return status, payload  # done, not transient, or the last attempt: no more waiting
        delay = SCHEDULE[attempt]
        time.sleep(random.uniform(delay / 2, delay))  # jitter that stays under the cap
    return status, payload


message = {
    "parts": [{"type": "text", "value": "Your order has shipped."}],
    "idempotency_key": str(uuid.uuid4()),  # the same key on every attempt: never sent twice
}
status, payload = send_with_backoff(
    {"from": "+12223334444", "to": ["+15556667777"], "message": message}
)
if status >= 400:
    # Still failing after the whole schedule: report it with the trace id.
    sys.exit(f"gave up with {error_code(payload)}, trace_id {(payload or {}).get('trace_id')}")
print(json.dumps(payload))
