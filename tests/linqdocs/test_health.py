"""/healthz: 200 while the site and its database work, 503 otherwise, reachable by a load balancer.

Database-generic: `make test-postgres` runs this file against PostgreSQL as well.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

BROKEN = "connection to server at db.internal failed: password authentication failed"


def test_healthy_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"catalogue": "ok", "database": "ok"}}
    assert response["Cache-Control"] == "no-store"  # a cache must never answer for the app


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
