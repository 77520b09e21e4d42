#!/usr/bin/env bash
# Check the token itself when Linq answers 2004: it must be set, without quotes, white space or a
# "Bearer" of its own, and one authenticated read (GET /v3/phone_numbers) must accept it.
# A 2004 is reported, never retried: the same token fails the same way every time.
set -u
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
TOKEN="${LINQ_API_V3_API_KEY:-}"

case "$TOKEN" in
  "") problem="LINQ_API_V3_API_KEY is empty or not set in this shell" ;;
  [Bb][Ee][Aa][Rr][Ee][Rr]*)
    problem="the variable already starts with 'Bearer': the header would say it twice" ;;
  *[[:space:]]*) problem="the token contains white space (a newline copied from a file?)" ;;
  \"* | *\" | \'* | *\') problem="the token is wrapped in quotes" ;;
  *) problem="" ;;
esac
if [ -n "$problem" ]; then echo "token not sent: $problem" >&2; exit 1; fi
MASKED="…${TOKEN: -4}"  # never print or paste the whole token, not even into a ticket

RESPONSE="$(mktemp)"
status=$(curl -sS -o "$RESPONSE" -w '%{http_code}' "$BASE_URL/v3/phone_numbers" \
  -H "Authorization: Bearer $TOKEN")
if [ "$status" -lt 400 ]; then
  echo "token $MASKED accepted (HTTP $status)"
  exit 0
fi
CODE=$(grep -o '"code": *[0-9]*' "$RESPONSE" | grep -o '[0-9]*$')
TRACE=$(grep -o '"trace_id": *"[^"]*"' "$RESPONSE" | cut -d'"' -f4)
if [ "$status" = 401 ]; then
  # The header is right, so the token is: ask your Linq representative for the current one.
  echo "token $MASKED refused (${CODE:-401}, trace_id ${TRACE:-none}): do not retry" >&2
else
  echo "the token was accepted, but the read failed: ${CODE:-HTTP $status}, trace_id ${TRACE:-none}" >&2
fi
exit 1
