"""Reading one content file: its TOML front matter, its required fields, and the object it becomes.

Every problem found is added to a `Problems` list with its file and field, so that one pass over
the content folder reports everything wrong at once (errors/loading.py collects the files).
"""

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from errors import markdown, packing
from errors.catalogue import (
    NOTES_HEADING,
    REPORTED_BY,
    STRATEGIES,
    VERDICTS,
    Category,
    ErrorCode,
    Guide,
    RetryVerdict,
)
from errors.snippets import SnippetSet, load_set
from errors.sources import Source, read_sources
from errors.traceids import TRACE_ID


@dataclass(frozen=True)
class ContentProblem:
    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}" + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.message}"


FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<meta>.*?)\n\+\+\+\n?(?P<body>.*)\Z", re.DOTALL)


@dataclass
class ContentFile:
    path: Path
    meta: dict
    body: str


class Problems(list):
    def add(self, path: Path, field_name: str, message: str) -> None:
        self.append(ContentProblem(path, field_name, message))


@dataclass(frozen=True)
class _Review:
    sources: tuple[Source, ...]
    reviewed: date | None
    change: str


def _review(source: ContentFile, registry: dict[str, Source], problems: Problems) -> _Review:
    """The sources, last-reviewed date and change note every code and guide file carries."""
    sources, source_problems = read_sources(source.meta, registry)
    for message in source_problems:
        problems.add(source.path, "sources", message)
    reviewed = source.meta.get("reviewed")
    if not isinstance(reviewed, date) or isinstance(reviewed, datetime):
        problems.add(source.path, "reviewed", "must be a date such as 2026-12-01 (no quotes)")
        reviewed = None
    change = source.meta.get("change", "")
    if not isinstance(change, str):
        problems.add(source.path, "change", "must be a string")
        change = ""
    return _Review(sources, reviewed, change.strip())


def _split_notes(source: ContentFile, problems: Problems) -> tuple[str, str | None]:
    """The guidance and, apart from it, the closing "Where the sources disagree" section."""
    body = source.body
    if NOTES_HEADING not in body:
        return body, None
    guidance, _, notes = body.partition(NOTES_HEADING)
    if re.search(r"^## ", notes, re.MULTILINE):
        problems.add(source.path, "body", f"'{NOTES_HEADING[3:]}' must be the last section")
    return guidance, notes.strip()


def read_file(path: Path, problems: Problems) -> ContentFile | None:
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(path, "", f"cannot be read: {exc}")
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(path, "", "has no front matter: start the file with a '+++' line")
        return None
    try:
        meta = tomllib.loads(match["meta"])
    except tomllib.TOMLDecodeError as exc:
        problems.add(path, "", f"front matter is not valid TOML: {exc}")
        return None
    return ContentFile(path, meta, match["body"])


def _require(
    source: ContentFile, name: str, kind: type | tuple[type, ...], problems: Problems
) -> Any:
    if name not in source.meta:
        problems.add(source.path, name, "is missing")
        return None
    value = source.meta[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        problems.add(source.path, name, f"must be {expected}, not {type(value).__name__}")
        return None
    if isinstance(value, str) and not value.strip():
        problems.add(source.path, name, "is empty")
        return None
    return value


def load_categories(folder: Path, problems: Problems) -> list[Category]:
    categories = []
    for path in sorted(folder.glob("*.md")):
        source = read_file(path, problems)
        if source is None:
            continue
        values = {
            name: _require(source, name, str, problems)
            for name in ("id", "name", "default_retry", "default_retry_text", "summary")
        }
        if None in values.values():
            continue
        if not re.fullmatch(r"[1-9]xxx", values["id"]):
            problems.add(path, "id", f"must look like '1xxx', not {values['id']!r}")
            continue
        if values["default_retry"] not in VERDICTS:
            problems.add(path, "default_retry", f"must be one of {', '.join(VERDICTS)}")
            continue
        categories.append(Category(description=markdown.render(source.body), **values))
    if not categories:
        problems.add(folder, "", "holds no category files")
    return sorted(categories, key=lambda c: c.id)


def load_guides(folder: Path, registry: dict[str, Source], problems: Problems) -> dict[str, Guide]:
    guides = {}
    for path in sorted(folder.glob("*.md")):
        source = read_file(path, problems)
        if source is None:
            continue
        title = _require(source, "title", str, problems)
        summary = _require(source, "summary", str, problems)
        review = _review(source, registry, problems)
        guidance, notes = _split_notes(source, problems)
        phrases = source.meta.get("link_phrases", {})
        if not isinstance(phrases, dict) or not all(isinstance(v, str) for v in phrases.values()):
            problems.add(path, "link_phrases", 'must be a table of phrase = "fragment"')
            phrases = {}
        if title is None or summary is None:
            continue
        if not source.body.strip():
            problems.add(path, "body", "is empty")
        guides[path.stem] = Guide(
            slug=path.stem,
            title=title,
            summary=summary,
            body=markdown.render(guidance),
            source=source.body,
            link_phrases=phrases,
            sources=review.sources,
            reviewed=review.reviewed,
            change=review.change,
            source_notes=markdown.render(notes) if notes else None,
        )
    return guides


def _check_example(
    source: ContentFile, example: str, code: int, status: int, problems: Problems
) -> dict | None:
    """The example envelope, parsed, after every check of it against its code."""
    try:
        envelope = json.loads(example)
    except json.JSONDecodeError as exc:
        problems.add(source.path, "example", f"is not valid JSON: {exc}")
        return None
    if not isinstance(envelope, dict) or set(envelope) - {"success", "error", "trace_id"}:
        problems.add(source.path, "example", "must be an object with success, error, trace_id only")
        return None
    error = envelope.get("error")
    if envelope.get("success") is not False:
        problems.add(source.path, "example", "success must be false")
    if not isinstance(error, dict):
        problems.add(source.path, "example", "error must be an object")
        return None
    if error.get("code") != code:
        problems.add(source.path, "example", f"error.code is {error.get('code')!r}, not {code}")
    if error.get("status") != status:
        problems.add(
            source.path, "example", f"error.status is {error.get('status')!r}, not {status}"
        )
    if not isinstance(error.get("message"), str):
        problems.add(source.path, "example", "error.message must be a string")
    if ("retry_after" in error) != (status == 429):
        problems.add(source.path, "example", "error.retry_after belongs on 429 responses only")
    if not TRACE_ID.fullmatch(str(envelope.get("trace_id", ""))):
        problems.add(source.path, "example", "trace_id must be 32 lower-case hex characters")
    return envelope


def load_code(
    source: ContentFile,
    categories: list[Category],
    guides: dict[str, Guide],
    registry: dict[str, Source],
    see_targets: dict[str, str],
    problems: Problems,
    snippet_sets: dict[str, tuple[SnippetSet | None, list[str]]] | None = None,
    guidance_dictionary: bytes = b"",
) -> ErrorCode | None:
    """One code file as an entry, or None with its problems added. `snippet_sets` keeps each
    snippet set read during one load, so the codes that share a set share one object (with
    its highlighted HTML) instead of a copy each. The guidance is compressed against
    `guidance_dictionary` (errors/packing.py), one bytes object for the whole load."""
    path = source.path
    start = len(problems)
    code = _require(source, "code", int, problems)
    message = _require(source, "message", str, problems)
    status = _require(source, "http_status", int, problems)
    troubleshooting = _require(source, "troubleshooting", str, problems)
    verdict = _require(source, "retry", str, problems)
    strategy = _require(source, "retry_strategy", str, problems)
    advice = _require(source, "retry_advice", str, problems)
    example = _require(source, "example", str, problems)
    related_codes = source.meta.get("related_codes", [])
    related_guides = source.meta.get("related_guides", [])
    delay = source.meta.get("retry_delay_seconds")
    message_confirmed = source.meta.get("message_confirmed", True)
    reported_by = source.meta.get("reported_by", "response")
    review = _review(source, registry, problems)
    _split_notes(source, problems)  # the notes section, if any, must come last
    snippet_set = None
    if "snippet" in source.meta:
        name = source.meta["snippet"]
        if snippet_sets is None or not isinstance(name, str):
            snippet_set, snippet_problems = load_set(path.parent.parent, name)
        else:
            if name not in snippet_sets:
                snippet_sets[name] = load_set(path.parent.parent, name)
            snippet_set, snippet_problems = snippet_sets[name]
        for message in snippet_problems:
            problems.add(path, "snippet", message)

    if code is not None and path.stem != str(code):
        problems.add(
            path,
            "code",
            f"is {code} but the file is named {path.name}: each code has one file, {code}.md",
        )
    if status is not None and status not in HTTPStatus._value2member_map_:
        problems.add(path, "http_status", f"{status} is not an HTTP status")
        status = None
    if verdict is not None and verdict not in VERDICTS:
        problems.add(path, "retry", f"must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if strategy is not None and strategy not in STRATEGIES:
        problems.add(path, "retry_strategy", f"must be one of {', '.join(STRATEGIES)}")
    elif strategy is not None and verdict in VERDICTS and STRATEGIES[strategy] != verdict:
        problems.add(
            path, "retry_strategy", f"{strategy!r} goes with retry = {STRATEGIES[strategy]!r}"
        )
    if (strategy == "delay") != isinstance(delay, int):
        problems.add(
            path, "retry_delay_seconds", "is required with retry_strategy 'delay', and only there"
        )
    if not isinstance(related_codes, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in related_codes
    ):
        problems.add(path, "related_codes", "must be a list of code numbers")
        related_codes = []
    if not isinstance(related_guides, list) or not all(isinstance(g, str) for g in related_guides):
        problems.add(path, "related_guides", "must be a list of guide slugs")
        related_guides = []
    if reported_by not in REPORTED_BY:
        problems.add(path, "reported_by", f"must be one of {', '.join(REPORTED_BY)}")
    if not isinstance(message_confirmed, bool):
        problems.add(path, "message_confirmed", "must be true or false")
    if not source.body.strip():
        problems.add(path, "body", "is empty: write the guidance for this code")
    category = None
    if code is not None:
        category = next((c for c in categories if c.holds(code)), None)
        if category is None:
            problems.add(path, "code", f"{code} falls in no category")
    envelope = None
    if example is not None and code is not None and status is not None:
        envelope = _check_example(source, example, code, status, problems)
    if len(problems) > start or category is None:
        return None

    example = json.dumps(envelope, indent=2)
    return ErrorCode(
        code=code,
        message=message,
        http_status=status,
        category=category,
        troubleshooting=troubleshooting,
        retry=RetryVerdict(verdict, strategy, advice, delay),
        related_codes=tuple(related_codes),
        related_guides=tuple(related_guides),
        example=example,
        guidance_compressed=packing.pack(source.body.encode(), guidance_dictionary),
        guidance_dictionary=guidance_dictionary,
        message_confirmed=message_confirmed,
        reported_by=reported_by,
        sources=review.sources,
        reviewed=review.reviewed,
        change=review.change,
        snippet_set=snippet_set,
        see_targets=see_targets,
    )
