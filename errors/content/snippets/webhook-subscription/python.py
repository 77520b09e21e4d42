# Find your webhook subscription's ID by its target URL (each URL is used once per account)
# instead of a stored ID that Linq cannot match (2010); if the account has none for the URL,
# create it. The new signing secret is shown only in that answer, so it is kept in a private file.
import json
import os
import re
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
TARGET_URL = "https://example.com/linq/webhooks"  # your endpoint, exactly as subscribed
EVENTS = ["message.sent", "message.delivered", "message.read", "message.failed"]
SECRET_FILE = "webhook-subscription.json"  # move the secret to your secret store, then delete it
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


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


def subscriptions_in(value: object) -> list[dict]:
    """Every record in the answer that has a target_url: the subscriptions."""
    if isinstance(value, list):
        return [found for item in value for found in subscriptions_in(item)]
    if not isinstance(value, dict):
        return []
    found = [value] if "target_url" in value else []
    return found + [more for item in value.values() for more in subscriptions_in(item)]


def id_of(record: dict) -> str | None:
    return next((v for v in record.values() if isinstance(v, str) and UUID.fullmatch(v)), None)


def stop(what: str, payload: dict | None) -> None:
    error = (payload or {}).get("error") or {}
    sys.exit(f"{what}: {error.get('code')}, trace_id {(payload or {}).get('trace_id')}")


status, payload = call("GET", "/v3/webhook-subscriptions")
if status >= 400:
    stop("could not list the subscriptions", payload)
mine = [s for s in subscriptions_in(payload) if s["target_url"] == TARGET_URL]
if mine:
    print(id_of(mine[0]))  # the ID to use in calls that address this subscription
    sys.exit()

body = {"target_url": TARGET_URL, "subscribed_events": EVENTS}
status, created = call("POST", "/v3/webhook-subscriptions", body)
if status >= 400:
    stop("could not create the subscription", created)
# The answer holds the signing secret, returned this once: keep it out of logs and output.
descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(descriptor, "w") as file:
    json.dump(created, file)
print(f"created; signing secret saved in {SECRET_FILE}", file=sys.stderr)
print(id_of(next(iter(subscriptions_in(created)), {})))
