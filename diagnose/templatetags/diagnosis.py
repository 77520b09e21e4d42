"""`{{ text|code_segments }}`: a diagnosis text with its backtick-marked pieces as `<code>`.

Every piece is escaped by `format_html`, so pasted text quoted in a finding never becomes markup.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from diagnose import labels
from diagnose.engine import Finding
from diagnose.presentation import Fact, finding_details, segments

register = template.Library()


@register.filter
def code_segments(text: str) -> SafeString:
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<code>{}</code>", piece) if is_code else piece,)
            for is_code, piece in segments(str(text))
        ),
    )


@register.filter
def details(finding: Finding) -> tuple[Fact, ...]:
    """`{% for fact in finding|details %}`: the field-level facts of a request finding."""
    return finding_details(finding)


@register.filter
def finding_label(finding_id: str) -> str:
    """`code_not_integer` → "Code is not a number": ids are for tools, words for people."""
    return labels.finding_label(str(finding_id))
