"""Loading the catalogue from `errors/content/`, validating it, and keeping it per process.

Layout of the content folder:

    categories/<id>.md   one per category (1xxx … 5xxx): TOML front matter + explanation
    codes/<code>.md      one per error code: TOML front matter + guidance
    guides/<slug>.md     short guides the code pages link to

Front matter sits between two `+++` lines at the top of a file and is TOML. `validate_content()`
reports every problem with its file and field; Django's system checks (`errors/checks.py`) run it,
so `manage.py check` tells a docs writer exactly what is wrong.
"""

import contextlib
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from errors import mentions, packing, snapshots
from errors.catalogue import Catalogue, ErrorCode, Guide
from errors.parsing import (
    ContentProblem,
    Problems,
    load_categories,
    load_code,
    load_guides,
    read_file,
)
from errors.snippets import SnippetSet
from errors.sources import load_registry


class ContentError(Exception):
    def __init__(self, problems: list[ContentProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _see_targets(guides: dict[str, Guide]) -> dict[str, str]:
    """Phrase -> URL for "See <phrase>." references: each guide's title and its link phrases."""
    return {
        phrase: guide.url + (f"#{fragment}" if fragment else "")
        for guide in guides.values()
        for phrase, fragment in {guide.title: "", **guide.link_phrases}.items()
    }


def _collect(folder: Path) -> tuple[Catalogue | None, list[ContentProblem]]:
    problems = Problems()
    registry, registry_problems = load_registry(folder)
    for field_name, message in registry_problems:
        problems.add(folder / "sources.toml", field_name, message)
    categories = load_categories(folder / "categories", problems)
    guides = load_guides(folder / "guides", registry, problems)
    entries: dict[int, ErrorCode] = {}
    see_targets = _see_targets(guides)
    snippet_sets: dict[str, tuple[SnippetSet | None, list[str]]] = {}
    paths = sorted((folder / "codes").glob("*.md"))
    dictionary = packing.dictionary_from(_bytes_of(packing.spread(paths)))
    for path in paths:
        source = read_file(path, problems)
        if source is None:
            continue
        entry = load_code(
            source, categories, guides, registry, see_targets, problems, snippet_sets, dictionary
        )
        if entry is not None:
            # Each file is named after its code, so no code can be defined twice.
            entries[entry.code] = entry
    if not entries:
        problems.add(folder / "codes", "", "holds no code files")
    for entry in entries.values():
        path = folder / "codes" / f"{entry.code}.md"
        for related in entry.related_codes:
            if related not in entries:
                problems.add(path, "related_codes", f"{related} is not a code in the catalogue")
            elif related == entry.code:
                problems.add(path, "related_codes", f"{related} is the code itself")
        for slug in entry.related_guides:
            if slug not in guides:
                problems.add(path, "related_guides", f"{slug!r} is not a guide")
    _check_mentions(folder, entries, guides, problems)
    if problems:
        return None, list(problems)
    codes = tuple(entries[number] for number in sorted(entries))
    newest = max(path.stat().st_mtime for path in folder.glob("*/*.md"))
    updated_at = datetime.fromtimestamp(int(newest), tz=UTC)
    return Catalogue(tuple(categories), codes, guides, updated_at), []


def _bytes_of(paths: Iterable[Path]) -> Iterator[bytes]:
    """The files' bytes, for the guidance's compression dictionary (errors/packing.py): whole
    files, front matter and all, make as good a sample as their bodies. A file that cannot be
    read is left out here and reported by read_file()."""
    for path in paths:
        with contextlib.suppress(OSError):
            yield path.read_bytes()


def _check_mentions(
    folder: Path, entries: dict[int, "ErrorCode"], guides: dict[str, Guide], problems: Problems
) -> None:
    """Every code a page mentions is a link to it, and every code a code page links is related."""
    known = frozenset(entries)
    pages: list[tuple[Path, str, ErrorCode | None]] = [
        (folder / "codes" / f"{e.code}.md", e.guidance_source, e) for e in entries.values()
    ]
    pages += [(folder / "guides" / f"{g.slug}.md", g.source, None) for g in guides.values()]
    for path, text, entry in pages:
        found = mentions.find(text, known)
        unlinked = [c for c in found.unlinked if entry is None or c != entry.code]
        if unlinked:
            listed = ", ".join(map(str, unlinked))
            problems.add(path, "body", f"mentions {listed} without a link: write [N](/errors/N/)")
        if entry is not None:
            missing = sorted(found.linked - set(entry.related_codes) - {entry.code})
            if missing:
                listed = ", ".join(map(str, missing))
                problems.add(path, "related_codes", f"leaves out {listed}, which the page mentions")


def _load(folder: Path) -> tuple[Catalogue | None, list[ContentProblem]]:
    """The catalogue from its snapshot when this content version has one, else from the files."""
    key = snapshots.key(folder)
    kept = snapshots.read(key)
    if isinstance(kept, Catalogue) and kept.snapshot_key == key:
        return kept, []
    catalogue, problems = _collect(folder)
    if catalogue is not None:
        object.__setattr__(catalogue, "digest", snapshots.content_digest(folder))
        object.__setattr__(catalogue, "snapshot_key", key)
    return catalogue, problems


def validate_content(folder: Path) -> list[ContentProblem]:
    """Every problem in the content folder, each naming its file and field.

    Validating means loading; a folder without problems is kept as loaded, so the system checks
    that run at start-up also do the first request's loading. A folder this process has loaded
    already, unchanged since (same files, sizes and times), is valid without a second load: the
    checks run more than once in a process that calls several commands.
    """
    kept = _loaded.get(Path(folder))
    if kept is not None and kept.snapshot_key == snapshots.key(Path(folder)):
        return []
    catalogue, problems = _load(Path(folder))
    if catalogue is not None:
        _loaded.setdefault(Path(folder), catalogue)
    return problems


def load_catalogue(folder: Path) -> Catalogue:
    catalogue, problems = _load(Path(folder))
    if catalogue is None:
        raise ContentError(problems)
    return catalogue


def keep_snapshot(catalogue: Catalogue) -> None:
    """Write the catalogue, with the indexes built over it so far, for the next process."""
    if catalogue.snapshot_key:
        snapshots.write(catalogue.snapshot_key, catalogue)


_load_lock = threading.Lock()


def get_catalogue() -> Catalogue:
    """The site's catalogue, loaded from settings.CONTENT_DIR on first use and kept in memory.

    The first requests of a threaded server may all ask at once: one thread loads, the others
    wait for it instead of rendering the same files side by side.
    """
    folder = Path(settings.CONTENT_DIR)
    catalogue = _loaded.get(folder)
    if catalogue is None:
        with _load_lock:
            catalogue = _loaded.get(folder)
            if catalogue is None:
                catalogue = _loaded[folder] = load_catalogue(folder)
    return catalogue


_loaded: dict[Path, Catalogue] = {}
