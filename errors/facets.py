"""The catalogue's filter options with how many codes each would show.

A count answers "how many results would I see if I ticked this too": the search words and the
other groups' filters apply, the option's own group is replaced by the option alone. So ticking
"1xxx" never turns the counts of "2xxx" to zero, and every count is what a click would show.
"""

from dataclasses import dataclass, replace

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


def _count(entries: list[ErrorCode], filters: Filters) -> int:
    return sum(1 for entry in entries if filters.allows(entry))


def facets(wanted: SearchRequest, catalogue: Catalogue) -> Facets:
    # One search for the words; the filters are cheap predicates applied to its hits.
    matching = search(SearchRequest(q=wanted.q), catalogue).entries
    chosen = wanted.filters
    categories = tuple(
        Option(
            "category",
            category.id,
            f"{category.id} {category.name}",
            _count(matching, replace(chosen, categories=(category.id,))),
            category.id in chosen.categories,
        )
        for category in catalogue.categories
    )
    verdicts = tuple(
        Option(
            "retry",
            verdict,
            verdict,
            _count(matching, replace(chosen, verdicts=(verdict,))),
            verdict in chosen.verdicts,
        )
        for verdict in VERDICTS
    )
    statuses = tuple(
        Option(
            "http",
            str(status),
            str(status),
            _count(matching, replace(chosen, statuses=(status,))),
            status in chosen.statuses,
        )
        for status in catalogue.http_statuses
    )
    active = len(chosen.categories) + len(chosen.verdicts) + len(chosen.statuses)
    return Facets(categories, verdicts, statuses, active)
