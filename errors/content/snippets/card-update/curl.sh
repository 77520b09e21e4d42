#!/usr/bin/env bash
# Update an iMessage app card only once it has been delivered (needs jq). Linq refuses the update
# of a card that is not delivered yet with 409 (this site reads it as 2015); repeating it at once
# meets the same state, so the update is held and sent when the card's message.delivered arrives.
#   bash card_update.sh <message id>   send the update in card-update.json, or hold it
#   bash card_update.sh delivered      give it a verified message.delivered event on stdin:
#                                      sends the updates held for that message, once
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
UPDATE="card-update.json"  # the update, built as Linq's API reference describes it
HELD="held-updates.json"  # message id -> update waiting for the card's delivery
RESPONSE="$(mktemp)"
[ -f "$HELD" ] || echo '{}' > "$HELD"
keep() { jq "$@" "$HELD" > "$HELD.new" && mv "$HELD.new" "$HELD"; }  # change the held updates

try_update() {  # message id, update body
  local status code
  status=$(curl -sS -o "$RESPONSE" -w '%{http_code}' -X POST "$BASE_URL/v3/messages/$1/update" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" -H "Content-Type: application/json" -d "$2")
  code=$(jq -r '.error.code? // empty' "$RESPONSE" 2>/dev/null || true)
  if [ "$status" = 409 ] && { [ -z "$code" ] || [ "$code" = 2015 ]; }; then
    keep --arg m "$1" --argjson body "$2" '.[$m] = $body'  # not delivered yet: wait for the event
    echo "update of $1 held until its message.delivered event"
  elif [ "$status" -ge 400 ]; then
    local trace; trace=$(jq -r '.trace_id? // empty' "$RESPONSE" 2>/dev/null || true)
    echo "update of $1 refused: ${code:-$status}, trace_id $trace" >&2
    return 1
  else
    keep --arg m "$1" 'del(.[$m])'
    echo "updated $1"
  fi
}

if [ "${1:-}" = delivered ]; then
  EVENT=$(cat)  # verify the signature first (see the webhooks guide)
  # Every string in the event, whatever its layout: the message's id is one of them.
  for id in $(jq -r --argjson event "$EVENT" \
      '($event | [.. | strings]) as $s | keys[] | select(IN($s[]))' "$HELD"); do
    BODY=$(jq -c --arg m "$id" '.[$m]' "$HELD")
    keep --arg m "$id" 'del(.[$m])'
    try_update "$id" "$BODY"
  done
else
  try_update "$1" "$(jq -c . "$UPDATE")"
fi
