# Upload a file with Linq's pre-upload flow (up to 100 MB; required above 10 MB): ask for an
# upload URL, then PUT the raw bytes with exactly the headers Linq returns, well within 15 minutes.
import json
import mimetypes
import os
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
API_KEY = os.environ["LINQ_API_V3_API_KEY"]
PATH = os.environ.get("UPLOAD_FILE", "brochure.pdf")  # the file to send


def request(method: str, url: str, data: bytes | None, headers: dict) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, method=method, data=data, headers=headers), timeout=300
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


with open(PATH, "rb") as file:
    content = file.read()
upload = {
    "filename": os.path.basename(PATH),
    "content_type": mimetypes.guess_type(PATH)[0] or "application/octet-stream",
    "size_bytes": len(content),  # must equal the bytes you PUT
}
status, raw = request(
    "POST",
    BASE_URL + "/v3/attachments",
    json.dumps(upload).encode(),
    {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
)
answer = json.loads(raw or b"null") or {}
if status >= 400:
    sys.exit(f"no upload URL: {answer.get('error')}, trace_id {answer.get('trace_id')}")

# The raw bytes, not JSON or multipart, with every required header exactly as returned.
status, raw = request("PUT", answer["upload_url"], content, dict(answer["required_headers"]))
if status >= 400:
    sys.exit(f"upload failed with HTTP {status}: start again with a new upload URL")
print(answer["attachment_id"])  # permanent: reuse it for every later send of this file
