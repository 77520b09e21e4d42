#!/usr/bin/env bash
# Send a message and, on 429 (1007), wait the Retry-After seconds before the next attempt
# (at most 4 attempts, never a wait over 60 s, no wait after the last attempt).
set -u
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
KEY="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"  # same key on every attempt
BODY='{"from": "+12223334444", "to": ["+15556667777"], "message": {"parts": [{"type": "text", "value": "Your order has shipped."}], "idempotency_key": "'"$KEY"'"}}'
RESPONSE="$(mktemp)"
HEADERS="$(mktemp)"

for attempt in 1 2 3 4; do
  status=$(curl -sS -D "$HEADERS" -o "$RESPONSE" -w '%{http_code}' -X POST "$BASE_URL/v3/chats" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" \
    -d "$BODY")
  [ "$status" != 429 ] && break
  [ "$attempt" = 4 ] && break  # the last attempt: stop without waiting
  wait=$(tr -d '\r' < "$HEADERS" | awk 'tolower($1) == "retry-after:" {print $2}')
  case "$wait" in ''|*[!0-9]*) wait=$((2 ** attempt)) ;; esac  # no header: backoff
  [ "$wait" -gt 60 ] && break  # too long to hold this request: queue it instead
  sleep "$wait"
done
cat "$RESPONSE"; echo
[ "$status" -lt 400 ]
