#!/usr/bin/env bash
# Repeat a request that Linq answered with "not ready yet" (2007, 2009, 2022).
# Wait 3 s between attempts, at most 4 attempts, no wait after the last one.
set -u
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
KEY="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"  # same key on every attempt
BODY='{"from": "+12223334444", "to": ["+15556667777"], "message": {"parts": [{"type": "text", "value": "Your order has shipped."}], "idempotency_key": "'"$KEY"'"}}'
RESPONSE="$(mktemp)"

for attempt in $(seq 1 4); do
  status=$(curl -sS -o "$RESPONSE" -w '%{http_code}' -X POST "$BASE_URL/v3/chats" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" \
    -d "$BODY")
  grep -Eq '"code": *(2007|2009|2022)[,}]' "$RESPONSE" || break  # not a "wait" code: done
  [ "$attempt" = 4 ] && break  # the last attempt: stop without waiting
  sleep 3
done
cat "$RESPONSE"; echo
[ "$status" -lt 400 ]
