"""The catalogue's filter options with how many codes each would show.

A count answers "how many results would I see if I ticked this too": the search words and the
other groups' filters apply, the option's own group is replaced by the option alone. So ticking
"1xxx" never turns the counts of "2xxx" to zero, and every count is what a click would show.
"""

from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from errors.catalogue import VERDICTS, Catalogue
from errors.search import search
from errors.searchrequest import Filters, SearchRequest


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


FacetKey = tuple[str, str, int]  # category, verdict, HTTP status


def _facet_keys(catalogue: Catalogue) -> tuple[array, list[FacetKey]]:
    """Per code number, the index of its (category, verdict, status) among the few the catalogue
    has: counting thousands of matches is then one pass in C over small integers. Kept with the
    catalogue, like its search index (10 KB at 9,000 codes)."""
    held = catalogue.derived.get("facet_keys")
    if held is None:
        keys: dict[FacetKey, int] = {}
        index = array("H", bytes(2 * (max(e.code for e in catalogue.codes) + 1)))
        for entry in catalogue.codes:
            key = (entry.category.id, entry.retry.verdict, entry.http_status)
            index[entry.code] = keys.setdefault(key, len(keys))
        held = catalogue.derived["facet_keys"] = (index, list(keys))
    return held  # type: ignore[return-value]


def _every_code(catalogue: Catalogue) -> Counter[int]:
    """How many codes of the whole catalogue hold each (category, verdict, status); kept with
    the catalogue like the keys."""
    counted = catalogue.derived.get("facet_totals")
    if counted is None:
        index, _ = _facet_keys(catalogue)
        counted = catalogue.derived["facet_totals"] = Counter(
            index[entry.code] for entry in catalogue.codes
        )
    return counted  # type: ignore[return-value]


def _counts(
    codes: Sequence[int], chosen: Filters, catalogue: Catalogue
) -> tuple[Counter[str], Counter[str], Counter[int]]:
    """Per category, verdict and status: the codes that ticking it alone in its group shows.

    One pass over the codes, counting each (category, verdict, status) they hold; then a key
    counts for its own category when the other groups' filters let it through, and likewise for
    its verdict and its status.
    """
    index, keys = _facet_keys(catalogue)
    categories: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    # A query that finds every code ("the", a bare "error") counts what no query counts.
    every = len(codes) == len(catalogue.codes)
    counted = _every_code(catalogue) if every else Counter(map(index.__getitem__, codes))
    for position, count in counted.items():
        category, verdict, status = keys[position]
        in_category = not chosen.categories or category in chosen.categories
        in_verdict = not chosen.verdicts or verdict in chosen.verdicts
        in_status = not chosen.statuses or status in chosen.statuses
        if in_verdict and in_status:
            categories[category] += count
        if in_category and in_status:
            verdicts[verdict] += count
        if in_category and in_verdict:
            statuses[status] += count
    return categories, verdicts, statuses


def facets(
    wanted: SearchRequest, catalogue: Catalogue, matching: Sequence[int] | None = None
) -> Facets:
    """`matching`: the code numbers the words alone find, when the caller has them already."""
    if matching is None:
        matching = search(SearchRequest(q=wanted.q), catalogue).ranked
    chosen = wanted.filters
    per_category, per_verdict, per_status = _counts(matching, chosen, catalogue)
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
