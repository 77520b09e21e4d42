"""Links to the catalogue's pages, taken from the URLconf instead of written by hand.

reverse() walks the resolver on every call, and a list of thousands of codes links each one more
than once; so each view is reversed once, with a marker where its one argument goes, and the
argument (a code or a slug: nothing that needs quoting) is put in its place per link.
"""

from functools import cache

from django.urls import reverse

_MARKER = "ARGUMENT"  # a valid code and slug, in no real path


@cache
def _around(view_name: str) -> tuple[str, str]:
    before, _, after = reverse(view_name, args=[_MARKER]).partition(_MARKER)
    return before, after


def link(view_name: str, argument: int | str) -> str:
    """link("errors:detail", 1007) == "/errors/1007/", as reverse() would say."""
    before, after = _around(view_name)
    return f"{before}{argument}{after}"
