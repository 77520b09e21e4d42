"""Pages of a long list: which page a request asks for, the page itself, links to its neighbours.

The JSON catalogue and the catalogue page share it (SPEC §4): `page` counts from 1, `page_size`
defaults to 100 and stops at 500. Links keep every other query parameter (the filters) and are
root-relative, so they are the same whatever host the request named.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import QueryDict

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class PageRequest:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE
    problems: tuple[str, ...] = ()


def parse_page(params: QueryDict, default_size: int = DEFAULT_PAGE_SIZE) -> PageRequest:
    """`page` and `page_size` from the query; each value that is not understood is a problem."""
    problems = []
    number, size = 1, default_size
    raw_number = params.get("page")
    if raw_number is not None:
        if _NUMBER.fullmatch(raw_number.strip()) and int(raw_number) >= 1:
            number = int(raw_number)
        else:
            problems.append(f"page must be a whole number from 1, not {raw_number[:20]!r}.")
    raw_size = params.get("page_size")
    if raw_size is not None:
        if _NUMBER.fullmatch(raw_size.strip()) and 1 <= int(raw_size) <= MAX_PAGE_SIZE:
            size = int(raw_size)
        else:
            problems.append(
                f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, "
                f"not {raw_size[:20]!r}."
            )
    return PageRequest(number, size, tuple(problems))


@dataclass(frozen=True)
class Page:
    items: list = field(repr=False)
    number: int
    size: int
    count: int  # items in the whole list

    @property
    def pages(self) -> int:
        return page_count(self.count, self.size)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the page's first item (0 on an empty list)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0


def page_count(count: int, size: int) -> int:
    """Pages a list of `count` items fills; an empty list still has its (empty) first page."""
    return max(1, math.ceil(count / size))


def page_of(items: Sequence, wanted: PageRequest) -> Page | None:
    """The page asked for, or None when the list has fewer pages (page 1 always exists)."""
    if wanted.number > page_count(len(items), wanted.size):
        return None
    start = (wanted.number - 1) * wanted.size
    return Page(list(items[start : start + wanted.size]), wanted.number, wanted.size, len(items))


def page_link(path: str, params: QueryDict, number: int) -> str:
    """`path` with the same query, on page `number`; page 1 is the address without `page`."""
    query = params.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path
