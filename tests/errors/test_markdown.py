"""errors/markdown.py: the one configured renderer, and the one place HTML is marked safe."""

import re
from pathlib import Path

from django.conf import settings

from errors import markdown


def test_markdown_renders_tables_and_fenced_code():
    rendered = markdown.render("## Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```json\n{}\n```\n")
    assert "<table>" in rendered.html
    assert re.search(
        r'<div class="highlight"><pre tabindex="0">.*</pre></div>', rendered.html, re.S
    )
    assert rendered.headings == ("Title",)


def test_see_references_are_escaped_and_linked():
    html = markdown.link_see_references(
        "Use <b>PATCH</b>. See Rate Limits.", {"Rate Limits": "/guides/rate-limits/"}
    )
    assert html == (
        'Use &lt;b&gt;PATCH&lt;/b&gt;. See <a href="/guides/rate-limits/">Rate Limits</a>.'
    )


# Where HTML could be let through unescaped, in Python and in templates.
UNESCAPED = re.compile(r"mark_safe|SafeString\(|\|safe\b|safeseq|autoescape off|\bnh3\b")


def test_nothing_but_the_markdown_module_marks_html_safe():
    """Text a user typed is only ever escaped: no other module or HTML template may mark HTML
    safe, so no sanitiser (nh3) is needed. Repository Markdown is the one trusted source. (The
    plain-text e-mail templates turn autoescaping off: they are not HTML.)"""
    roots = ["linqdocs", "errors", "diagnose", "support", "templates"]
    offenders = []
    for root in roots:
        for path in sorted((Path(settings.BASE_DIR) / root).rglob("*")):
            if path.suffix not in (".py", ".html") or path.name == "markdown.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if UNESCAPED.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line}")
    assert offenders == []
