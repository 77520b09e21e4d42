"""The console log format, made cheap enough to write a line for every request."""

import logging
import time
from typing import Any


class PlainFormatter(logging.Formatter):
    """`%(asctime)s` is made once a second, not once a record: the request line is written for
    every request, and strftime was a good part of its cost."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._second = -1
        self._stamp = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        if second != self._second:
            self._stamp = time.strftime(self.default_time_format, self.converter(second))
            self._second = second
        return f"{self._stamp},{int(record.msecs):03d}"
