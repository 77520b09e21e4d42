#!/usr/bin/env bash
# Send into an existing chat by its ID, and tell the "no such chat" answers apart (needs jq). An ID
# that is not a UUID is caught before any call; 2001 (a chat this token does not have) is checked
# against GET /v3/chats and reported; 2013 (a chat your line has left) is final, so the chat is
# marked closed and a new one is started with POST /v3/chats. Neither is retried.
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
CHAT_ID="${CHAT_ID:-3b6c8e0a-0000-4000-8000-0000000000c1}"  # as Linq returned it
CLOSED="closed-chats.txt"  # chats this script found closed (2013), one ID a line
FROM="+12223334444" TO="+15556667777"  # your line and the person the chat is with
TEXT="Your order has shipped."  # no link: a new chat's first message may not have one (1005)
RESPONSE="$(mktemp)"
linq() {  # method, path, [body]; prints the HTTP status, leaves the answer in $RESPONSE
  curl -sS -o "$RESPONSE" -w '%{http_code}' -X "$1" "$BASE_URL$2" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" ${3:+-d "$3"}
}
message() {
  jq -nc --arg text "$TEXT" --arg key "$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)" \
    '{parts: [{type: "text", value: $text}], idempotency_key: $key}'
}
start_new_chat() {
  BODY=$(jq -nc --arg from "$FROM" --arg to "$TO" --argjson m "$(message)" \
    '{from: $from, to: [$to], message: $m}')
  if [ "$(linq POST /v3/chats "$BODY")" -ge 400 ]; then
    echo "no new chat: $(jq -r '"\(.error.code), trace_id \(.trace_id)"' "$RESPONSE")" >&2; exit 1
  fi
  cat "$RESPONSE"; echo  # store the new chat's ID from this answer, exactly as returned
}

UUID='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
if ! [[ "$CHAT_ID" =~ $UUID ]]; then
  echo "not sent: '$CHAT_ID' is not a Linq chat ID (a UUID from POST or GET /v3/chats)" >&2; exit 1
fi
if [ -f "$CLOSED" ] && grep -qxF "$CHAT_ID" "$CLOSED"; then
  echo "chat $CHAT_ID was left earlier (2013): starting a new chat"
  start_new_chat; exit 0
fi

status=$(linq POST "/v3/chats/$CHAT_ID/messages" "$(jq -nc --argjson m "$(message)" '{message: $m}')")
CODE=$(jq -r '.error.code? // empty' "$RESPONSE") TRACE=$(jq -r '.trace_id? // empty' "$RESPONSE")
case "$CODE" in
  2013)
    echo "$CHAT_ID" >> "$CLOSED"  # final: nothing more is sent into this chat
    echo "chat $CHAT_ID is closed to your line (2013, trace_id $TRACE): starting a new chat"
    start_new_chat ;;
  2001)
    if [ "$(linq GET /v3/chats)" -lt 400 ] && grep -qF "$CHAT_ID" "$RESPONSE"; then
      echo "2001 (trace_id $TRACE) for a chat this token lists: check the path called" >&2
    else
      echo "chat $CHAT_ID is not among this token's chats (2001, trace_id $TRACE): use the ID" \
        "from POST or GET /v3/chats, with the token that created the chat" >&2
    fi
    exit 1 ;;
  *)
    [ "$status" -lt 400 ] || { echo "not sent: $CODE, trace_id $TRACE" >&2; exit 1; }
    cat "$RESPONSE"; echo ;;
esac
