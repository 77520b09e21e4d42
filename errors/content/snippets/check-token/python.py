# Check the token itself when Linq answers 2004: it must be set, without quotes, white space or a
# "Bearer" of its own, and one authenticated read (GET /v3/phone_numbers) must accept it.
# A 2004 is reported, never retried: the same token fails the same way every time.
import json
import os
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("LINQ_API_V3_BASE_URL", "https://api.linqapp.com/api/partner")
TOKEN = os.environ.get("LINQ_API_V3_API_KEY", "")


def problem_with(token: str) -> str | None:
    if not token:
        return "LINQ_API_V3_API_KEY is empty or not set in this process"
    if token.lower().startswith("bearer"):
        return "the variable already starts with 'Bearer': the header would say it twice"
    if token != token.strip() or any(c.isspace() for c in token):
        return "the token contains white space (a newline copied from a file?)"
    if token[0] in "'\"" or token[-1] in "'\"":
        return "the token is wrapped in quotes"
    return None


problem = problem_with(TOKEN)
if problem:
    sys.exit(f"token not sent: {problem}")
masked = "…" + TOKEN[-4:]  # never print or paste the whole token, not even into a ticket

request = urllib.request.Request(
    BASE_URL + "/v3/phone_numbers", headers={"Authorization": f"Bearer {TOKEN}"}
)
try:
    with urllib.request.urlopen(request, timeout=60) as response:
        print(f"token {masked} accepted (HTTP {response.status})")
except urllib.error.HTTPError as error:
    try:
        payload = json.loads(error.read())
    except ValueError:
        payload = {}
    code = (payload.get("error") or {}).get("code")
    trace_id = payload.get("trace_id") or error.headers.get("X-Trace-ID")
    if error.code == 401:
        # The header is right, so the token is: ask your Linq representative for the current one.
        sys.exit(f"token {masked} refused ({code or 401}, trace_id {trace_id}): do not retry")
    sys.exit(f"the token was accepted, but the read failed: {code}, trace_id {trace_id}")
