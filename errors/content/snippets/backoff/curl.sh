#!/usr/bin/env bash
# Send a message, retrying Linq's 5xx errors with exponential backoff:
# waits of 1, 2, 4, 8, 16 and 30 s, never more than 30, no wait after the last attempt.
set -u
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
KEY="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"  # same key on every attempt
BODY='{"from": "+12223334444", "to": ["+15556667777"], "message": {"parts": [{"type": "text", "value": "Your order has shipped."}], "idempotency_key": "'"$KEY"'"}}'
RESPONSE="$(mktemp)"

for delay in 1 2 4 8 16 30 last; do
  status=$(curl -sS -o "$RESPONSE" -w '%{http_code}' -X POST "$BASE_URL/v3/chats" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" \
    -d "$BODY")
  if [ "$status" -lt 500 ]; then
    cat "$RESPONSE"; echo
    [ "$status" -lt 400 ] && exit 0 || exit 1
  fi
  [ "$delay" = last ] && break  # the last attempt failed: stop without waiting
  sleep "$delay"
done
echo "still failing; quote this trace_id to support:" >&2
cat "$RESPONSE" >&2
exit 1
