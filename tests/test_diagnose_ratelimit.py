"""DIAGNOSE_RATE_LIMIT: /diagnose/ and /api/diagnose/ limited per client like the support form."""

import pytest
from django.core.cache import cache

from diagnose.checks import check_rate_limit


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("value", ["300/10m", "60/m", "0", ""])
def test_a_readable_rate_passes_the_check(settings, value):
    settings.DIAGNOSE_RATE_LIMIT = value
    assert check_rate_limit() == []


@pytest.mark.parametrize("value", ["lots", "5 per minute", "10/0m", "-1/m"])
def test_an_unreadable_rate_fails_the_check_by_name(settings, value):
    settings.DIAGNOSE_RATE_LIMIT = value
    (error,) = check_rate_limit()
    assert error.id == "diagnose.E001"
    assert "DIAGNOSE_RATE_LIMIT" in error.msg
