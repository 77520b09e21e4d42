"""Where content mentions an error code, and whether each mention is a link to its page.

A mention is a four-digit code of the catalogue in running text. Code blocks and inline code are
not text (a `curl` line or a `doc_url` may hold a number); a Markdown link to `/errors/<code>/`
is a linked mention.
"""

import re
from dataclasses import dataclass

FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
CODE_LINK = re.compile(r"\[([^\]]*)\]\(/errors/(\d{4})/(?:#[\w-]*)?\)")
NUMBER = re.compile(r"(?<![\w/.#+-])(\d{4})(?![\w/])")


@dataclass(frozen=True)
class Mentions:
    linked: frozenset[int]
    unlinked: tuple[int, ...]  # in order of appearance, repeats kept once


def _blank(match: re.Match) -> str:
    return " " * len(match[0])


def find(source: str, known: set[int] | frozenset[int]) -> Mentions:
    text = INLINE_CODE.sub(_blank, FENCE.sub(_blank, source))
    linked = frozenset(int(m[2]) for m in CODE_LINK.finditer(text))
    text = CODE_LINK.sub(_blank, text)
    unlinked = [int(m[1]) for m in NUMBER.finditer(text) if int(m[1]) in known]
    return Mentions(linked=linked, unlinked=tuple(dict.fromkeys(unlinked)))


def link_all(source: str, known: set[int] | frozenset[int], own: int | None = None) -> str:
    """`source` with every unlinked mention (bold or not) turned into a link; `own` left alone."""
    protected = [(m.start(), m.end()) for m in FENCE.finditer(source)]
    protected += [(m.start(), m.end()) for m in INLINE_CODE.finditer(source)]
    protected += [(m.start(), m.end()) for m in CODE_LINK.finditer(source)]

    def inside(position: int) -> bool:
        return any(start <= position < end for start, end in protected)

    def replace(match: re.Match) -> str:
        number = int(match[2])
        if inside(match.start(2)) or number not in known or number == own:
            return match[0]
        return f"[{number}](/errors/{number}/)"

    return re.sub(r"(\*\*)?(?<![\w/.#+-])(\d{4})(?![\w/])(\*\*)?", replace, source)
