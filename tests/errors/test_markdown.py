"""errors/markdown.py: the one configured renderer, and the one place HTML is marked safe."""

import re

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
