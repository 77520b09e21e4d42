#!/usr/bin/env bash
# Send only from a line your token owns and that can send (needs jq). List the lines first: stop
# if the number is not one of them (2006), show the line's id (a call that asks for a line takes
# the id, not the number: 2019), and while the line is FLAGGED send from an ACTIVE one (4002).
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
LINE="+12223334444"  # the line you mean to send from, in E.164
TO="+15556667777"
RESPONSE="$(mktemp)"
linq() {  # method, path, [body]; prints the HTTP status, leaves the answer in $RESPONSE
  curl -sS -o "$RESPONSE" -w '%{http_code}' -X "$1" "$BASE_URL$2" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" ${3:+-d "$3"}
}
stop() {
  echo "not sent: $1, trace_id $(jq -r '.trace_id? // empty' "$RESPONSE" 2>/dev/null)" >&2
  exit 1
}

[ "$(linq GET /v3/phone_numbers)" -lt 400 ] || stop "could not list the lines"
# Every record in the answer that has an id and a number: the lines of this token.
LINES=$(jq -c '[.. | objects | select(has("id"))
  | {id, status, number: ([.[] | strings | select(test("^\\+[1-9][0-9]{1,14}$"))][0])}
  | select(.number != null)]' "$RESPONSE")
ID=$(jq -r --arg n "$LINE" '.[] | select(.number == $n) | .id' <<<"$LINES" | head -n 1)
if [ -z "$ID" ]; then
  echo "not sent: $LINE is not a line of this token (2006); its lines:" \
    "$(jq -r '[.[].number] | join(", ")' <<<"$LINES")" >&2
  exit 1
fi
echo "$LINE is line id $ID"  # pass this id wherever a call asks for the line (2019)

FROM="$LINE"
if [ "$(jq -r --arg n "$LINE" '[.[] | select(.number == $n)][0].status' <<<"$LINES")" = FLAGGED ]; then
  FROM=$(jq -r '[.[] | select(.status == "ACTIVE")][0].number // empty' <<<"$LINES")
  # Hold the queue; resume when phone_number.status_updated reports a line healthy again.
  [ -n "$FROM" ] || { echo "not sent: every line is FLAGGED (4002): hold the messages" >&2; exit 1; }
  echo "$LINE is FLAGGED; sending from $FROM"
fi

KEY="$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)"  # keep it if you queue the message
BODY=$(jq -nc --arg from "$FROM" --arg to "$TO" --arg key "$KEY" '{from: $from, to: [$to],
  message: {parts: [{type: "text", value: "Your order has shipped."}], idempotency_key: $key}}')
# 2006 or 4002 will not pass by repeating the call: report it instead of retrying.
[ "$(linq POST /v3/chats "$BODY")" -lt 400 ] || stop "Linq answered $(jq -r '.error.code' "$RESPONSE")"
cat "$RESPONSE"; echo
