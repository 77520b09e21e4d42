# Set up a line's contact card so that running it twice is harmless: look the card up, create it
# if there is none (2012), and update it with PATCH if it exists (2014) or is not active yet.
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
LINE = "+12223334444"  # one of your lines, in E.164
CARD = {"phone_number": LINE, "first_name": "Acme", "last_name": "Support"}


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


number = urllib.parse.quote(LINE)  # "+" must travel as %2B
# The overview table's form of the update; the 2014 page notes the other forms Linq shows.
update = f"/v3/contact_card?phone_number={number}"

status, payload = call("GET", f"/v3/contact_card?phone_number={number}")
cards = (payload or {}).get("contact_cards", []) if status == 200 else []  # 2012: no card
if any(card.get("is_active") for card in cards):
    print("the card is set up and active")
    sys.exit(0)
if cards:  # set up before, but not active: send it again as an update
    status, payload = call("PATCH", update, CARD)
else:
    status, payload = call("POST", "/v3/contact_card", CARD)
    if error_code(payload) == 2014:  # created meanwhile by another run: update it instead
        status, payload = call("PATCH", update, CARD)
if status >= 400:
    sys.exit(f"not saved: {error_code(payload)}, trace_id {(payload or {}).get('trace_id')}")
print(json.dumps(payload))
