"""/healthz: 200 while the site and its database work, 503 otherwise, reachable by a load balancer.

Database-generic: `make test-postgres` runs this file against PostgreSQL as well.
"""

import json
import os
import subprocess
import sys
from collections import namedtuple

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import Client

from linqdocs import health

pytestmark = pytest.mark.django_db

BROKEN = "connection to server at db.internal failed: password authentication failed"
CHECKS = ["catalogue", "database", "migrations", "writable", "cache"]
READ_ONLY = {
    "sqlite": "PRAGMA query_only = 1",
    "postgresql": "SET default_transaction_read_only = on",
}
READ_WRITE = {
    "sqlite": "PRAGMA query_only = 0",
    "postgresql": "SET default_transaction_read_only = off",
}
DiskUsage = namedtuple("DiskUsage", "total used free")


def test_healthy_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert response["Cache-Control"] == "no-store"  # a cache must never answer for the app
    assert response["Content-Length"] == str(len(response.content))


def test_a_probe_is_cheap_and_commits_nothing(client, django_assert_max_num_queries):
    client.get("/healthz")  # the first probe of a process reads the migration files once
    with django_assert_max_num_queries(12) as queries:
        assert client.get("/healthz").status_code == 200
    statements = [query["sql"].upper() for query in queries.captured_queries]
    assert not any(sql.startswith(("INSERT", "DELETE", "COMMIT")) for sql in statements)
    assert any(sql.startswith("UPDATE") for sql in statements)  # the write it rolls back


def test_head_is_answered_and_other_methods_are_not(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")


@pytest.mark.django_db(transaction=True)  # PostgreSQL's read-only mode starts with a transaction
def test_a_read_only_database_answers_503(client):
    with connection.cursor() as cursor:
        cursor.execute(READ_ONLY[connection.vendor])
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(READ_WRITE[connection.vendor])
    assert response.status_code == 503
    assert response.json()["checks"]["writable"] == "read_only"
    assert response.json()["checks"]["database"] == "ok"


def test_unapplied_migrations_answer_503(client, monkeypatch):
    shipped = health.expected_migrations() | {("support", "9999_not_yet")}
    monkeypatch.setattr(health, "expected_migrations", lambda: shipped)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "unapplied"


def test_a_full_disk_answers_503(client, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("the disk is the database server's on PostgreSQL")
    monkeypatch.setattr(health.shutil, "disk_usage", lambda path: DiskUsage(10**9, 10**9, 4096))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["writable"] == "full"


def test_a_lasting_failure_is_logged_once_not_every_second(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError("cache host unreachable")

    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "cache": refuse})
    for _ in range(3):
        assert client.get("/healthz").status_code == 503
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200
    messages = [r.getMessage() for r in caplog.records if "check cache" in r.getMessage()]
    assert messages == ["health check cache failed: OSError", "health check cache passes again"]


def test_an_unreachable_database_answers_503(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError(BROKEN)

    monkeypatch.setattr(type(connections["default"]), "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] != "ok"
    assert body["checks"]["catalogue"] == "ok"
    assert body["checks"]["migrations"] == body["checks"]["writable"] == "not_checked"
    assert BROKEN not in response.content.decode()  # the reason goes to the logs, not to the world


def test_a_probe_by_address_is_answered_despite_allowed_hosts(client):
    # Load balancers probe each server by its own address, which ALLOWED_HOSTS does not list.
    assert client.get("/healthz", headers={"Host": "10.0.3.7:8000"}).status_code == 200
    assert client.get("/errors/", headers={"Host": "10.0.3.7:8000"}).status_code == 400


def test_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()  # SecurityMiddleware reads the setting when it is created
    assert client.get("/robots.txt").status_code == 301
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "database_url",
    ["sqlite:////nonexistent-directory/linqdocs.sqlite3", "postgres://nobody:x@127.0.0.1:9/none"],
    ids=["sqlite-unopenable", "postgres-refused"],
)
def test_a_real_broken_database_answers_503(database_url):
    """A site started against a database it cannot reach stays up and says so."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps([r.status_code, r.json()]))"
    )
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="linqdocs.settings")
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["checks"]["database"] != "ok"
