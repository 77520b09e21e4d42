"""gunicorn's logger for linqdocs: lines that a request cannot forge (see gunicorn.conf.py).

gunicorn writes the path it decoded (`%(U)s`) and the headers a client sent as they came, so a
path holding `%0A` writes a second, forged access line, and `%1B` a terminal escape. Here the path
is percent-encoded again exactly as the app's own request line writes it, and every line gunicorn
writes, access or error, goes through linqdocs.loglines.OneLineFormatter.
"""

from typing import Any

from django.utils.encoding import escape_uri_path
from gunicorn.glogging import Logger

from linqdocs.loglines import OneLineFormatter


def logged_path(path_info: str) -> str:
    """WSGI's PATH_INFO (bytes read as latin-1), percent-encoded like the app's log line."""
    raw = path_info.encode("latin-1", "replace")
    return escape_uri_path(raw.decode("utf-8", "replace"))


class OneLineLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if handler.formatter is not None:
                    handler.setFormatter(
                        OneLineFormatter(handler.formatter._fmt, handler.formatter.datefmt)
                    )

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        if isinstance(atoms.get("U"), str):
            atoms["U"] = logged_path(atoms["U"])
        return atoms
