"""The console log format: the cached timestamp reads exactly as logging's own."""

import logging

from linqdocs.logs import PlainFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def test_the_cached_timestamp_matches_loggings_own():
    cached, plain = PlainFormatter(FORMAT), logging.Formatter(FORMAT)
    for created in (1_700_000_000.123, 1_700_000_000.999, 1_700_000_001.0, 1_700_003_601.5):
        record = logging.LogRecord("linqdocs.request", logging.INFO, "", 0, "GET / 200", (), None)
        record.created, record.msecs = created, (created % 1) * 1000
        assert cached.format(record) == plain.format(record)
