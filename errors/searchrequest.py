"""What a visitor asked the catalogue's search for, read from the query string: the words, the
filters (category, retry verdict, HTTP status), and every part that could not be understood, each
with a sentence that says why. The search itself is errors/search.py.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from errors.catalogue import VERDICTS, Catalogue, ErrorCode
from errors.loading import get_catalogue

MAX_QUERY_LENGTH = 200


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
