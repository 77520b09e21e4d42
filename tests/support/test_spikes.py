"""The spike view's arithmetic: a code's last hour against its hourly mean over 7 days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from support import spikes
from support.spikes import BASELINE_HOURS, CodeRate
from tests.conftest import make_ticket
from tests.support.test_admin import CHANGELIST

SPIKES = f"{CHANGELIST}spikes/"


@pytest.mark.parametrize(
    ("last_hour", "baseline", "usual", "threshold", "is_spike"),
    [
        (0, 0, 0.0, 3, False),
        (2, 0, 0.0, 3, False),  # below the minimum: two tickets are not yet an incident
        (3, 0, 0.0, 3, True),  # no history: the minimum decides
        (3, 168, 1.0, 4, False),  # usually 1 an hour: 3 is not more than 3 x 1
        (4, 168, 1.0, 4, True),
        (6, 336, 2.0, 7, False),  # usually 2 an hour: 6 is exactly 3 x 2, not more
        (7, 336, 2.0, 7, True),
        (9, 84, 0.5, 3, True),  # 3 x 0.5 = 1.5: the minimum of 3 decides
    ],
)
def test_the_arithmetic(last_hour, baseline, usual, threshold, is_spike):
    rate = CodeRate(code=1007, last_hour=last_hour, baseline=baseline)
    assert rate.usual == pytest.approx(usual)
    assert rate.threshold == threshold
    assert rate.is_spike is is_spike
    assert BASELINE_HOURS == 168


def test_ratio_says_how_many_times_usual():
    assert CodeRate(1007, last_hour=8, baseline=336).ratio == pytest.approx(4.0)
    assert CodeRate(1007, last_hour=8, baseline=0).ratio is None


def add(code: int, count: int, ago: timedelta) -> None:
    for _ in range(count):
        ticket = make_ticket(error_code=code)
        ticket.created_at = timezone.now() - ago
        ticket.save(update_fields=["created_at"])


@pytest.mark.django_db
def test_counts_come_from_the_right_windows():
    add(1007, 4, timedelta(minutes=10))  # last hour
    add(1007, 168, timedelta(days=3))  # baseline: 1 an hour
    add(1007, 50, timedelta(days=8))  # older than the baseline: not counted
    add(3002, 3, timedelta(minutes=59))  # last hour, no history
    add(2004, 1, timedelta(minutes=5))  # one request: shown, not a spike
    add(4001, 10, timedelta(hours=2))  # only in the baseline: not listed
    make_ticket(error_code=None)  # no code: never a code spike

    rates = {rate.code: rate for rate in spikes.code_rates()}
    assert set(rates) == {1007, 3002, 2004}
    assert (rates[1007].last_hour, rates[1007].baseline) == (4, 168)
    assert rates[1007].is_spike
    assert (rates[3002].last_hour, rates[3002].baseline) == (3, 0)
    assert rates[3002].is_spike
    assert not rates[2004].is_spike
    assert [rate.code for rate in spikes.spikes()] == [1007, 3002]


@pytest.mark.django_db
def test_the_spike_page_shows_the_numbers_and_says_the_rule(staff_client):
    add(1007, 5, timedelta(minutes=10))
    add(1007, 336, timedelta(days=2))
    add(3002, 3, timedelta(minutes=20))
    response = staff_client.get(SPIKES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "at least <strong>3</strong> requests" in html
    assert "more than <strong>3</strong> times its usual hourly rate" in html
    assert "divided by 168" in html
    assert "336 ÷ 168 = 2.00" in html
    assert "0 ÷ 168 = 0.00" in html
    assert "1007 Rate limit exceeded" in html
    assert f'href="{CHANGELIST}?code=3002&amp;age=hour"' in html
    # 1007 at 5 an hour is not more than 3 x its usual 2; 3002 with no history is.
    rows = html.split("<tbody>")[1]
    assert rows.index("3002") < rows.index("1007")
    assert "2.5\N{MULTIPLICATION SIGN}" in rows and "no history" in rows


@pytest.mark.django_db
def test_the_queue_announces_a_spike(staff_client):
    assert "Spike:" not in staff_client.get(CHANGELIST).content.decode()
    add(3002, 3, timedelta(minutes=5))
    html = staff_client.get(CHANGELIST).content.decode()
    assert "Spike:" in html
    assert "3 requests in the last hour (usually 0.00 an hour)" in html
    assert '<a href="?code=3002&amp;age=hour">3002 Server operation failed</a>' in html


@pytest.mark.django_db
def test_the_spike_page_needs_the_view_permission(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("intern", password="x", is_staff=True))
    assert client.get(SPIKES).status_code == 403
    client.logout()
    assert client.get(SPIKES).status_code == 302
