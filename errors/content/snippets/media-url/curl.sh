#!/usr/bin/env bash
# Check a media URL the way Linq fetches it, before sending it in a media part: public HTTPS with a
# valid certificate (5002, 5007), at most 10 MB (above that, pre-upload: 5005), a supported type
# (5004) that matches the URL's extension (5006), and bytes that really are that type.
set -u
URL="${MEDIA_URL:-https://example.com/files/brochure.pdf}"
LIMIT=$((10 * 1024 * 1024))  # media by URL; up to 100 MB goes through POST /v3/attachments
# A selection of the types Linq lists as supported (the attachments guide has them all); WebP and
# SVG are left out because Linq's pre-upload page rejects them although its type list names them.
SUPPORTED=" image/jpeg image/png image/gif image/heic image/heif image/tiff image/bmp
  video/mp4 video/quicktime video/mpeg video/3gpp
  audio/mpeg audio/x-m4a audio/aac audio/x-wav audio/x-aiff audio/amr
  application/pdf text/plain text/csv text/vcard text/calendar application/zip "
BODY="$(mktemp)" ERRORS="$(mktemp)"
problems=()

[[ "$URL" == https://* ]] || problems+=("not HTTPS: Linq fetches media over HTTPS only (5002)")
# No Authorization header: Linq fetches it without your credentials, so must anyone.
answer=$(curl -sS -o "$BODY" -w '%{http_code} %{content_type}' --max-time 30 \
  --max-filesize $((LIMIT + 1)) "$URL" 2>"$ERRORS")
result=$?
status="${answer%% *}"
kind=$(tr '[:upper:]' '[:lower:]' <<<"${answer#* }" | cut -d';' -f1 | tr -d ' ')
kind="${kind:-no content-type}"
if [ "$result" = 63 ]; then
  problems+=("larger than 10 MB: pre-upload it with POST /v3/attachments (5005)")
elif [ "$result" = 60 ]; then
  problems+=("its certificate is not valid: $(head -n 1 "$ERRORS") (5002)")
elif [ "$result" != 0 ]; then
  problems+=("not reachable: $(head -n 1 "$ERRORS") (5002, 5007)")
elif [ "$status" != 200 ]; then
  problems+=("the URL answers HTTP $status: it must be public (5002, 5007)")
else
  [ "$(wc -c < "$BODY")" -le "$LIMIT" ] \
    || problems+=("larger than 10 MB: pre-upload it with POST /v3/attachments (5005)")
  [[ " $(tr -s ' \n' '  ' <<<"$SUPPORTED") " == *" $kind "* ]] \
    || problems+=("$kind is not among the supported types listed here (5004)")
  path="${URL%%\?*}"
  extension=""
  [[ "${path##*/}" == *.* ]] && extension=".$(tr '[:upper:]' '[:lower:]' <<<"${path##*.}")"
  case "$extension" in
    .jpg | .jpeg) expected=image/jpeg ;;
    .png) expected=image/png ;;
    .gif) expected=image/gif ;;
    .mp4) expected=video/mp4 ;;
    .mov) expected=video/quicktime ;;
    .mp3) expected=audio/mpeg ;;
    .m4a) expected=audio/x-m4a ;;
    .pdf) expected=application/pdf ;;
    .vcf) expected=text/vcard ;;
    .ics) expected=text/calendar ;;
    *) expected="" ;;
  esac
  if [ -n "$expected" ] && [ "$expected" != "$kind" ]; then
    problems+=("the extension $extension says $expected, the server says $kind (5006)")
  fi
  case "$kind" in  # how these files begin
    image/jpeg) signature=ffd8ff ;;
    image/png) signature=89504e470d0a1a0a ;;
    image/gif) signature=47494638 ;;
    application/pdf) signature=255044462d ;;
    *) signature="" ;;
  esac
  if [ -n "$signature" ] && \
     [ "$(head -c $((${#signature} / 2)) "$BODY" | od -An -tx1 | tr -d ' \n')" != "$signature" ]; then
    problems+=("the bytes are not $kind, whatever the headers say (5006, 5007)")
  fi
fi

if [ ${#problems[@]} -gt 0 ]; then
  printf 'do not send this URL yet:\n' >&2
  printf -- '- %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "ready to send: $URL"
