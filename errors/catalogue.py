"""The error catalogue: the immutable objects a loaded catalogue is made of, and its look-ups.

errors/loading.py reads them from `errors/content/`; these classes are also what a snapshot holds
(errors/snapshots.py), so their module path is part of every snapshot.
"""

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from http import HTTPStatus

from django.utils.safestring import SafeString

from errors import markdown, packing
from errors.links import link
from errors.snippets import SnippetSet
from errors.sources import Source

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
    # The guidance's Markdown, compressed (errors/packing.py): at 9,000 codes it is most of the
    # catalogue's memory, and it is read only to render a page once, to index it, and for the
    # .md files.
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
    # The preset dictionary guidance_compressed was made with (b"": none); one bytes object
    # shared by every entry of a catalogue.
    guidance_dictionary: bytes = field(default=b"", repr=False, compare=False)

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
        return packing.unpack(self.guidance_compressed, self.guidance_dictionary).decode()

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

    def entries(self, codes: Iterable[int]) -> list[ErrorCode]:
        """The entries of `codes`, each a code of the catalogue, in that order."""
        return list(map(self._by_code.__getitem__, codes))

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

    @cached_property
    def http_statuses(self) -> list[int]:
        return sorted({e.http_status for e in self.codes})


def normalise_message(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".!").casefold()
