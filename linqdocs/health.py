"""/healthz for load balancers: 200 when the site can serve and store, else 503 naming what failed.

Answered by linqdocs.middleware.HealthCheckMiddleware, ahead of host validation and the URLconf.
Each check answers "ok" or a short reason; the exception itself goes to the log, never the body.

catalogue   the content is loaded
database    it answers a query (SQLite: its file exists; the probe never creates an empty one)
migrations  every migration of the release is applied and every model's table exists
writable    a write, rolled back, is accepted (SQLite: and neither its page limit nor the disk
            holding it is full)
cache       the shared cache (the rate-limit counters) answers

Cheap enough to poll every second: a handful of small queries on one connection, no commit.
"""

import logging
import shutil
from functools import cache
from pathlib import Path

from django.apps import apps
from django.core.cache import cache as shared_cache
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse, JsonResponse

from errors.loading import get_catalogue
from linqdocs.httppolicy import NO_STORE, allow

log = logging.getLogger(__name__)

OK = "ok"
NOT_CHECKED = "not_checked"  # an earlier check failed, and this one would only repeat it
# A full disk fails every write; stop taking traffic a little before that.
MIN_FREE_BYTES = 16 * 1024 * 1024


def _reason(exc: BaseException) -> str:
    """A short, safe name for what went wrong: no message, no path, no host."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "read_only"
    if "disk is full" in text or "no space" in text or "disk full" in text:
        return "full"
    if "locked" in text or "timeout" in text or "timed out" in text:
        return "busy"
    if "no such table" in text or "does not exist" in text:
        return "tables_missing"
    return type(exc).__name__


def _sqlite_file() -> Path | None:
    """The SQLite file behind the default database, or None (another engine, or in memory)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def check_catalogue() -> str:
    get_catalogue()
    return OK


def check_database() -> str:
    path = _sqlite_file()
    if path is not None and not path.is_file():
        # Opening it would create an empty database that then "works": say it is gone.
        return "missing"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


@cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every migration the release ships (read from disk once per process)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@cache
def expected_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    )


def check_migrations() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
        tables = set(connection.introspection.table_names(cursor))
    if expected_migrations() - applied:
        return "unapplied"
    if expected_tables() - tables:
        return "tables_missing"
    return OK


def check_writable() -> str:
    path = _sqlite_file()
    with connection.cursor() as cursor:
        if path is not None:
            if shutil.disk_usage(path.parent).free < MIN_FREE_BYTES:
                return "full"
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute("PRAGMA max_page_count")
            (max_pages,) = cursor.fetchone()
            cursor.execute("PRAGMA freelist_count")
            (free_pages,) = cursor.fetchone()
            if pages >= max_pages and free_pages == 0:
                return "full"
            # Wait at most a second for a writer, not the five seconds a request would.
            cursor.execute("PRAGMA busy_timeout = 1000")
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            # Rewrites one row with its own value, then rolls back: the engine must accept a write
            # (a read-only file, database or replica refuses it), and nothing is ever committed.
            cursor.execute(
                "UPDATE django_migrations SET app = app"
                " WHERE id = (SELECT MIN(id) FROM django_migrations)"
            )
        transaction.set_rollback(True)
    return OK


def check_cache() -> str:
    shared_cache.get("healthz:probe")
    return OK


CHECKS = {
    "catalogue": check_catalogue,
    "database": check_database,
    "migrations": check_migrations,
    "writable": check_writable,
    "cache": check_cache,
}
# Each depends on the database answering; without it they would only fail the same way.
NEEDS_DATABASE = {"migrations", "writable"}


# What the last probe of this process found failing: a balancer polls every second, so a failure
# is logged when it starts (with its traceback) and when it ends, not on every probe.
_failing: dict[str, str] = {}


def _note(name: str, result: str, error: Exception | None) -> None:
    if result == OK:
        if _failing.pop(name, None) is not None:
            log.warning("health check %s passes again", name)
    elif _failing.get(name) != result:
        _failing[name] = result
        log.warning("health check %s failed: %s", name, result, exc_info=error)


def run_checks() -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and results.get("database") != OK:
            results[name] = NOT_CHECKED
            continue
        error = None
        try:
            results[name] = check()
        except Exception as exc:  # a probe must answer, whatever broke
            results[name], error = _reason(exc), exc
        _note(name, results[name], error)
    return results


@allow("GET")
def healthz(request: HttpRequest) -> HttpResponse:
    checks = run_checks()
    healthy = all(value == OK for value in checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = NO_STORE
    # Answered ahead of CommonMiddleware, which would otherwise add it: no chunked 100-byte answer.
    response["Content-Length"] = str(len(response.content))
    return response
