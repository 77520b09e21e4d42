# Send only from a line your token owns and that can send. List the lines first: stop if the
# number is not one of them (2006), show the line's id (a call that asks for a line takes the id,
# not the number: 2019), and while the line is FLAGGED send from an ACTIVE one instead (4002).
import json
import os
import re
import sys
import urllib.error
import urllib.request
import uuid

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
LINE = "+12223334444"  # the line you mean to send from, in E.164
TO = "+15556667777"
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


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


def number_of(record: dict) -> str | None:
    return next((v for v in record.values() if isinstance(v, str) and E164.fullmatch(v)), None)


def lines_in(value: object) -> list[dict]:
    """Every record in the answer that has an id and a number: the lines of this token."""
    if isinstance(value, list):
        return [line for item in value for line in lines_in(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if "id" in value and number_of(value) else []
    return found + [line for item in value.values() for line in lines_in(item)]


def stop(reason: str, payload: dict | None = None) -> None:
    trace = f", trace_id {payload.get('trace_id')}" if isinstance(payload, dict) else ""
    sys.exit(f"not sent: {reason}{trace}")


status, payload = call("GET", "/v3/phone_numbers")
if status >= 400:
    stop(f"could not list the lines ({error_code(payload)})", payload)
lines = lines_in(payload)
line = next((item for item in lines if number_of(item) == LINE), None)
if line is None:
    listed = ", ".join(number_of(item) or "?" for item in lines) or "none"
    stop(f"{LINE} is not a line of this token (2006); its lines: {listed}")
print(f"{LINE} is line id {line['id']}")  # pass this id wherever a call asks for the line (2019)

sender = line
if line.get("status") == "FLAGGED":
    sender = next((item for item in lines if item.get("status") == "ACTIVE"), None)
    if sender is None:
        # Hold the queue; resume when phone_number.status_updated reports a line healthy again.
        stop("every line is FLAGGED (4002): hold the messages until one is ACTIVE")
    print(f"{LINE} is FLAGGED; sending from {number_of(sender)}")

message = {
    "parts": [{"type": "text", "value": "Your order has shipped."}],
    "idempotency_key": str(uuid.uuid4()),  # keep it with the message if you queue it
}
body = {"from": number_of(sender), "to": [TO], "message": message}
status, payload = call("POST", "/v3/chats", body)
if status >= 400:
    # 2006 or 4002 will not pass by repeating the call: report it instead of retrying.
    stop(f"Linq answered {error_code(payload)}", payload)
print(json.dumps(payload))
