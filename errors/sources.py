"""The sources content files cite: a registry (`errors/content/sources.toml`) and its checks.

Every code and guide file names its sources in front matter, `sources = ["table", "webhooks"]`;
each key must be in the registry, which gives readers a title and a public URL and gives writers
the section of the research notes that summarises it.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

REGISTRY_FILE = "sources.toml"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str
    notes: str  # where the research notes (shared/research/linq-facts.md) cover it


def load_registry(folder: Path) -> tuple[dict[str, Source], list[tuple[str, str]]]:
    """The registry and its problems as (field, message) pairs."""
    path = folder / REGISTRY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, [("", f"cannot be read: {exc}")]
    registry, problems = {}, []
    for key, value in data.items():
        if not isinstance(value, dict) or not all(
            isinstance(value.get(name), str) and value[name].strip()
            for name in ("title", "url", "notes")
        ):
            problems.append((key, "needs a title, a url and notes, each a non-empty string"))
            continue
        if not re.match(r"https://", value["url"]):
            problems.append((key, "url must be an https:// address"))
            continue
        registry[key] = Source(key, value["title"], value["url"], value["notes"])
    return registry, problems


def read_sources(meta: dict, registry: dict[str, Source]) -> tuple[tuple[Source, ...], list[str]]:
    """The sources a file's front matter names, and what is wrong with the list."""
    keys = meta.get("sources")
    if keys is None:
        return (), ["is missing: name the sources this page's claims come from"]
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        return (), ["must be a non-empty list of source keys"]
    unknown = [k for k in keys if k not in registry]
    if unknown:
        known = ", ".join(sorted(registry))
        return (), [f"{', '.join(map(repr, unknown))} not in {REGISTRY_FILE} (known: {known})"]
    return tuple(registry[k] for k in dict.fromkeys(keys)), []
