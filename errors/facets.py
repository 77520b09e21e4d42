"""The catalogue's filter options with how many codes each would show.

A count answers "how many results would I see if I ticked this too": the search words and the
other groups' filters apply, the option's own group is replaced by the option alone. So ticking
"1xxx" never turns the counts of "2xxx" to zero, and every count is what a click would show.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from errors.catalogue import VERDICTS, Catalogue, ErrorCode
from errors.search import Filters, SearchRequest, search


@dataclass(frozen=True)
class Option:
    group: str  # the query parameter: "category", "retry", "http"
    value: str  # as it goes into the URL
    label: str
    count: int
    checked: bool

    @property
    def dom_id(self) -> str:
        return f"filter-{self.group}-{self.value}"


@dataclass(frozen=True)
class Facets:
    categories: tuple[Option, ...]
    verdicts: tuple[Option, ...]
    statuses: tuple[Option, ...]
    active: int  # how many options are ticked

    @property
    def options(self) -> tuple[Option, ...]:
        return self.categories + self.verdicts + self.statuses


def _counts(
    entries: Sequence[ErrorCode], chosen: Filters
) -> tuple[Counter[str], Counter[str], Counter[int]]:
    """Per category, verdict and status: the entries that ticking it alone in its group shows.

    One pass over the entries: an entry counts for its own category when the other groups'
    filters let it through, and likewise for its verdict and its status.
    """
    if not chosen.active:  # counted in C: thousands of matches at 9,000 codes
        return (
            Counter(map(attrgetter("category.id"), entries)),
            Counter(map(attrgetter("retry.verdict"), entries)),
            Counter(map(attrgetter("http_status"), entries)),
        )
    categories: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for entry in entries:
        in_category = not chosen.categories or entry.category.id in chosen.categories
        in_verdict = not chosen.verdicts or entry.retry.verdict in chosen.verdicts
        in_status = not chosen.statuses or entry.http_status in chosen.statuses
        if in_verdict and in_status:
            categories[entry.category.id] += 1
        if in_category and in_status:
            verdicts[entry.retry.verdict] += 1
        if in_category and in_verdict:
            statuses[entry.http_status] += 1
    return categories, verdicts, statuses


def facets(
    wanted: SearchRequest, catalogue: Catalogue, matching: Sequence[ErrorCode] | None = None
) -> Facets:
    """`matching`: the codes the words alone find, when the caller has them already."""
    if matching is None:
        matching = search(SearchRequest(q=wanted.q), catalogue).entries
    chosen = wanted.filters
    per_category, per_verdict, per_status = _counts(matching, chosen)
    categories = tuple(
        Option(
            "category",
            category.id,
            f"{category.id} {category.name}",
            per_category[category.id],
            category.id in chosen.categories,
        )
        for category in catalogue.categories
    )
    verdicts = tuple(
        Option(
            "retry",
            verdict,
            verdict,
            per_verdict[verdict],
            verdict in chosen.verdicts,
        )
        for verdict in VERDICTS
    )
    statuses = tuple(
        Option(
            "http",
            str(status),
            str(status),
            per_status[status],
            status in chosen.statuses,
        )
        for status in catalogue.http_statuses
    )
    active = len(chosen.categories) + len(chosen.verdicts) + len(chosen.statuses)
    return Facets(categories, verdicts, statuses, active)
