"""Log lines cannot be forged or carry control characters (linqdocs.loglines), in the app's log.
gunicorn's access log is checked against a real gunicorn in test_serving.py."""

import logging
import sys

import pytest
from django.conf import settings

from linqdocs.gunicorn_logging import logged_path
from linqdocs.loglines import OneLineFormatter, one_line

FORGERIES = {
    "\n": "\\x0a",
    "\r": "\\x0d",
    "\x1b[31m": "\\x1b[31m",
    "\x00": "\\x00",
    "\x07": "\\x07",
    "\x7f": "\\x7f",
    "\x85": "\\x85",
    "\x9b": "\\x9b",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "\u202e": "\\u202e",
}


@pytest.mark.parametrize(("unsafe", "escaped"), FORGERIES.items())
def test_control_characters_are_written_as_escapes(unsafe, escaped):
    assert one_line(f"before{unsafe}after") == f"before{escaped}after"


def test_ordinary_text_is_left_alone():
    text = "GET /errors/1007/ 200 3.1ms trace_id=2eff5df5 — café, 日本語, \\n as typed"
    assert one_line(text) == text


def record(message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("linqdocs.request", logging.INFO, __file__, 1, message, args, exc_info)


def test_a_record_is_one_line_and_a_traceback_follows_it_indented():
    formatter = OneLineFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError("bad\n2026-12-01 10:00:00 INFO forged line")
    except ValueError:
        exc_info = sys.exc_info()
    text = formatter.format(record("%s %s", "GET", "/x\nINFO forged", exc_info=exc_info))
    first, *rest = text.split("\n")
    assert first == "INFO GET /x\\x0aINFO forged"
    assert rest and all(line.startswith("    ") for line in rest)
    assert any("forged line" in line for line in rest)


def test_the_sites_console_log_uses_the_one_line_formatter():
    logging_config: dict = settings.LOGGING
    assert logging_config["formatters"]["plain"]["()"] == "linqdocs.loglines.OneLineFormatter"
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler.formatter, OneLineFormatter)


FORGED_PATH = "/errors/x%0A127.0.0.1%20-%20FORGED%1B[31m%00%E2%80%A8/"


def test_a_path_cannot_forge_or_colour_the_sites_log(client, caplog):
    client.get(FORGED_PATH)
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    (request_line,) = [r for r in caplog.records if r.name == "linqdocs.request"]
    # What a client sent, raw, in a record's arguments (as Django's own messages carry paths).
    raw = record("Not Found: %s", "/errors/x\n127.0.0.1 - FORGED\x1b[31m\x00\u2028/")
    for entry in (request_line, raw):
        for log_filter in console.filters:  # the trace id filter the formatter relies on
            assert isinstance(log_filter, logging.Filter)
            log_filter.filter(entry)
        line = console.format(entry)
        assert "FORGED" in line
        assert "\n" not in line and "\x1b" not in line and "\x00" not in line
        assert "\u2028" not in line


def test_gunicorns_path_is_written_like_the_apps():
    # gunicorn hands over PATH_INFO decoded, as latin-1 text of the raw bytes.
    raw = "/errors/x\n127.0.0.1\x1b[31m\x00/é".encode().decode("latin-1")
    assert logged_path(raw) == "/errors/x%0A127.0.0.1%1B%5B31m%00/%C3%A9"
