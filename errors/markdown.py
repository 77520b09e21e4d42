"""The one place Markdown is configured and the one place its output is marked safe.

Only files from the repository (`errors/content/`) are rendered here; they are trusted the way code
is. Python-Markdown passes raw HTML straight through, so nothing a user typed may ever be given to
`render()`: user text is escaped by templates instead.
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["toc", "fenced_code", "tables", "codehilite", "attr_list", "sane_lists"]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"toc_depth": "2-3", "permalink": "#", "permalink_title": "Link to this section"},
    # CSS classes (not inline styles) so the strict Content-Security-Policy holds.
    "codehilite": {"css_class": "highlight", "guess_lang": False, "use_pygments": True},
}


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    toc_html: SafeString
    headings: tuple[str, ...]


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


_md = _converter()
# A Markdown instance keeps state between reset() and convert(): one render at a time.
_md_lock = threading.Lock()


def render(source: str) -> Rendered:
    """Render trusted repository Markdown to HTML with a table of contents."""
    with _md_lock:
        _md.reset()
        html = _md.convert(source)
        # Set by the toc extension, so the Markdown class does not declare them.
        toc_html: str = _md.toc  # type: ignore[attr-defined]
        toc_tokens: list[dict[str, Any]] = _md.toc_tokens  # type: ignore[attr-defined]
    # A code block that scrolls sideways must be reachable by keyboard (WCAG 2.1.1).
    html = html.replace("<pre>", '<pre tabindex="0">')
    headings = tuple(_flatten_toc(toc_tokens))
    return Rendered(html=mark_safe(html), toc_html=mark_safe(toc_html), headings=headings)


def highlight_json(text: str) -> SafeString:
    """Highlight a JSON example from the repository (never a user's paste: those are escaped)."""
    return render(f"```json\n{text.strip()}\n```").html


def link_see_references(text: str, targets: dict[str, str]) -> SafeString:
    """Escape a troubleshooting line and link its "See <phrase>." references.

    `text` is repository content; `targets` maps a phrase to the URL it links to.
    """
    html = str(escape(text))
    for phrase, href in targets.items():
        pattern = re.compile(rf"\b(See) ({re.escape(escape(phrase))})(?=[.,;]|$)")
        html = pattern.sub(_link_to(href), html)
    return mark_safe(html)


def _link_to(href: str) -> Callable[[re.Match[str]], str]:
    return lambda m: f'{m[1]} <a href="{escape(href)}">{m[2]}</a>'


def _flatten_toc(tokens: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for token in tokens:
        names.append(token["name"])
        names.extend(_flatten_toc(token.get("children", [])))
    return names
