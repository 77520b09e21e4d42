"""One log record is one line: nothing a client sends can start a new line or drive a terminal.

Paths, user agents, exception messages and anything else that reaches a log line may hold what a
client chose. `one_line` writes every character that could end a line, forge one or move a cursor
as a visible escape (`\\x0a`, `\\x1b`, `\\u2028`): C0 and C1 controls, DEL, the Unicode line and
paragraph separators and the bidirectional overrides. Used by the app's log formatter (settings
LOGGING) and gunicorn's access log (linqdocs/gunicorn_logging.py).
"""

import logging
import re
from types import TracebackType

from linqdocs.logs import PlainFormatter

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Lines of a traceback follow their record indented, so a line at column 0 always starts a record.
CONTINUATION = "    "


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    return UNSAFE.sub(_escape, text)


def continued(text: str) -> str:
    """A multi-line block (a traceback) as lines safe to follow a record, each indented."""
    return "\n".join(CONTINUATION + one_line(line) for line in text.splitlines())


class OneLineFormatter(PlainFormatter):
    """A Formatter whose message is one safe line; a traceback or stack follows it, indented."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return one_line(super().formatMessage(record))

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        return continued(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return continued(super().formatStack(stack_info))
