"""Many people submitting at once: every request stored once, none refused.

These run with real commits on the test database (a SQLite file, or PostgreSQL when
DATABASE_URL names one), each thread on its own connection, as app servers would.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connections
from django.test import Client

from errors.loading import get_catalogue
from support.forms import new_form_token
from support.models import Ticket
from tests.conftest import ENVELOPE, TRACE_ID

THREADS = 20
TICKETS_PER_THREAD = 10


def data(form_token: str, n: int) -> dict:
    return {
        "email": f"dev{n}@example.com",
        "trace_id": TRACE_ID,
        "error_code": "1007",
        "http_status": "429",
        "environment": "production",
        "subject": f"Request {n}",
        "description": "429 under load.",
        "envelope": ENVELOPE,
        "form_token": form_token,
    }


def in_thread(work):
    """Run `work` with its own database connection, closed afterwards (PostgreSQL would keep
    the test database busy otherwise)."""

    def run(*args):
        try:
            return work(*args)
        finally:
            connections.close_all()

    return run


@pytest.fixture(autouse=True)
def _catalogue_loaded():
    # The catalogue is loaded once per process; its first load is not safe to race (the shared
    # Markdown renderer is not thread-safe), so it happens here, before the threads start, as
    # it would on a warmed-up app server. These tests are about tickets, not about that.
    get_catalogue()


@pytest.fixture
def no_rate_limit(settings):
    settings.SUPPORT_RATE_LIMIT = "0"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_rate_limit")
def test_twenty_threads_submitting_ten_tickets_each():
    start = threading.Barrier(THREADS)

    @in_thread
    def submitter(thread: int) -> list[int]:
        client = Client()
        start.wait()
        statuses = []
        for i in range(TICKETS_PER_THREAD):
            response = client.post("/support/new/", data(new_form_token(), thread * 100 + i))
            statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(submitter, range(THREADS)))

    assert [s for statuses in results for s in statuses] == [302] * THREADS * TICKETS_PER_THREAD
    assert Ticket.objects.count() == THREADS * TICKETS_PER_THREAD
    assert Ticket.objects.values("reference").distinct().count() == THREADS * TICKETS_PER_THREAD
    # Every notification went out after its commit, none was lost to a locked database.
    assert not Ticket.objects.filter(support_notified_at__isnull=True).exists()
    assert not Ticket.objects.filter(requester_notified_at__isnull=True).exists()
    assert len(mail.outbox) == 2 * THREADS * TICKETS_PER_THREAD


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_rate_limit")
def test_the_same_form_sent_at_once_from_ten_threads_is_one_ticket():
    token = new_form_token()
    start = threading.Barrier(10)

    @in_thread
    def resubmit(_: int) -> tuple[int, str]:
        client = Client()
        start.wait()
        response = client.post("/support/new/", data(token, 1))
        return response.status_code, response["Location"]

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(resubmit, range(10)))

    assert Ticket.objects.count() == 1
    location = f"/support/requests/{Ticket.objects.get().public_token}/"
    assert results == [(302, location)] * 10
    assert len(mail.outbox) == 2
