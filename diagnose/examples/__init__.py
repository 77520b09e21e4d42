"""The sample pastes of the diagnose page: one file each beside this module, read once.

A file is TOML front matter between `+++` lines (`slug`, the `?example=` value; `label`, the
button) and the paste itself. `${date}` (an HTTP date) and `${stamp}` (a log timestamp) are filled
in per request, so the retry times the examples show always lie ahead. Files are shown in the
order of their names.
"""

import functools
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from string import Template

from errors.parsing import FRONT_MATTER

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Example:
    slug: str
    label: str
    text: str


@dataclass(frozen=True)
class _Source:
    slug: str
    label: str
    template: Template


@functools.cache
def _sources() -> tuple[_Source, ...]:
    sources = []
    for path in sorted(FOLDER.glob("*.txt")):
        match = FRONT_MATTER.fullmatch(path.read_text(encoding="utf-8"))
        if match is None:
            raise ValueError(f"{path}: no +++ front matter")
        meta = tomllib.loads(match["meta"])
        body = match["body"].rstrip("\n")
        sources.append(_Source(meta["slug"], meta["label"], Template(body)))
    return tuple(sources)


def examples(now: datetime) -> list[Example]:
    """Every example, dated `now`."""
    values = {
        "date": now.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "stamp": (now - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    return [Example(s.slug, s.label, s.template.substitute(values)) for s in _sources()]
