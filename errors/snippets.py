"""Code snippets in three languages, stored as files a writer can edit and the suite can run.

    errors/content/snippets/<name>/curl.sh     shell, with curl
    errors/content/snippets/<name>/python.py   Python 3, standard library only
    errors/content/snippets/<name>/node.mjs    JavaScript for Node 18+ (fetch), no packages

A code file names its set in front matter, `snippet = "<name>"`; several codes may share one set
(every 3xxx code shares the backoff loop). Each snippet reads `LINQ_API_V3_API_KEY` and, for tests
and proxies, `LINQ_API_V3_BASE_URL` (the variables the official SDKs read), so the suite can run
it against a local fake of the API.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.safestring import SafeString

from errors import markdown

FOLDER = "snippets"
# file name -> (language id, tab label, Markdown fence language)
LANGUAGES = {
    "curl.sh": ("curl", "curl", "bash"),
    "python.py": ("python", "Python", "python"),
    "node.mjs": ("javascript", "JavaScript", "javascript"),
}


@dataclass(frozen=True)
class Snippet:
    language: str  # curl / python / javascript
    label: str
    code: str
    html: SafeString


@dataclass(frozen=True)
class SnippetSet:
    name: str
    snippets: tuple[Snippet, ...]


def load_set(content: Path, name: object) -> tuple[SnippetSet | None, list[str]]:
    """The named set, or the problems with it (each a sentence for the `snippet` field)."""
    if not isinstance(name, str) or not name.strip():
        return None, ["must be the name of a folder under snippets/"]
    folder = content / FOLDER / name
    if not folder.is_dir():
        return None, [f"{name!r} is not a folder under {FOLDER}/"]
    snippets, problems = [], []
    for filename, (language, label, fence) in LANGUAGES.items():
        path = folder / filename
        try:
            code = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            problems.append(f"{FOLDER}/{name}/{filename} is missing or unreadable")
            continue
        if not code:
            problems.append(f"{FOLDER}/{name}/{filename} is empty")
            continue
        html = markdown.render(f"```{fence}\n{code}\n```").html
        snippets.append(Snippet(language, label, code, html))
    if problems:
        return None, problems
    return SnippetSet(name, tuple(snippets)), []
