"""Search over the guides: which guide answers a query, by title, summary and text.

The same word index and scoring as the codes' search (errors/search.py), with the guides' own
weights; a guide is listed beside the codes only when the query is about it, not when the guide
merely uses one of its words.
"""

from dataclasses import dataclass
from functools import cache

from errors.catalogue import Catalogue, Guide
from errors.loading import get_catalogue
from errors.search import (
    PREFIX_FACTOR,
    STOP_WORDS,
    best_weights,
    combine,
    plain_guidance,
    word_scores,
    words,
)
from errors.searchindex import WordIndex

GUIDE_TITLE = 100
GUIDE_SUMMARY = 50
GUIDE_TEXT = 10
_GUIDE_WEIGHTS = best_weights((GUIDE_TITLE, GUIDE_SUMMARY, GUIDE_TEXT))


@dataclass(frozen=True)
class GuideHit:
    guide: Guide
    score: float


class GuideIndex:
    def __init__(self, catalogue: Catalogue):
        self.slugs = sorted(catalogue.guides)
        self.guides = [catalogue.guides[slug] for slug in self.slugs]
        self.words = WordIndex(
            (number, [words(g.title), words(g.summary), words(plain_guidance(g.source))])
            for number, g in enumerate(self.guides)
        )

    def search(self, q: str) -> list[GuideHit]:
        terms = list(dict.fromkeys(t for t in words(q) if t not in STOP_WORDS and not t.isdigit()))
        scored = [s for s in (word_scores(self.words, _GUIDE_WEIGHTS, t) for t in terms) if s]
        if not scored:
            return []
        totals = combine(scored)
        hits = [GuideHit(self.guides[number], score) for number, score in totals.items()]
        # Only guides that are about the query, not every guide that uses one of its words.
        hits = [h for h in hits if h.score >= GUIDE_SUMMARY * PREFIX_FACTOR * len(scored)]
        return sorted(hits, key=lambda h: (-h.score, h.guide.title))


@cache
def _guide_index_for(catalogue: Catalogue) -> GuideIndex:
    return GuideIndex(catalogue)


def search_guides(q: str, catalogue: Catalogue | None = None) -> list[GuideHit]:
    """Guides whose title or summary answers the query, best first."""
    return _guide_index_for(catalogue or get_catalogue()).search(q)
