#!/usr/bin/env bash
# Upload a file with Linq's pre-upload flow (up to 100 MB; required above 10 MB): ask for an
# upload URL, then PUT the raw bytes with exactly the headers Linq returns (needs jq).
set -euo pipefail
BASE_URL="${LINQ_API_V3_BASE_URL:-https://api.linqapp.com/api/partner}"
FILE="${UPLOAD_FILE:-brochure.pdf}"
SIZE=$(wc -c < "$FILE" | tr -d ' ')  # must equal the bytes you PUT

ANSWER=$(curl -sS --fail-with-body -X POST "$BASE_URL/v3/attachments" \
  -H "Authorization: Bearer $LINQ_API_V3_API_KEY" \
  -H "Content-Type: application/json" \
  -d "{\"filename\": \"$(basename "$FILE")\", \"content_type\": \"application/pdf\", \"size_bytes\": $SIZE}")

# Every header in required_headers, exactly as returned, and the raw bytes as the body.
HEADERS=()
while IFS= read -r header; do HEADERS+=(-H "$header"); done \
  < <(jq -r '.required_headers | to_entries[] | "\(.key): \(.value)"' <<<"$ANSWER")
curl -sS --fail-with-body -o /dev/null -X PUT "$(jq -r .upload_url <<<"$ANSWER")" "${HEADERS[@]}" \
  --data-binary @"$FILE"

jq -r .attachment_id <<<"$ANSWER"  # permanent: reuse it for every later send of this file
