#!/usr/bin/env bash
# Find your webhook subscription's ID by its target URL (each URL is used once per account)
# instead of a stored ID that Linq cannot match (2010); if the account has none for the URL,
# create it (needs jq). The new signing secret is shown only in that answer: kept in a private file.
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
TARGET_URL="https://example.com/linq/webhooks"  # your endpoint, exactly as subscribed
EVENTS='["message.sent", "message.delivered", "message.read", "message.failed"]'
SECRET_FILE="webhook-subscription.json"  # move the secret to your secret store, then delete it
RESPONSE="$(mktemp)"
linq() {  # method, path, [body]; prints the HTTP status, leaves the answer in $RESPONSE
  curl -sS -o "$RESPONSE" -w '%{http_code}' -X "$1" "$BASE_URL$2" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" ${3:+-d "$3"}
}
stop() { echo "$1: $(jq -r '"\(.error.code), trace_id \(.trace_id)"' "$RESPONSE")" >&2; exit 1; }
# The UUID in the first record that has this target_url, wherever the answer puts it.
id_for() {
  jq -r --arg url "$TARGET_URL" '[.. | objects | select(.target_url? == $url)][0] // {}
    | [.[] | strings | select(test("^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$"))][0]
    // empty' "$RESPONSE"
}

[ "$(linq GET /v3/webhook-subscriptions)" -lt 400 ] || stop "could not list the subscriptions"
ID=$(id_for)
if [ -n "$ID" ]; then
  echo "$ID"  # the ID to use in calls that address this subscription
  exit 0
fi

BODY=$(jq -nc --arg url "$TARGET_URL" --argjson events "$EVENTS" \
  '{target_url: $url, subscribed_events: $events}')
[ "$(linq POST /v3/webhook-subscriptions "$BODY")" -lt 400 ] || stop "could not create the subscription"
# The answer holds the signing secret, returned this once: keep it out of logs and output.
(umask 077 && cp "$RESPONSE" "$SECRET_FILE")
echo "created; signing secret saved in $SECRET_FILE" >&2
id_for
