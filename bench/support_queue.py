"""Measure the support queue in the admin with 100 and with 10,000 requests, as ratios.

    .venv/bin/python bench/support_queue.py [--seconds 0.5] [--rounds 3]   (`make bench` runs it)

In process (Django's test client, production settings, a SQLite file in a temporary folder): the
queue's first page, the queue filtered, a search, a request's change page and the spike view, each
timed with 100 requests stored and again with 10,000, interleaved in rounds so that drift in the
machine's speed hits both alike. Prints the median of each, its ratio 10,000 / 100 and the number
of SQL queries each page took. Each stored request carries a 4 KB paste and its snapshot, as real
ones do, so a list that loaded them would show it. Writes only
bench/results/support-queue-<time>.json.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
SMALL, LARGE = 100, 10_000
PAGES = [
    ("queue, first page", "/admin/support/ticket/"),
    ("queue, status + age filters", "/admin/support/ticket/?status__exact=new&age=week"),
    ("queue, search by e-mail", "/admin/support/ticket/?q=dev42%40example.com"),
    ("one request's change page", None),  # filled in once a request exists
    ("spike view", "/admin/support/ticket/spikes/"),
]


def setup(workdir: Path) -> None:
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        DATABASE_URL=f"sqlite:///{workdir / 'queue.sqlite3'}",
        CACHE_URL="locmem://",
        STATIC_MANIFEST="0",
        STATIC_ROOT=str(workdir),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="linqdocs.settings",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # One connection for the whole run, as a persistent connection (CONN_MAX_AGE) would be, so
    # that the queries of a request can be counted after it.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def add_requests(count: int, start: int) -> None:
    """`count` requests as the form stores them, spread over the last 30 days."""
    from datetime import timedelta

    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from support.models import Ticket

    now = timezone.now()
    last_id = Ticket.objects.aggregate(last=Max("id"))["last"] or 0
    paste = json.dumps({"error": {"code": 1007, "message": "Rate limit exceeded"}}) + "\n" * 4000
    snapshot = {"input_kind": "envelope", "findings": [], "diagnoses": [{"code": 1007}] * 20}
    rows = [
        Ticket(
            reference=f"LNQ-{n:08d}"[:13],
            public_token=f"token-{n}",
            form_token=f"form-{n}",
            email=f"dev{n % 500}@example.com",
            trace_ids=f"{n:032x}",
            error_code=[1007, 2004, 3002, 5001, None][n % 5],
            subject=f"Request {n}",
            description="What happened. " * 50,
            envelope=paste,
            diagnosis=snapshot,
            status=["new", "in_progress", "waiting", "resolved"][n % 4],
        )
        for n in range(start, start + count)
    ]
    Ticket.objects.bulk_create(rows, batch_size=500)
    # bulk_create stamps every row with now; spread them out (one transaction: one fsync).
    with transaction.atomic():
        new_ids = Ticket.objects.filter(pk__gt=last_id).order_by("id").values_list("id", flat=True)
        for n, ticket_id in enumerate(new_ids, start=start):
            Ticket.objects.filter(pk=ticket_id).update(
                created_at=now - timedelta(minutes=n * 4 % (30 * 24 * 60))
            )


def measure(client: "Client", path: str, seconds: float) -> tuple[list[float], int]:
    from django.db import connection

    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(timings) < 3:
        began = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - began)
    return timings, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="per page, size and round")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="linqdocs-queue-") as workdir:
        setup(Path(workdir))
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from support.models import Ticket

        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x")
        client = Client()
        client.force_login(user)
        results: dict[str, dict[int, dict]] = {name: {} for name, _ in PAGES}
        for size in (SMALL, LARGE):
            add_requests(size - Ticket.objects.count(), Ticket.objects.count())
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            probe = Ticket.objects.order_by("id").values_list("id", flat=True).first()
            pages = [(n, p or f"/admin/support/ticket/{probe}/change/") for n, p in PAGES]
            timings: dict[str, list[float]] = {name: [] for name, _ in pages}
            counts: dict[str, int] = {}
            for _ in range(options.rounds):
                for name, path in pages:
                    seen, counts[name] = measure(client, path, options.seconds)
                    timings[name] += seen
            for name, _ in pages:
                results[name][size] = {
                    "median_ms": statistics.median(timings[name]) * 1000,
                    "queries": counts[name],
                    "requests": len(timings[name]),
                }

    print(f"support queue: {options.rounds} rounds x {options.seconds} s a page and size")
    print(f"  {'page':<30} {'100: ms':>9} {'10,000: ms':>11} {'ratio':>6} {'queries':>9}")
    report = []
    for name, by_size in results.items():
        small, large = by_size[SMALL], by_size[LARGE]
        ratio = large["median_ms"] / small["median_ms"]
        print(
            f"  {name:<30} {small['median_ms']:>9.1f} {large['median_ms']:>11.1f} {ratio:>6.2f}"
            f" {small['queries']:>4} {large['queries']:>4}"
        )
        report.append({"page": name, "ratio": ratio, **{str(k): v for k, v in by_size.items()}})
    when = time.strftime("%Y-%m-%dT%H%M%SZ", time.gmtime())
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"support-queue-{when}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {target.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
