"""Running the site in another process, as production would: a clean environment with a valid
production configuration, `manage.py` and settings read in a child. Settings are read once per
process, so every test of a configuration starts a new Python process with the environment it
describes."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

BASE_DIR = Path(django_settings.BASE_DIR)
TRACE_ID = re.compile(r"[0-9a-f]{32}")
BEARER = "Authorization: Bearer sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ"
TOKEN = "sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ"
PASTE = f"""HTTP/1.1 429 Too Many Requests
{BEARER}
Retry-After: 30

{{"success": false, "error": {{"status": 429, "code": 1007, "message": "Rate limit exceeded",
"retry_after": 30}}, "trace_id": "2eff5df5c6f688733c007523c4d61cd9"}}
"""


# --- Running the site in another process -------------------------------------------------------


def documented_variables() -> set[str]:
    """Every variable .env.example names, set or commented out."""
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


# What a child process inherits from this one: nothing that configures Django or the site (a test
# runner may set DJANGO_ALLOW_ASYNC_UNSAFE, a developer DJANGO_DEBUG), only what finds programs.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")


def production_env(**overrides: str | None) -> dict[str, str]:
    """A clean environment with a valid production configuration; None removes a variable."""
    env: dict[str, str | None] = {n: os.environ[n] for n in INHERITED if n in os.environ}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_hex(32),  # 64 characters
        ALLOWED_HOSTS="docs.example.com",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


def settings_under(env: dict[str, str], *names: str) -> dict:
    """The values of some settings as the site would see them with `env`."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "linqdocs.settings"}
    result = run([sys.executable, "-c", script], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def assert_security_headers(response):
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert TRACE_ID.fullmatch(response["X-Trace-ID"])
