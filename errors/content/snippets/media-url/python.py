# Check a media URL the way Linq fetches it, before sending it in a media part: public HTTPS with a
# valid certificate (5002, 5007), at most 10 MB (above that, pre-upload: 5005), a supported type
# (5004) that matches the URL's extension (5006), and bytes that really are that type.
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ.get("MEDIA_URL", "https://example.com/files/brochure.pdf")
LIMIT = 10 * 1024 * 1024  # media by URL; up to 100 MB goes through POST /v3/attachments
# A selection of the types Linq lists as supported (the attachments guide has them all); WebP and
# SVG are left out because Linq's pre-upload page rejects them although its type list names them.
SUPPORTED = {
    "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/tiff", "image/bmp",
    "video/mp4", "video/quicktime", "video/mpeg", "video/3gpp",
    "audio/mpeg", "audio/x-m4a", "audio/aac", "audio/x-wav", "audio/x-aiff", "audio/amr",
    "application/pdf", "text/plain", "text/csv", "text/vcard", "text/calendar", "application/zip",
}  # fmt: skip
BY_EXTENSION = {
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
    ".mp4": "video/mp4", ".mov": "video/quicktime", ".mp3": "audio/mpeg", ".m4a": "audio/x-m4a",
    ".pdf": "application/pdf", ".vcf": "text/vcard", ".ics": "text/calendar",
}  # fmt: skip
SIGNATURES = {  # how these files begin
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/gif": b"GIF8",
    "application/pdf": b"%PDF-",
}


def problems_with(url: str) -> list[str]:
    problems = []
    if urllib.parse.urlsplit(url).scheme != "https":
        problems.append("not HTTPS: Linq fetches media over HTTPS only (5002)")
    try:
        # No Authorization header: Linq fetches it without your credentials, so must anyone.
        with urllib.request.urlopen(url, timeout=30) as response:
            served = response.headers.get("Content-Type") or "no Content-Type"
            kind = served.split(";")[0].strip().lower()
            content = response.read(LIMIT + 1)
    except urllib.error.HTTPError as error:
        return [*problems, f"the URL answers HTTP {error.code}: it must be public (5002, 5007)"]
    except urllib.error.URLError as error:
        if isinstance(error.reason, ssl.SSLCertVerificationError):
            reason = error.reason.verify_message
            return [*problems, f"its certificate is not valid: {reason} (5002)"]
        return [*problems, f"not reachable: {error.reason} (5002, 5007)"]
    if len(content) > LIMIT:
        problems.append("larger than 10 MB: pre-upload it with POST /v3/attachments (5005)")
    if kind not in SUPPORTED:
        problems.append(f"{kind} is not among the supported types listed here (5004)")
    extension = os.path.splitext(urllib.parse.urlsplit(url).path)[1].lower()
    expected = BY_EXTENSION.get(extension)
    if expected and expected != kind:
        problems.append(f"the extension {extension} says {expected}, the server says {kind} (5006)")
    signature = SIGNATURES.get(kind)
    if signature and not content.startswith(signature):
        problems.append(f"the bytes are not {kind}, whatever the headers say (5006, 5007)")
    return problems


found = problems_with(URL)
if found:
    sys.exit("do not send this URL yet:\n- " + "\n- ".join(found))
print(f"ready to send: {URL}")
