"""Storage faults, made for real: the SQLite file removed, read-only, full; the shared cache down.

Each runs the site in its own process against its own database file, so the fault is the
engine's own (a missing file, `PRAGMA query_only`, `PRAGMA max_page_count` at the file's size)
and not a mock. Both /healthz and a support request are asked: the health check must say 503 and
name the failed check, and the form must answer its own 503 page with everything typed still in it.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings

from support.forms import new_form_token
from tests.conftest import TRACE_ID

BASE_DIR = Path(django_settings.BASE_DIR)
DESCRIPTION = "We send one message a minute and still get 429.\n" + "Details " * 1200
FIELDS = {
    "email": "dev@example.com",
    "name": "Ada Dev",
    "trace_id": TRACE_ID,
    "error_code": "1007",
    "http_status": "429",
    "environment": "production",
    "endpoint": "POST /v3/chats",
    "subject": "Stuck on 1007 since Tuesday",
    "description": DESCRIPTION,
    "envelope": '{"success": false, "error": {"status": 429, "code": 1007}}',
    "website": "",
}

# Runs in the child: health first (before anything could create a missing file), then the form.
SCRIPT = """
import json, os, re, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "linqdocs.settings"
from django.conf import settings
settings.DATABASES["default"]["OPTIONS"]["init_command"] += os.environ.get("SQLITE_FAULT", "")
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
health = client.get("/healthz")
result = {"health": [health.status_code, health.json()]}
result["file_exists_after_health"] = os.path.exists(settings.DATABASES["default"]["NAME"])
page = client.get("/support/new/").content.decode()
token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
fields = json.loads(sys.stdin.read())
response = client.post("/support/new/", {**fields, "form_token": token})
result["post"] = {
    "status": response.status_code,
    "html": response.content.decode(),
    "retry_after": response.get("Retry-After"),
    "cache_control": response.get("Cache-Control"),
    "trace_id": response["X-Trace-ID"],
}
print(json.dumps(result))
"""


def child_env(database: Path, fault: str = "") -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ}
    env.update(DATABASE_URL=f"sqlite:///{database}", SQLITE_FAULT=fault, LOG_LEVEL="INFO")
    return env


def run_site(database: Path, fault: str = "") -> tuple[dict, str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=BASE_DIR,
        env=child_env(database, fault),
        input=json.dumps(FIELDS),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated, compacted SQLite file to copy for each fault."""
    database = tmp_path_factory.mktemp("faults") / "migrated.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=child_env(database),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    with sqlite3.connect(database) as connection:
        connection.execute("VACUUM")  # no free pages: growing the file is the only way to write
    return database


def copy_of(migrated: Path, tmp_path: Path) -> Path:
    database = tmp_path / "site.sqlite3"
    database.write_bytes(migrated.read_bytes())
    return database


def assert_input_kept(post: dict, log: str) -> None:
    """The form's own 503: nothing saved, what to do, every typed field, the trace id logged."""
    assert post["status"] == 503
    assert post["retry_after"] == "30"
    assert post["cache_control"] == "private, no-store"
    html = unescape(post["html"])
    assert "Nothing was saved" in html
    assert "send it again" in html
    assert f"mailto:{django_settings.SUPPORT_EMAIL}" in html
    for name, value in FIELDS.items():
        if value and name != "website":
            assert value.strip() in html, name  # in the form again, and in the text to e-mail
    match = re.search(r'<textarea id="unsaved-text"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, html
    text = match[1]
    assert "Subject: Stuck on 1007 since Tuesday" in text
    assert DESCRIPTION.strip() in text
    # Logged, with the id the user's page carries, and nothing of what was typed.
    lines = [line for line in log.splitlines() if "storage failed" in line]
    assert lines and f"trace_id={post['trace_id']}" in lines[0]
    assert "Stuck on 1007" not in log and "dev@example.com" not in log


def test_a_healthy_site_stores_the_request(migrated, tmp_path):
    result, _ = run_site(copy_of(migrated, tmp_path))
    status, body = result["health"]
    assert status == 200, body
    assert set(body["checks"]) == {"catalogue", "database", "migrations", "writable", "cache"}
    assert result["post"]["status"] == 302  # the faults below are the faults, not the harness


def test_a_removed_database_file(tmp_path):
    missing = tmp_path / "gone.sqlite3"
    result, log = run_site(missing)
    status, body = result["health"]
    assert status == 503
    assert body["checks"]["database"] == "missing"
    assert result["file_exists_after_health"] is False  # the probe did not create an empty one
    assert_input_kept(result["post"], log)


def test_a_database_without_its_tables(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result, log = run_site(empty)
    status, body = result["health"]
    assert status == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "tables_missing"
    assert_input_kept(result["post"], log)


def test_a_read_only_database(migrated, tmp_path):
    result, log = run_site(copy_of(migrated, tmp_path), " PRAGMA query_only=1;")
    status, body = result["health"]
    assert status == 503
    assert body["checks"]["writable"] == "read_only"
    assert body["checks"]["database"] == "ok"
    assert_input_kept(result["post"], log)


def test_a_full_database(migrated, tmp_path):
    database = copy_of(migrated, tmp_path)
    with sqlite3.connect(database) as connection:
        (pages,) = connection.execute("PRAGMA page_count").fetchone()
    result, log = run_site(database, f" PRAGMA max_page_count={pages};")
    status, body = result["health"]
    assert status == 503
    assert body["checks"]["writable"] == "full"
    assert_input_kept(result["post"], log)


# --- The shared cache down (in this process: a Redis that refuses connections) -----------------

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.mark.django_db
def test_the_shared_cache_down(client, caplog):
    with override_settings(CACHES=DEAD_REDIS):
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["checks"]["cache"] == "ConnectionError"
        secret = "Authorization: Bearer sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ"
        fields = {**FIELDS, "envelope": f"{secret}\n{FIELDS['envelope']}"}
        response = client.post("/support/new/", {**fields, "form_token": new_form_token()})
    cache.clear()
    assert response.status_code == 503
    html = unescape(response.content.decode())
    assert "Nothing was saved" in html
    assert FIELDS["subject"] in html and DESCRIPTION.strip() in html
    assert "sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ" not in html  # masked, as every echo is
    (record,) = [r for r in caplog.records if "storage failed" in r.getMessage()]
    assert record.levelname == "ERROR"
    assert record.request.trace_id == response["X-Trace-ID"]


@pytest.mark.django_db
def test_an_answer_on_the_request_page_is_kept_when_storage_fails(client, caplog):
    from support.models import Ticket

    sent = client.post("/support/new/", {**FIELDS, "form_token": new_form_token()})
    assert sent.status_code == 302
    ticket = Ticket.objects.get()
    text = "It still happens after waiting 30 s.\nTrace 4bf92f3577b34da6a3ce929d0e0e4736"
    with override_settings(CACHES=DEAD_REDIS):
        response = client.post(sent["Location"], {"message": text, "form_token": new_form_token()})
    cache.clear()
    assert response.status_code == 503
    html = unescape(response.content.decode())
    assert "Nothing was saved" in html and text in html
    assert f"Request: {ticket.reference}" in html  # in the text to e-mail
    assert not ticket.messages.exists()
    assert [r for r in caplog.records if "storage failed" in r.getMessage()]


# --- Reads that fail on storage: 503 with Retry-After, never a 500 ------------------------------

READ_SCRIPT = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "linqdocs.settings"
from django.conf import settings
settings.DEBUG = False  # the production error pages, whatever the development default
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
result = {}
for path in ("/support/requests/" + "x" * 32 + "/", "/errors/1007/"):
    response = client.get(path)
    result[path] = {
        "status": response.status_code,
        "html": response.content.decode(),
        "retry_after": response.get("Retry-After"),
        "cache_control": response.get("Cache-Control"),
        "trace_id": response["X-Trace-ID"],
    }
print(json.dumps(result))
"""


@pytest.mark.parametrize("fault", ["missing", "no tables"])
def test_a_page_that_reads_storage_answers_503_when_storage_fails(tmp_path, fault):
    database = tmp_path / "site.sqlite3"
    if fault == "no tables":
        sqlite3.connect(database).close()
    result = subprocess.run(
        [sys.executable, "-c", READ_SCRIPT],
        cwd=BASE_DIR,
        env=child_env(database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    request_page = pages["/support/requests/" + "x" * 32 + "/"]
    assert request_page["status"] == 503
    assert request_page["retry_after"] == "30"
    assert request_page["cache_control"] == "no-store"
    assert "briefly unavailable" in request_page["html"]
    assert request_page["trace_id"] in request_page["html"]
    assert "Traceback" not in request_page["html"] and "sqlite" not in request_page["html"].lower()
    # Logged with the trace id the page shows.
    assert f"trace_id={request_page['trace_id']}" in result.stderr
    # The reference does not read the database at all and keeps working.
    assert pages["/errors/1007/"]["status"] == 200


@pytest.mark.django_db
def test_an_api_read_that_fails_on_storage_answers_the_envelope(client, monkeypatch):
    from django.db import OperationalError
    from django.test import Client

    import errors.views

    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(errors.views, "get_catalogue", broken)
    response = Client(raise_request_exception=False).get("/api/errors/1007/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "storage_unavailable"
    assert body["trace_id"] == response["X-Trace-ID"]
    assert "locked" not in response.content.decode()
