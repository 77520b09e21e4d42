"""The error catalogue: loaded once from `errors/content/` into immutable objects.

Layout of the content folder:

    categories/<id>.md   one per category (1xxx … 5xxx): TOML front matter + explanation
    codes/<code>.md      one per error code: TOML front matter + guidance
    guides/<slug>.md     short guides the code pages link to

Front matter sits between two `+++` lines at the top of a file and is TOML. `validate_content()`
reports every problem with its file and field; Django's system checks (`errors/checks.py`) run it,
so `manage.py check` tells a docs writer exactly what is wrong.
"""

import json
import re
import threading
import tomllib
import zlib
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString

from errors import markdown, mentions, snapshots
from errors.links import link
from errors.snippets import SnippetSet, load_set
from errors.sources import Source, load_registry, read_sources
from errors.traceids import TRACE_ID

VERDICTS = ("yes", "no", "sometimes")
# How a retryable code is retried; each strategy belongs to one verdict.
STRATEGIES = {
    "fix": "no",  # change the request or account first; retrying as-is fails the same way
    "retry_after": "yes",  # wait what the 429 says (Retry-After / error.retry_after)
    "backoff": "yes",  # exponential backoff from 1 s, capped at 30 s
    "delay": "yes",  # a fixed short wait (retry_delay_seconds)
    "condition": "sometimes",  # once something outside the request has changed
}
BACKOFF_SCHEDULE = (1, 2, 4, 8, 16, 30)
REPORTED_BY = ("response", "webhook")
# The error classes of the official SDKs (@linqapp/sdk, linq-python), by HTTP status.
SDK_ERRORS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    409: "ConflictError",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
}
DOC_URL = "https://docs.linqapp.com/error/codes/{category}/{code}/"
# The closing section of a page, if it has one: shown last and folded, never as the page's voice.
NOTES_HEADING = "## Where the sources disagree"


class ContentError(Exception):
    def __init__(self, problems: list["ContentProblem"]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ContentProblem:
    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}" + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Category:
    id: str  # "1xxx"
    name: str
    default_retry: str  # yes / no / sometimes
    default_retry_text: str  # "No — fix the request"
    summary: str
    description: markdown.Rendered

    @property
    def first_code(self) -> int:
        return int(self.id[0]) * 1000

    def holds(self, number: int) -> bool:
        return self.first_code <= number < self.first_code + 1000


@dataclass(frozen=True)
class RetryVerdict:
    verdict: str  # yes / no / sometimes
    strategy: str  # one of STRATEGIES
    advice: str  # one sentence for people
    delay_seconds: int | None = None  # for the "delay" strategy

    @property
    def schedule_seconds(self) -> tuple[int, ...] | None:
        return BACKOFF_SCHEDULE if self.strategy == "backoff" else None


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    summary: str
    body: markdown.Rendered
    source: str
    link_phrases: dict[str, str] = field(default_factory=dict)  # phrase -> fragment
    sources: tuple[Source, ...] = ()
    reviewed: date | None = None
    change: str = ""  # what changed at the last review, for the feed
    source_notes: markdown.Rendered | None = None  # "Where the sources disagree", folded

    @property
    def url(self) -> str:
        return link("errors:guide", self.slug)

    @property
    def markdown_url(self) -> str:
        return link("errors:guide_markdown", self.slug)


@dataclass(frozen=True)
class ErrorCode:
    code: int
    message: str
    http_status: int
    category: Category
    troubleshooting: str
    retry: RetryVerdict
    related_codes: tuple[int, ...]
    related_guides: tuple[str, ...]
    example: str  # the example envelope, JSON text
    # The guidance's Markdown, zlib-compressed: at 9,000 codes it is most of the catalogue's
    # memory, and it is read only to render a page once, to index it, and for the .md files.
    guidance_compressed: bytes
    # False where Linq's reference describes the code but shows no exact message text.
    message_confirmed: bool = True
    sources: tuple[Source, ...] = ()
    reviewed: date | None = None
    change: str = ""  # what changed at the last review, for the feed
    reported_by: str = "response"  # or "webhook": it arrives as a message.failed event
    snippet_set: SnippetSet | None = None  # "Handle it in code": curl, Python, JavaScript
    # Phrase -> URL for "See <phrase>." links; one dict shared by every entry of a catalogue.
    see_targets: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def sdk_error(self) -> str | None:
        """The class the official SDKs raise for this code's status (None if no call raises it)."""
        if self.reported_by == "webhook":
            return None
        return SDK_ERRORS.get(
            self.http_status, "InternalServerError" if self.http_status >= 500 else "APIStatusError"
        )

    @property
    def sdk_retries(self) -> bool:
        """Whether the official SDKs retry this status by themselves (twice, by default)."""
        return self.reported_by == "response" and (
            self.http_status in (408, 409, 429) or self.http_status >= 500
        )

    # The HTML is made on first use, not at load: a catalogue of 9,000 codes starts in seconds,
    # and a page's HTML is kept by the response cache once served (linqdocs/responsecache.py).
    @property
    def guidance_source(self) -> str:
        return zlib.decompress(self.guidance_compressed).decode()

    @cached_property
    def guidance(self) -> markdown.Rendered:
        return markdown.render(self.guidance_source.partition(NOTES_HEADING)[0])

    @cached_property
    def source_notes(self) -> markdown.Rendered | None:
        """The closing "Where the sources disagree" section, rendered apart, or None."""
        notes = self.guidance_source.partition(NOTES_HEADING)[2].strip()
        return markdown.render(notes) if notes else None

    @cached_property
    def troubleshooting_html(self) -> SafeString:
        return markdown.link_see_references(self.troubleshooting, self.see_targets)

    @cached_property
    def example_html(self) -> SafeString:
        return markdown.highlight_json(self.example)

    @property
    def reason_phrase(self) -> str:
        return HTTPStatus(self.http_status).phrase

    @property
    def url(self) -> str:
        return link("errors:detail", self.code)

    @property
    def doc_url(self) -> str:
        return DOC_URL.format(category=self.category.id, code=self.code)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one catalogue per load
class Catalogue:
    categories: tuple[Category, ...]
    codes: tuple[ErrorCode, ...]  # sorted by code
    guides: dict[str, Guide]
    updated_at: datetime  # newest modification time among the content files
    digest: str = ""  # of the content and the code that loaded it (errors/snapshots.py)
    snapshot_key: str = ""  # which snapshot holds it
    # Indexes other modules build over this catalogue (search, messages), kept with it so a
    # snapshot holds them too.
    derived: dict[str, object] = field(default_factory=dict, repr=False)

    _by_code: dict[int, ErrorCode] = field(init=False, repr=False)
    _position: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {e.code: e for e in self.codes})
        object.__setattr__(self, "_position", {e.code: i for i, e in enumerate(self.codes)})

    def get(self, code: int) -> ErrorCode | None:
        return self._by_code.get(code)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def category_for_number(self, number: int) -> Category | None:
        return next((c for c in self.categories if c.holds(number)), None)

    @property
    def number_range(self) -> tuple[int, int]:
        """The first and last number a code can have: the span of the categories (1000-5999)."""
        firsts = [c.first_code for c in self.categories]
        return min(firsts), max(firsts) + 999

    def lookup(self, number: int | None) -> tuple[ErrorCode | None, Category | None]:
        """The entry of `number`, and its category: the entry's, or the range an unknown number
        falls in (None for both outside every category)."""
        if number is None:
            return None, None
        entry = self.get(number)
        return entry, entry.category if entry else self.category_for_number(number)

    def in_category(self, category: Category) -> tuple[ErrorCode, ...]:
        return tuple(e for e in self.codes if e.category is category)

    def exceptions(self, category: Category) -> tuple[ErrorCode, ...]:
        """The category's codes whose own retry verdict differs from the category default."""
        return tuple(
            e for e in self.in_category(category) if e.retry.verdict != category.default_retry
        )

    def neighbours(self, entry: ErrorCode) -> tuple[ErrorCode | None, ErrorCode | None]:
        index = self._position[entry.code]
        previous = self.codes[index - 1] if index > 0 else None
        following = self.codes[index + 1] if index + 1 < len(self.codes) else None
        return previous, following

    def nearest(self, number: int, count: int = 5) -> list[ErrorCode]:
        # Only the `count` codes either side of where `number` would sit can be nearest.
        middle = bisect_left(self.codes, number, key=lambda e: e.code)
        around = self.codes[max(0, middle - count) : middle + count]
        return sorted(around, key=lambda e: (abs(e.code - number), e.code))[:count]

    def with_message(self, message: str) -> list[ErrorCode]:
        """Codes whose documented message equals `message`, ignoring case and end punctuation."""
        wanted = normalise_message(message)
        return [e for e in self.codes if normalise_message(e.message) == wanted]

    @property
    def http_statuses(self) -> list[int]:
        return sorted({e.http_status for e in self.codes})


def normalise_message(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".!").casefold()


# --- Loading ------------------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A\+\+\+\n(?P<meta>.*?)\n\+\+\+\n?(?P<body>.*)\Z", re.DOTALL)


@dataclass
class _Source:
    path: Path
    meta: dict
    body: str


class _Problems(list):
    def add(self, path: Path, field_name: str, message: str) -> None:
        self.append(ContentProblem(path, field_name, message))


@dataclass(frozen=True)
class _Review:
    sources: tuple[Source, ...]
    reviewed: date | None
    change: str


def _review(source: _Source, registry: dict[str, Source], problems: _Problems) -> _Review:
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


def _split_notes(source: _Source, problems: _Problems) -> tuple[str, str | None]:
    """The guidance and, apart from it, the closing "Where the sources disagree" section."""
    body = source.body
    if NOTES_HEADING not in body:
        return body, None
    guidance, _, notes = body.partition(NOTES_HEADING)
    if re.search(r"^## ", notes, re.MULTILINE):
        problems.add(source.path, "body", f"'{NOTES_HEADING[3:]}' must be the last section")
    return guidance, notes.strip()


def _read(path: Path, problems: _Problems) -> _Source | None:
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
    return _Source(path, meta, match["body"])


def _require(source: _Source, name: str, kind: type | tuple[type, ...], problems: _Problems) -> Any:
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


def _load_categories(folder: Path, problems: _Problems) -> list[Category]:
    categories = []
    for path in sorted(folder.glob("*.md")):
        source = _read(path, problems)
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


def _load_guides(
    folder: Path, registry: dict[str, Source], problems: _Problems
) -> dict[str, Guide]:
    guides = {}
    for path in sorted(folder.glob("*.md")):
        source = _read(path, problems)
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
    source: _Source, example: str, code: int, status: int, problems: _Problems
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


def _load_code(
    source: _Source,
    categories: list[Category],
    guides: dict[str, Guide],
    registry: dict[str, Source],
    see_targets: dict[str, str],
    problems: _Problems,
) -> ErrorCode | None:
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
        snippet_set, snippet_problems = load_set(path.parent.parent, source.meta["snippet"])
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
        guidance_compressed=zlib.compress(source.body.encode(), 6),
        message_confirmed=message_confirmed,
        reported_by=reported_by,
        sources=review.sources,
        reviewed=review.reviewed,
        change=review.change,
        snippet_set=snippet_set,
        see_targets=see_targets,
    )


def _see_targets(guides: dict[str, Guide]) -> dict[str, str]:
    """Phrase -> URL for "See <phrase>." references: each guide's title and its link phrases."""
    return {
        phrase: guide.url + (f"#{fragment}" if fragment else "")
        for guide in guides.values()
        for phrase, fragment in {guide.title: "", **guide.link_phrases}.items()
    }


def _collect(folder: Path) -> tuple[Catalogue | None, list[ContentProblem]]:
    problems = _Problems()
    registry, registry_problems = load_registry(folder)
    for field_name, message in registry_problems:
        problems.add(folder / "sources.toml", field_name, message)
    categories = _load_categories(folder / "categories", problems)
    guides = _load_guides(folder / "guides", registry, problems)
    entries: dict[int, ErrorCode] = {}
    see_targets = _see_targets(guides)
    for path in sorted((folder / "codes").glob("*.md")):
        source = _read(path, problems)
        if source is None:
            continue
        entry = _load_code(source, categories, guides, registry, see_targets, problems)
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


def _check_mentions(
    folder: Path, entries: dict[int, "ErrorCode"], guides: dict[str, Guide], problems: _Problems
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
    that run at start-up also do the first request's loading.
    """
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
