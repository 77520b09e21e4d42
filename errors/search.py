"""Search and filters over the in-memory catalogue.

The index is built once per catalogue. A query is split into terms; every term must match an
entry somewhere (AND), and each term scores by the best field it matched in:

    exact code > code range / prefix > message > retry advice > HTTP status and reason
    > troubleshooting > guidance

A query of several words found as a phrase in the message or the retry advice ranks above every
other word match ("retry after" finds 1007 first); as a phrase in the troubleshooting line it gets
a smaller lift. The last word may be one still being typed: when the whole query finds fewer than
FEW_RESULTS codes, codes matching every other word follow the full matches, so "attachment too"
still lists the attachment codes.

Words match exactly, by prefix (3+ letters), or with one typo (4+ letters, through a
single-deletion index, so no query scans the vocabulary). Guides are searched the same way, by
title, summary and text (`search_guides`).
"""

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from errors.catalogue import VERDICTS, Catalogue, ErrorCode, Guide
from errors.loading import get_catalogue

# Field weights: the ranking contract of the search.
EXACT_CODE = 1000
CODE_PREFIX = 400
MESSAGE = 100
RETRY = 95
HTTP = 90
TROUBLESHOOTING = 50
GUIDANCE = 10

PREFIX_FACTOR = 0.7
FEW_RESULTS = 5
TYPO_FACTOR = 0.5
PHRASE_BONUS = 300  # the whole query as a phrase in the message or the retry advice
TROUBLESHOOTING_PHRASE_BONUS = 60
MAX_QUERY_LENGTH = 200

FIELD_NAMES = {
    MESSAGE: "message",
    RETRY: "retry advice",
    HTTP: "HTTP status",
    TROUBLESHOOTING: "troubleshooting",
    GUIDANCE: "guidance",
}

STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how i if in is it my of on or the this to "
    "was what when why with you your error errors code not".split()
)
WORD = re.compile(r"[a-z0-9]+(?:[_'][a-z0-9]+)*")
FENCE = re.compile(r"```.*?```", re.DOTALL)
# Markdown punctuation, but not the underscore inside names such as retry_after.
MARKUP = re.compile(r"[`*#>|\[\]()]|(?<!\w)_|_(?!\w)|https?://\S+")


def words(text: str) -> list[str]:
    found = []
    for token in WORD.findall(text.casefold()):
        found.append(token)
        if "_" in token:
            found.extend(token.split("_"))
    return found


def phrase_text(text: str) -> str:
    """Text reduced for phrase matching: words only, so "retry_after" reads as "retry after"."""
    return " ".join(w for w in WORD.findall(text.casefold().replace("_", " ")))


def plain_guidance(markdown_source: str) -> str:
    """The guidance as searchable prose: code blocks and Markdown punctuation removed."""
    return re.sub(r"\s+", " ", MARKUP.sub(" ", FENCE.sub(" ", markdown_source))).strip()


@dataclass(frozen=True)
class Snippet:
    """Where a term matched in a long text: the words around the match, and whether the text
    goes on beyond them. Plain text; the template marks the match and escapes all of it."""

    before: str
    match: str
    after: str
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True)
class Hit:
    entry: ErrorCode
    score: float
    matched_in: str  # "code", "message", "HTTP status", "troubleshooting", "guidance", ""
    snippet: Snippet | None = None


@dataclass(frozen=True)
class Filters:
    categories: tuple[str, ...] = ()
    verdicts: tuple[str, ...] = ()
    statuses: tuple[int, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.categories or self.verdicts or self.statuses)

    def allows(self, entry: ErrorCode) -> bool:
        return (
            (not self.categories or entry.category.id in self.categories)
            and (not self.verdicts or entry.retry.verdict in self.verdicts)
            and (not self.statuses or entry.http_status in self.statuses)
        )


@dataclass(frozen=True)
class SearchRequest:
    """What a visitor asked for, read from query parameters, with what could not be understood."""

    q: str = ""
    filters: Filters = field(default_factory=Filters)
    problems: tuple[str, ...] = ()


def _values(params: Mapping, name: str) -> list[str]:
    raw = params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]
    # Accept both ?category=1xxx&category=2xxx and ?category=1xxx,2xxx.
    return [v.strip() for value in raw for v in str(value).split(",") if v.strip()]


def parse_request(params: Mapping, catalogue: Catalogue | None = None) -> SearchRequest:
    catalogue = catalogue or get_catalogue()
    problems = []
    q = " ".join(_values(params, "q")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        problems.append(f"The search text was cut to its first {MAX_QUERY_LENGTH} characters.")
        q = q[:MAX_QUERY_LENGTH]

    known_categories = [c.id for c in catalogue.categories]
    categories = []
    for value in _values(params, "category"):
        if value.lower() in known_categories:
            categories.append(value.lower())
        else:
            problems.append(
                f"There is no category {value!r}; categories are {', '.join(known_categories)}."
            )
    verdicts = []
    for value in _values(params, "retry"):
        if value.lower() in VERDICTS:
            verdicts.append(value.lower())
        else:
            problems.append(f"Retry must be one of {', '.join(VERDICTS)}, not {value!r}.")
    statuses = []
    for value in _values(params, "http"):
        if value.isdigit() and 100 <= int(value) <= 599:
            statuses.append(int(value))
        else:
            problems.append(f"HTTP status must be a number such as 404, not {value!r}.")
    filters = Filters(
        categories=tuple(dict.fromkeys(categories)),
        verdicts=tuple(dict.fromkeys(verdicts)),
        statuses=tuple(dict.fromkeys(statuses)),
    )
    return SearchRequest(q=q, filters=filters, problems=tuple(problems))


class SearchIndex:
    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        # word -> {code: best field weight containing it}
        self.postings: dict[str, dict[int, int]] = defaultdict(dict)
        self.text: dict[int, dict[int, str]] = {}
        for entry in catalogue.codes:
            fields = {
                MESSAGE: entry.message,
                RETRY: entry.retry.advice,
                HTTP: f"{entry.http_status} {entry.reason_phrase}",
                TROUBLESHOOTING: entry.troubleshooting,
                GUIDANCE: plain_guidance(entry.guidance_source),
            }
            self.text[entry.code] = fields
            for weight, text in fields.items():
                for word in words(text):
                    if self.postings[word].get(entry.code, 0) < weight:
                        self.postings[word][entry.code] = weight
        self.words = _WordIndex(self.postings)
        self.phrases = {
            entry.code: (
                phrase_text(entry.message + " | " + entry.retry.advice),
                phrase_text(entry.troubleshooting),
            )
            for entry in catalogue.codes
        }

    # --- matching one term -------------------------------------------------------------------

    def _word_scores(self, term: str) -> dict[int, float]:
        scores = self.words.scores(term)
        if scores or len(term) < 6:
            return scores
        # Two words run together ("ratelimit"): the codes that have both halves.
        for cut in range(3, len(term) - 2):
            left, right = term[:cut], term[cut:]
            if left in self.postings and right in self.postings:
                both = _combine([self.words.scores(left), self.words.scores(right)])
                scores = {code: max(scores.get(code, 0), s) for code, s in both.items()} | {
                    code: s for code, s in scores.items() if code not in both
                }
        return scores

    def _number_scores(self, term: str, among_words: bool = False) -> dict[int, float]:
        scores: dict[int, float] = {}
        for entry in self.catalogue.codes:
            text = str(entry.code)
            if text == term:
                scores[entry.code] = EXACT_CODE
            elif text.startswith(term) and not among_words:
                # A code being typed ("30", "300"); beside words it is a quantity
                # ("retry 30 seconds", "100 messages a day"), not the start of a code.
                scores[entry.code] = CODE_PREFIX
        # A number is also a word of the text: "429" the status, "164" in E.164, "10" in 10 MB.
        for code, weight in self.postings.get(term, {}).items() if len(term) > 1 else ():
            bonus = CODE_PREFIX if weight == HTTP else 0
            scores[code] = max(scores.get(code, 0), bonus + weight)
        return scores

    def _term_scores(self, term: str, among_words: bool = False) -> dict[int, float]:
        if re.fullmatch(r"[1-9]xxx", term):
            category = self.catalogue.category(term)
            return (
                {e.code: CODE_PREFIX for e in self.catalogue.in_category(category)}
                if category
                else {}
            )
        if term.isdigit():
            return self._number_scores(term, among_words)
        return self._word_scores(term)

    # --- whole queries -----------------------------------------------------------------------

    def search(self, q: str, filters: Filters = Filters()) -> list[Hit]:
        candidates = [e for e in self.catalogue.codes if filters.allows(e)]
        terms = list(dict.fromkeys([t for t in words(q) if t not in STOP_WORDS] or words(q)))
        if not terms:
            return [Hit(e, 0, "") for e in candidates]
        among_words = not all(term.isdigit() for term in terms)
        scored = [(term, self._term_scores(term, among_words)) for term in terms]
        # A word found nowhere ("teh", "please") does not empty the results.
        scored = [(t, s) for t, s in scored if s] if len(scored) > 1 else scored
        if not scored:
            return []
        full = _combine([s for _, s in scored])
        partial: dict[int, float] = {}
        last_term = scored[-1][0]
        if len(scored) > 1 and not last_term.isdigit() and len(full) < FEW_RESULTS:
            # The last word may be unfinished: when the whole query finds little, matches of all
            # the other words follow the full ones.
            partial = {
                code: score
                for code, score in _combine([s for _, s in scored[:-1]]).items()
                if code not in full
            }
        phrase = phrase_text(q) if len(phrase_text(q).split()) > 1 else ""
        hits = []
        for entry in candidates:
            if entry.code in full:
                score, complete = full[entry.code], True
            elif entry.code in partial:
                score, complete = partial[entry.code], False
            else:
                continue
            if phrase:
                head, troubleshooting = self.phrases[entry.code]
                if phrase in head:
                    score += PHRASE_BONUS
                elif phrase in troubleshooting:
                    score += TROUBLESHOOTING_PHRASE_BONUS
            hits.append((complete, self._hit(entry, score, terms)))
        hits.sort(key=lambda pair: (not pair[0], -pair[1].score, pair[1].entry.code))
        return [hit for _, hit in hits]

    def _hit(self, entry: ErrorCode, score: float, terms: list[str]) -> Hit:
        if score >= CODE_PREFIX:
            return Hit(entry, score, "code")
        fields = self.text[entry.code]
        for weight in (MESSAGE, RETRY, HTTP, TROUBLESHOOTING, GUIDANCE):
            found = _find_any(fields[weight], terms)
            if found is not None:
                snippet = (
                    _snippet(fields[weight], *found)
                    if weight in (TROUBLESHOOTING, GUIDANCE)
                    else None
                )
                return Hit(entry, score, FIELD_NAMES[weight], snippet)
        return Hit(entry, score, "guidance")


def _combine(term_scores: list[dict]) -> dict:
    """Codes found by every term (AND), each with the sum of its term scores."""
    totals = dict(term_scores[0])
    for scores in term_scores[1:]:
        totals = {code: totals[code] + s for code, s in scores.items() if code in totals}
    return totals


class _WordIndex:
    """Word -> {document: weight}, matched exactly, by prefix (3+ letters) or with one typo."""

    def __init__(self, postings: Mapping[str, Mapping]):
        self.postings = postings
        self.vocabulary = sorted(postings)
        self.deletions: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if len(word) >= 4 and not word.isdigit():
                for variant in _deletions(word):
                    self.deletions[variant].add(word)

    def scores(self, term: str) -> dict:
        scores: dict = {}

        def take(word: str, factor: float) -> None:
            for key, weight in self.postings.get(word, {}).items():
                scores[key] = max(scores.get(key, 0), weight * factor)

        take(term, 1.0)
        if len(term) >= 3:
            start = bisect_left(self.vocabulary, term)
            for word in self.vocabulary[start:]:
                if not word.startswith(term):
                    break
                if word != term:
                    take(word, PREFIX_FACTOR)
        if len(term) >= 4 and not term.isdigit() and term not in self.postings:
            candidates = set(self.deletions.get(term, ()))
            for variant in _deletions(term):
                candidates |= self.deletions.get(variant, set())
                if variant in self.postings:
                    candidates.add(variant)
            for word in candidates:
                take(word, TYPO_FACTOR)
        return scores


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _find_any(text: str, terms: Iterable[str]) -> tuple[int, int] | None:
    lowered = text.casefold()
    for term in terms:
        match = re.search(rf"\b{re.escape(term)}\w*", lowered)
        if match:
            return match.start(), match.end()
    return None


def _snippet(text: str, start: int, end: int, context: int = 70) -> Snippet:
    left = max(0, text.rfind(" ", 0, max(0, start - context)) + 1)
    right = text.find(" ", min(len(text), end + context))
    right = len(text) if right == -1 else right
    return Snippet(
        before=text[left:start],
        match=text[start:end],
        after=text[end:right],
        cut_before=left > 0,
        cut_after=right < len(text),
    )


def index_for(catalogue: Catalogue) -> SearchIndex:
    """The catalogue's search index, built on first use and kept with the catalogue (so the
    snapshot of errors/snapshots.py holds it too)."""
    index = catalogue.derived.get("search")
    if not isinstance(index, SearchIndex):
        index = catalogue.derived["search"] = SearchIndex(catalogue)
    return index


def search(request: SearchRequest, catalogue: Catalogue | None = None) -> list[Hit]:
    return index_for(catalogue or get_catalogue()).search(request.q, request.filters)


# --- Guides -----------------------------------------------------------------------------------

GUIDE_TITLE = 100
GUIDE_SUMMARY = 50
GUIDE_TEXT = 10


@dataclass(frozen=True)
class GuideHit:
    guide: Guide
    score: float


class GuideIndex:
    def __init__(self, catalogue: Catalogue):
        self.guides = catalogue.guides
        postings: dict[str, dict[str, int]] = defaultdict(dict)
        for guide in self.guides.values():
            fields = {
                GUIDE_TITLE: guide.title,
                GUIDE_SUMMARY: guide.summary,
                GUIDE_TEXT: plain_guidance(guide.source),
            }
            for weight, text in fields.items():
                for word in words(text):
                    if postings[word].get(guide.slug, 0) < weight:
                        postings[word][guide.slug] = weight
        self.words = _WordIndex(postings)

    def search(self, q: str) -> list[GuideHit]:
        terms = list(dict.fromkeys(t for t in words(q) if t not in STOP_WORDS and not t.isdigit()))
        scored = [s for s in (self.words.scores(t) for t in terms) if s]
        if not scored:
            return []
        totals = _combine(scored)
        hits = [GuideHit(self.guides[slug], score) for slug, score in totals.items()]
        # Only guides that are about the query, not every guide that uses one of its words.
        hits = [h for h in hits if h.score >= GUIDE_SUMMARY * PREFIX_FACTOR * len(scored)]
        return sorted(hits, key=lambda h: (-h.score, h.guide.title))


@cache
def _guide_index_for(catalogue: Catalogue) -> GuideIndex:
    return GuideIndex(catalogue)


def search_guides(q: str, catalogue: Catalogue | None = None) -> list[GuideHit]:
    """Guides whose title or summary answers the query, best first."""
    return _guide_index_for(catalogue or get_catalogue()).search(q)


# Queries that always find something, offered when a search finds nothing.
SUGGESTIONS = ["429", "Unauthorized", "2xxx", "webhook", "file too large"]
