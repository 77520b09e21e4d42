"""A loaded catalogue kept on disk, per version of the content and of the code that loads it.

Reading and validating 9,000 content files and indexing them for search takes seconds; unpickling
the result takes a fraction of that. The first process that loads a content version (usually
`manage.py migrate` or `check` in a deploy, or gunicorn's master) writes a snapshot; every later
process, for as long as neither the content nor this code changes, reads it instead. Only a
catalogue without problems is ever written, so a snapshot found means the content is valid.

A snapshot is found by a key made of every content file's path, size and modification time (a
stat each, not a read), the modules that build the catalogue and its indexes, and the Python
version. The catalogue inside carries its own `digest` of the files' bytes, made when they were
read: that, not the key, is the content version behind ETags, the same on every server.

The folder is CATALOGUE_CACHE_DIR (in the checkout by default; empty turns snapshots off); like
the code, it must be writable by the app's own user only, since a snapshot is a pickle.
"""

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

# The modules that define and build what a snapshot holds (its pickled classes live in
# catalogue.py, search.py, searchindex.py and messages.py; packing.py compresses its texts;
# facets.py keeps its per-code keys in the catalogue's `derived` too): a change to any of them
# makes every snapshot stale.
BUILDERS = (
    "catalogue.py",
    "loading.py",
    "parsing.py",
    "markdown.py",
    "packing.py",
    "search.py",
    "searchindex.py",
    "messages.py",
    "facets.py",
)
KEPT = 2  # snapshots per content folder: the current one and the one before it


def _builders() -> bytes:
    here = Path(__file__).resolve().parent
    return b"".join((here / name).read_bytes() for name in BUILDERS if (here / name).exists())


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


def key(folder: Path) -> str:
    """Which snapshot holds this folder's catalogue, from the files' stats and the code."""
    digest = hashlib.sha256(sys.version.encode() + _builders())
    for path in _files(folder):
        stat = path.stat()
        digest.update(
            f"{path.relative_to(folder).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
        )
    return digest.hexdigest()


def content_digest(folder: Path) -> str:
    """The version of the content itself: every file's path and bytes, and the loading code."""
    digest = hashlib.sha256(sys.version.encode() + _builders())
    for path in _files(folder):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _folder() -> Path | None:
    configured = settings.CATALOGUE_CACHE_DIR
    return Path(configured) if configured else None


def read(key: str) -> object | None:
    folder = _folder()
    if folder is None:
        return None
    try:
        with (folder / f"catalogue-{key}.pickle").open("rb") as file:
            return pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: load from the content instead
        log.warning("catalogue snapshot %s is unreadable; loading the content", key[:12])
        return None


def write(key: str, loaded: object) -> None:
    """Write the snapshot atomically (readers never see half a file); failures only log."""
    folder = _folder()
    if folder is None:
        return
    target = folder / f"catalogue-{key}.pickle"
    if target.exists():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".catalogue-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(loaded, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        _prune(folder)
    except OSError as error:
        log.warning("catalogue snapshot not written: %s", error)


def _prune(folder: Path) -> None:
    snapshots = sorted(folder.glob("catalogue-*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in snapshots[:-KEPT]:
        old.unlink(missing_ok=True)
