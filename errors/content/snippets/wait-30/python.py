# Repeat a request that Linq answered with 4004 (service unavailable).
# Wait 30 s between attempts, at most 3 attempts, no wait after the last one.
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
WAIT = 30  # seconds
ATTEMPTS = 3
NOT_YET = {4004}


def call(method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict | None]:
    request = urllib.request.Request(
        BASE_URL + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, dict(error.headers), json.loads(error.read())
        except ValueError:
            return error.code, dict(error.headers), None


def error_code(payload: dict | None) -> int | None:
    error = (payload or {}).get("error")
    return error.get("code") if isinstance(error, dict) else None


def send(body: dict) -> tuple[int, dict | None]:
    for attempt in range(ATTEMPTS):
        status, _, payload = call("POST", "/v3/chats", body)
        if error_code(payload) not in NOT_YET or attempt == ATTEMPTS - 1:
            return status, payload  # done, another error, or the last attempt
        time.sleep(WAIT)
    return status, payload


message = {
    "parts": [{"type": "text", "value": "Your order has shipped."}],
    "idempotency_key": str(uuid.uuid4()),  # the same key on every attempt: never sent twice
}
body = {"from": "+12223334444", "to": ["+15556667777"], "message": message}
status, payload = send(body)
if status >= 400:
    sys.exit(f"not sent: {error_code(payload)}, trace_id {(payload or {}).get('trace_id')}")
print(json.dumps(payload))
