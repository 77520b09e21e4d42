#!/usr/bin/env bash
# Set up a line's contact card so that running it twice is harmless: create it, and if one
# already exists (2014), update it with PATCH instead.
set -u
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
NUMBER="%2B12223334444"  # your line in E.164, with "+" written as %2B
CARD='{"phone_number": "+12223334444", "first_name": "Acme", "last_name": "Support"}'
RESPONSE="$(mktemp)"
linq() {  # method, path, [body]
  curl -sS -o "$RESPONSE" -w '%{http_code}' -X "$1" "$BASE_URL$2" \
    -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
    -H "Content-Type: application/json" ${3:+-d "$3"}
}

status=$(linq POST /v3/contact_card "$CARD")
if grep -Eq '"code": *2014[,}]' "$RESPONSE"; then
  # Already exists: update it (the overview table's form of the update call).
  status=$(linq PATCH "/v3/contact_card?phone_number=$NUMBER" "$CARD")
fi
cat "$RESPONSE"; echo
[ "$status" -lt 400 ]
