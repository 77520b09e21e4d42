# Send a message and, on 429 (1007), wait what the response says before the next attempt:
# the Retry-After header, else error.retry_after, else a capped backoff. No wait after the last try.
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
ATTEMPTS = 4
MAX_WAIT = 60  # seconds; a longer wait is reported instead of slept through


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


def seconds_to_wait(headers: dict, payload: dict | None, attempt: int) -> int:
    header = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
    if header.isdigit():
        return int(header)
    retry_after = ((payload or {}).get("error") or {}).get("retry_after")
    if isinstance(retry_after, int) and retry_after >= 0:
        return retry_after
    return min(2**attempt, 30)  # no wait given: exponential backoff, capped at 30 s


def send(body: dict) -> tuple[int, dict | None]:
    for attempt in range(ATTEMPTS):
        status, headers, payload = call("POST", "/v3/chats", body)
        if status != 429 or attempt == ATTEMPTS - 1:
            return status, payload  # sent, another error, or the last attempt
        wait = seconds_to_wait(headers, payload, attempt)
        if wait > MAX_WAIT:
            return status, payload  # too long to hold this request: queue it instead
        time.sleep(wait)
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
