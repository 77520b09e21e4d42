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
title, summary and text (errors/guidesearch.py).
"""

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import add, itemgetter
from typing import overload

from errors import packing
from errors.catalogue import Catalogue, ErrorCode
from errors.loading import get_catalogue
from errors.searchindex import JoinedTexts, WordIndex
from errors.searchrequest import Filters, SearchRequest

NO_FILTERS = Filters()
# A term's documents by the score each group of them gets: (score, code numbers).
Groups = list[tuple[float, Sequence[int]]]

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


# The fields of a code, in the order of the index's field masks (errors/searchindex.py).
FIELDS = (MESSAGE, RETRY, HTTP, TROUBLESHOOTING, GUIDANCE)


def best_weights(weights: Sequence[int]) -> list[int]:
    """For every field mask, the weight of the best field in it."""
    return [
        max((w for bit, w in enumerate(weights) if mask >> bit & 1), default=0)
        for mask in range(1 << len(weights))
    ]


def _field_texts(entry: ErrorCode) -> tuple[str, ...]:
    return (
        entry.message,
        entry.retry.advice,
        f"{entry.http_status} {entry.reason_phrase}",
        entry.troubleshooting,
    )


class SearchIndex:
    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        # The guidance as searched, for snippets: kept compressed (errors/packing.py: 9 MB → 4 MB
        # at 9,000 codes), since stripping the Markdown again for each hit shown costs ten times
        # more than inflating it.
        self.guidance_dictionary = packing.dictionary_from(
            plain_guidance(entry.guidance_source).encode()
            for entry in packing.spread(catalogue.codes)
        )
        self.guidance: dict[int, bytes] = {}
        self.words = WordIndex(
            (entry.code, [*(words(text) for text in _field_texts(entry)), words(guidance)])
            for entry, guidance in self._plain_guidance(catalogue)
        )
        self.code_numbers = tuple(sorted(str(entry.code) for entry in catalogue.codes))
        self.heads = JoinedTexts(
            (e.code, phrase_text(e.message + " | " + e.retry.advice)) for e in catalogue.codes
        )
        self.troubleshooting = JoinedTexts(
            (e.code, phrase_text(e.troubleshooting)) for e in catalogue.codes
        )

    def _plain_guidance(self, catalogue: Catalogue) -> Iterator[tuple[ErrorCode, str]]:
        for entry in catalogue.codes:
            guidance = plain_guidance(entry.guidance_source)
            self.guidance[entry.code] = packing.pack(guidance.encode(), self.guidance_dictionary)
            yield entry, guidance

    def guidance_text(self, code: int) -> str:
        """A code's guidance as searched: plain text, without Markdown."""
        return packing.unpack(self.guidance[code], self.guidance_dictionary).decode()

    # --- matching one term -------------------------------------------------------------------

    def _word_groups(self, term: str) -> Groups:
        groups = word_groups(self.words, _CODE_WEIGHTS, term)
        if groups or len(term) < 6:
            return groups
        # Two words run together ("ratelimit"): the codes that have both halves.
        scores: dict[int, float] = {}
        for cut in range(3, len(term) - 2):
            left, right = term[:cut], term[cut:]
            if left in self.words and right in self.words:
                both = combine(
                    [
                        word_scores(self.words, _CODE_WEIGHTS, left),
                        word_scores(self.words, _CODE_WEIGHTS, right),
                    ]
                )
                scores = {code: max(scores.get(code, 0), s) for code, s in both.items()} | {
                    code: s for code, s in scores.items() if code not in both
                }
        return _as_groups(scores)

    def _number_groups(self, term: str, among_words: bool = False) -> Groups:
        exact, prefixes = [], []
        numbers = self.code_numbers
        for position in range(bisect_left(numbers, term), len(numbers)):
            text = numbers[position]
            if text == term:
                exact.append(int(text))
            elif not text.startswith(term):
                break
            elif not among_words:
                # A code being typed ("30", "300"); beside words it is a quantity
                # ("retry 30 seconds", "100 messages a day"), not the start of a code.
                prefixes.append(int(text))
        groups: Groups = [(EXACT_CODE, exact)] if exact else []
        groups += [(CODE_PREFIX, prefixes)] if prefixes else []
        # A number is also a word of the text: "429" the status, "164" in E.164, "10" in 10 MB.
        if len(term) > 1:
            for mask, codes in self.words.documents(term):
                weight = _CODE_WEIGHTS[mask]
                groups.append((weight + (CODE_PREFIX if weight == HTTP else 0), codes))
        return groups

    def _term_groups(self, term: str, among_words: bool = False) -> Groups:
        """The codes `term` finds, grouped by the score each group gets."""
        if re.fullmatch(r"[1-9]xxx", term):
            category = self.catalogue.category(term)
            found = [e.code for e in self.catalogue.in_category(category)] if category else []
            return [(CODE_PREFIX, found)] if found else []
        if term.isdigit():
            return self._number_groups(term, among_words)
        return self._word_groups(term)

    # --- whole queries -----------------------------------------------------------------------

    def search(self, q: str, filters: Filters = NO_FILTERS, rank: bool = True) -> "Results":
        """The codes `q` finds, best first; with rank=False, the same codes and scores in no
        particular order (for a caller that adds scores up: no sort of thousands of codes)."""
        terms = list(dict.fromkeys([t for t in words(q) if t not in STOP_WORDS] or words(q)))
        if not terms:
            everything = self.catalogue.codes
            chosen = [e for e in everything if filters.allows(e)] if filters.active else everything
            return Results(self, [e.code for e in chosen], {}, [])
        among_words = not all(term.isdigit() for term in terms)
        found_by = [(term, self._term_groups(term, among_words)) for term in terms]
        # A word found nowhere ("teh", "please") does not empty the results.
        found_by = [(t, g) for t, g in found_by if g] if len(found_by) > 1 else found_by
        if not found_by:
            return Results(self, [], {}, terms)
        scored = _scores_rarest_first([groups for _, groups in found_by])
        full = scored[0] if len(scored) == 1 else combine(scored)  # this search's own dict
        terms = self._snippet_terms([t for t, _ in found_by])
        partial: dict[int, float] = {}
        last_term = found_by[-1][0]
        if len(found_by) > 1 and not last_term.isdigit() and len(full) < FEW_RESULTS:
            # The last word may be unfinished: when the whole query finds little, matches of all
            # the other words follow the full ones.
            partial = {
                code: score
                for code, score in combine(
                    [_best_scores(groups) for _, groups in found_by[:-1]]
                ).items()
                if code not in full
            }
        phrase = phrase_text(q) if len(phrase_text(q).split()) > 1 else ""
        in_head = self.heads.holding(phrase) if phrase else set()
        in_troubleshooting = self.troubleshooting.holding(phrase) - in_head if phrase else set()
        ranked: list[int] = []
        scores: dict[int, float] = {}
        for found in (full, partial):
            codes = sorted(found) if rank else list(found)
            if filters.active:
                get = self.catalogue.get
                codes = [code for code in codes if filters.allows(get(code))]  # type: ignore[arg-type]
            if in_head or in_troubleshooting:  # `found` is this search's own: lifted in place
                for code in in_head.intersection(found):
                    found[code] += PHRASE_BONUS
                for code in in_troubleshooting.intersection(found):
                    found[code] += TROUBLESHOOTING_PHRASE_BONUS
            # Best first; sorted() is stable, so codes of equal score stay in code order.
            ranked += sorted(codes, key=found.__getitem__, reverse=True) if rank else codes
            if filters.active:
                scores.update((code, found[code]) for code in codes)
            elif scores:
                scores.update(found)
            else:
                scores = found
        return Results(self, ranked, scores, terms)

    def _snippet_terms(self, terms: list[str]) -> list[str]:
        """What a hit's field and snippet look for: each word as typed and, for a word the
        catalogue does not hold, the words one typo away that it was scored by ("fuond" →
        "found"), so that a typo does not scan every field of every row for nothing."""
        found: list[str] = []
        for term in terms:
            found.append(term)
            if term.isalpha() and term not in self.words:
                found += sorted(self.words.one_typo_from(term))
        return list(dict.fromkeys(found))

    def hit(self, entry: ErrorCode, score: float, terms: list[str]) -> Hit:
        if not terms:
            return Hit(entry, score, "")
        if score >= CODE_PREFIX:
            return Hit(entry, score, "code")
        texts = [*_field_texts(entry), None]
        for weight, text in zip(FIELDS, texts, strict=True):
            text = self.guidance_text(entry.code) if text is None else text
            found = _find_any(text, terms)
            if found is not None:
                snippet = _snippet(text, *found) if weight in (TROUBLESHOOTING, GUIDANCE) else None
                return Hit(entry, score, FIELD_NAMES[weight], snippet)
        return Hit(entry, score, "guidance")


_CODE_WEIGHTS = best_weights(FIELDS)


class Results(Sequence[Hit]):
    """The ranked hits of one search. A Hit (its field and snippet) is made only when read: a
    page shows 50 or 100 of up to 9,000 matches, and the count needs none of them."""

    def __init__(
        self, index: SearchIndex, ranked: list[int], scores: dict[int, float], terms: list[str]
    ):
        self.searched = index
        self.ranked = ranked  # code numbers, best first
        self.scores = scores  # code -> score (none without words: every code scores 0)
        self.terms = terms

    def __len__(self) -> int:
        return len(self.ranked)

    def _hit(self, code: int) -> Hit:
        entry = self.searched.catalogue.get(code)
        assert entry is not None
        return self.searched.hit(entry, self.scores.get(code, 0), self.terms)

    @overload
    def __getitem__(self, position: int) -> Hit: ...
    @overload
    def __getitem__(self, position: slice) -> list[Hit]: ...
    def __getitem__(self, position: int | slice) -> Hit | list[Hit]:
        if isinstance(position, slice):
            return [self._hit(code) for code in self.ranked[position]]
        return self._hit(self.ranked[position])

    @property
    def entries(self) -> list[ErrorCode]:
        return self.searched.catalogue.entries(self.ranked)


def combine(term_scores: list[dict]) -> dict:
    """Codes found by every term (AND), each with the sum of its term scores.

    The codes common to all terms are found first, rarest term first and in C (a dict's keys
    intersected with a set walk the smaller of the two), so a common word ("message", "send")
    costs no Python loop over the thousands of codes it holds; only the common codes are summed,
    in the order of the terms."""
    first, *others = term_scores
    if not others:
        return dict(first)
    rarest, *rest = sorted(term_scores, key=len)
    common = rarest.keys() & rest[0].keys()
    for scores in rest[1:]:
        common = scores.keys() & common
    codes = list(common)
    if len(codes) < 2:  # itemgetter of one key answers a value, not a tuple
        return {code: reduce(add, (s[code] for s in others), first[code]) for code in codes}
    values = itemgetter(*codes)
    totals: Iterable[float] = values(first)
    for scores in others:  # (first + second) + third…: in the order of the terms
        totals = map(add, totals, values(scores))
    return dict(zip(codes, totals, strict=True))


def word_groups(index: WordIndex, weights: list[int], term: str) -> Groups:
    """The documents of `term`, by score: the best field holding the word itself, a longer word
    it starts (3+ letters, PREFIX_FACTOR) or, when the word is unknown, a word one typo away."""
    found: Groups = [(weights[mask] * 1.0, codes) for mask, codes in index.documents(term)]
    if len(term) >= 3:
        for word in index.starting_with(term):
            found += [(weights[m] * PREFIX_FACTOR, codes) for m, codes in index.documents(word)]
    if term not in index:
        for word in index.one_typo_from(term):
            found += [(weights[m] * TYPO_FACTOR, codes) for m, codes in index.documents(word)]
    return found


def word_scores(index: WordIndex, weights: list[int], term: str) -> dict[int, float]:
    """Document -> score of `term` (word_groups)."""
    return _best_scores(word_groups(index, weights, term))


def _as_groups(scores: dict[int, float]) -> Groups:
    grouped: dict[float, list[int]] = {}
    for code, score in scores.items():
        grouped.setdefault(score, []).append(code)
    return list(grouped.items())


def _scores_rarest_first(found_by: list[Groups]) -> list[dict[int, float]]:
    """Each term's scores, for the AND of the terms: the term with the fewest documents is scored
    in full, and each other one, in order of size, only among the documents every term before it
    holds. A common word ("message", "send") then costs a pass in C over its arrays, not a
    dictionary of the thousands of codes it holds. Only the common codes keep all their scores;
    combine() intersects."""
    if len(found_by) == 1:
        return [_best_scores(found_by[0])]
    scores: list[dict[int, float]] = [{} for _ in found_by]
    among: set[int] | None = None
    for position in sorted(range(len(found_by)), key=lambda i: _size(found_by[i])):
        scores[position] = _best_scores(found_by[position], among)
        among = set(scores[position])
    return scores


def _size(groups: Groups) -> int:
    return sum(len(codes) for _, codes in groups)


def _best_scores(found: Groups, among: set[int] | None = None) -> dict[int, float]:
    """Document -> the best weight of the arrays that hold it (only documents `among`, if given)."""
    if among is not None:
        within: dict[int, float] = {}
        for weight, codes in sorted(found, key=lambda group: group[0]):  # weakest first
            within.update(dict.fromkeys(among.intersection(codes), weight))
        return within
    # One array per weight, weakest first, so each document ends with its best score; joining
    # arrays and dict.fromkeys keep the work in C.
    by_weight: dict[float, array] = {}
    for weight, codes in found:
        held = by_weight.get(weight)
        if held is None:
            by_weight[weight] = array("H", codes)  # a copy: the index's arrays stay as they are
        else:
            held.extend(codes)
    weakest, *stronger = sorted(by_weight) or [0]
    scores: dict[int, float] = dict.fromkeys(by_weight.get(weakest, ()), weakest)
    for weight in stronger:
        scores.update(dict.fromkeys(by_weight[weight], weight))
    return scores


REST_OF_WORD = re.compile(r"\w*")


def _find_any(text: str, terms: Iterable[str]) -> tuple[int, int] | None:
    """Where the first term that starts a word of `text` matches (as `\\bterm\\w*` would), with
    the rest of that word. str.find looks for the term, in C; most fields do not hold it at all."""
    lowered = text.casefold()
    for term in terms:
        at = lowered.find(term)
        while at != -1:
            before = lowered[at - 1] if at else " "
            if not (before.isalnum() or before == "_"):  # a term starts with a letter or digit
                rest = REST_OF_WORD.match(lowered, at + len(term))
                return at, rest.end() if rest else at + len(term)
            at = lowered.find(term, at + 1)
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


def search(
    request: SearchRequest, catalogue: Catalogue | None = None, rank: bool = True
) -> Results:
    return index_for(catalogue or get_catalogue()).search(request.q, request.filters, rank)


# Queries that always find something, offered when a search finds nothing.
SUGGESTIONS = ["429", "Unauthorized", "2xxx", "webhook", "file too large"]
