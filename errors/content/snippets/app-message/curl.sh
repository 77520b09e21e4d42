#!/usr/bin/env bash
# Send an iMessage app card only where it can arrive, and fall back to plain text where it cannot
# (needs jq and sha256sum).
#   bash app_message.sh          check the recipient (cached 10 min), send the card without
#                                preferred_service (2018), or plain text if not on iMessage
#   bash app_message.sh failed   give it a verified webhook event on stdin: on a message.failed
#                                with code 4005, send the text instead, once, to that recipient
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
FROM="+12223334444" TO="+15556667777"
TEXT="Your order has shipped."  # what the card says, as plain text for everyone else
APP_PART="app-part.json"  # your app part, built as Linq's API reference describes it
CAPABLE="imessage-capable.json"  # address -> [available, checked at]
SENT="app-sends.json"  # trace_id of each card sent -> who it went to
CACHE_SECONDS=600  # the check allows one call every 10 s: keep answers for minutes
RESPONSE="$(mktemp)" HEADERS="$(mktemp)"
[ -f "$CAPABLE" ] || echo '{}' > "$CAPABLE"
[ -f "$SENT" ] || echo '{}' > "$SENT"
linq() {  # path, body; prints the HTTP status, leaves the answer in $RESPONSE, headers in $HEADERS
  curl -sS -o "$RESPONSE" -D "$HEADERS" -w '%{http_code}' -X POST "$BASE_URL$1" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" -H "Content-Type: application/json" -d "$2"
}
trace_id() { tr -d '\r' < "$HEADERS" | awk -F': ' 'tolower($1) == "x-trace-id" {print $2}'; }
send() {  # parts, to, idempotency key
  linq /v3/chats "$(jq -nc --arg from "$FROM" --arg to "$2" --arg key "$3" --argjson parts "$1" \
    '{from: $from, to: [$to], message: {parts: $parts, idempotency_key: $key}}')"
}
send_text() {  # to, idempotency key
  if [ "$(send "$(jq -nc --arg t "$TEXT" '[{type: "text", value: $t}]')" "$1" "$2")" -ge 400 ]; then
    echo "text not sent: $(jq -c .error "$RESPONSE"), trace_id $(trace_id)" >&2; exit 1
  fi
  echo "sent as text to $1"
}
remember() {  # address, true or false: the capability answer and when it was given
  jq --arg a "$1" --argjson v "$2" --argjson now "$(date +%s)" '.[$a] = [$v, $now]' "$CAPABLE" \
    > "$CAPABLE.new" && mv "$CAPABLE.new" "$CAPABLE"
}
uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen; }
on_imessage() {  # address; exit status 0 when it can take app cards
  local now; now=$(date +%s)
  local cached; cached=$(jq -r --arg a "$1" --argjson now "$now" --argjson ttl "$CACHE_SECONDS" \
    'if .[$a] and ($now - .[$a][1] < $ttl) then .[$a][0] else "unknown" end' "$CAPABLE")
  if [ "$cached" = unknown ]; then
    local check; check=$(jq -nc --arg a "$1" --arg f "$FROM" '{address: $a, from: $f}')
    # A 1007 here means checking too often: send text, do not ask again now.
    [ "$(linq /v3/capability/check_imessage "$check")" -lt 400 ] || return 1
    cached=$(jq '.available == true' "$RESPONSE")
    remember "$1" "$cached"
  fi
  [ "$cached" = true ]
}

if [ "${1:-}" = failed ]; then
  EVENT=$(cat)  # verify the signature first (see the webhooks guide)
  CODE=$(jq -r '[.. | objects | .code? | numbers][0] // empty' <<<"$EVENT")
  TRACE=$(jq -r '[.. | objects | .trace_id? | strings][0] // empty' <<<"$EVENT")
  CARD_TO=$(jq -r --arg t "$TRACE" '.[$t].to // empty' "$SENT")
  # Only a 4005 for a card sent from here, not handled yet (events can repeat).
  if [ "$CODE" = 4005 ] && [ -n "$CARD_TO" ]; then
    jq --arg t "$TRACE" 'del(.[$t])' "$SENT" > "$SENT.new"
    remember "$CARD_TO" false
    # One key per failed card: a repeated event cannot send the text twice.
    send_text "$CARD_TO" "$(printf 'text for %s' "$TRACE" | sha256sum | cut -d' ' -f1)"
    mv "$SENT.new" "$SENT"
  fi
elif on_imessage "$TO"; then
  # No preferred_service: app cards go over iMessage only (asking for SMS or RCS is 2018).
  status=$(send "[$(cat "$APP_PART")]" "$TO" "$(uuid)")
  TRACE=$(trace_id)
  if [ "$(jq -r '.error.code? // empty' "$RESPONSE")" = 2018 ]; then
    send_text "$TO" "$(uuid)"
  elif [ "$status" -ge 400 ]; then
    echo "card not sent: $(jq -c .error "$RESPONSE"), trace_id $TRACE" >&2; exit 1
  else
    jq --arg t "$TRACE" --arg to "$TO" '.[$t] = {to: $to, trace_id: $t}' "$SENT" > "$SENT.new"
    mv "$SENT.new" "$SENT"
    echo "card sent to $TO, trace_id $TRACE"
  fi
else
  send_text "$TO" "$(uuid)"
fi
