"""`manage.py diagnose [FILE|-]`: the diagnosis of SPEC §5 on a terminal.

    pbpaste | python manage.py diagnose
    python manage.py diagnose response.txt --json

Exit status 0 when something was diagnosed, 2 for empty or unusable input (or an unreadable
file). Like the page and the API, it masks secrets first and writes nothing anywhere but stdout.
"""

import json
import sys
import textwrap
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diagnose.engine import MAX_INPUT_BYTES, Finding, Report, diagnose_bytes
from diagnose.labels import finding_label
from diagnose.presentation import (
    RETRY,
    DiagnosisView,
    finding_details,
    present_report,
    segments,
)

UNUSABLE = 2
WIDTH = 100
LABEL_WIDTH = 22  # the longest label, "Share this diagnosis", and a space


class Command(BaseCommand):
    help = (
        "Diagnose a Linq API error: an envelope, curl -i/-v output, log lines, a webhook, "
        "a code, a trace id or a message. Reads FILE, or standard input."
    )
    requires_system_checks = []  # reading a paste needs no database; content errors still show
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help="the file to read; '-' or nothing reads stdin"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the JSON of POST /api/diagnose/ instead"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="prefix for the printed links, e.g. https://linqdocs.example.com",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = diagnose_bytes(self.read(options["file"], options.get("stdin") or sys.stdin))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self.render(report, options["base_url"].rstrip("/")))
        if not report.diagnosed:
            raise CommandError("nothing could be diagnosed", returncode=UNUSABLE)

    def read(self, name: str, stdin: TextIO) -> bytes:
        """At most one byte past the limit: enough to know the paste is too large."""
        if name == "-":
            if stdin.isatty():
                self.stderr.write("Paste the error, then press Ctrl-D (Ctrl-Z Enter on Windows).")
            stream = getattr(stdin, "buffer", None)
            data = stream.read(MAX_INPUT_BYTES + 1) if stream else stdin.read(MAX_INPUT_BYTES + 1)
            return data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
        try:
            with open(name, "rb") as handle:
                return handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise CommandError(
                f"cannot read {name}: {exc.strerror or exc}", returncode=UNUSABLE
            ) from None

    # --- Text ---------------------------------------------------------------------------------

    def render(self, report: Report, base_url: str) -> str:
        """The page's diagnosis as text: the same views (`diagnose.presentation`), in columns."""
        style = self.style
        view = present_report(report)
        head = f"Diagnosis: {view.kind_label}"
        if view.count_note:
            head += f" {view.count_note}"
        lines = [style.MIGRATE_HEADING(head), ""]
        for finding in view.findings:
            lines += self.finding(finding, indent="")
        if view.findings:
            lines.append("")
        if view.advice:
            lines += [*textwrap.wrap(plain(view.advice), WIDTH), ""]
        if view.groups:
            lines.append(style.MIGRATE_HEADING("Summary by code"))
            for group in view.groups:
                label = str(group.code) if group.code is not None else "no code"
                message = group.entry.message if group.entry else "not in the catalogue"
                traces = ", ".join(group.trace_ids) or "no trace id"
                lines.append(f"  {label:>6} x{group.count}  {message}  ({traces})")
            lines.append("")
        if view.related is not None:
            lines.append(style.MIGRATE_HEADING("Codes that match your words"))
            for entry in view.related:
                lines.append(f"  {entry.code:>6}  {entry.message}  {base_url}{entry.url}")
            if not view.related:
                lines.append("  none: no code of the catalogue matches these words")
            for link in (view.search, view.support):
                if link is not None:
                    lines += self.wrapped(link.label, base_url + link.url)
            lines.append("")
        for card in view.diagnoses:
            lines += self.diagnosis(card, base_url)
            lines.append("")
        if view.more_note:
            lines += [*textwrap.wrap(view.more_note, WIDTH), ""]
        return "\n".join(lines).rstrip() + "\n"

    def diagnosis(self, card: DiagnosisView, base_url: str) -> list[str]:
        style = self.style
        title = card.title_text
        if card.title_code is not None:
            title = f"{card.title_code}  {title}"
        if card.line:
            title += f"  (line {card.line})"
        lines = [style.HTTP_INFO(title)]
        for fact in card.facts:
            value = plain(fact.text)
            if fact.key == RETRY:
                verdict = card.diagnosis.retry.verdict
                painted = {"yes": style.SUCCESS("yes"), "no": style.ERROR("no")}.get(
                    verdict or "", style.WARNING(verdict or "unknown")
                )
                lines += self.wrapped(fact.label, f"{painted} — {value}")
                for note in (card.retry_note, card.retry_advice):  # the page's lines below it
                    lines += self.wrapped("", plain(note)) if note else []
                continue
            lines += self.wrapped(fact.label, value)
        for _, findings in card.findings_by_level:
            for finding in findings:
                lines += self.finding(finding, indent="  ")
        for link in card.actions:  # the primary one first, as on the page
            lines += self.wrapped(link.label, base_url + link.url)
        return lines

    def finding(self, finding: Finding, indent: str) -> list[str]:
        paint = {"error": self.style.ERROR, "warning": self.style.WARNING}.get(
            finding.level, self.style.HTTP_INFO
        )
        where = f" (line {finding.line}, column {finding.column})" if finding.line else ""
        label = f"{indent}{paint(f'{finding.level:<8}')}{finding_label(finding.id)}{where}"
        body = textwrap.wrap(
            finding.message,
            WIDTH - len(indent) - 4,
            initial_indent=indent + "    ",
            subsequent_indent=indent + "    ",
        )
        details = [
            line
            for fact in finding_details(finding)
            for line in self.wrapped(indent + "  " + fact.label, plain(fact.text))
        ]
        return [label, *body, *details]

    def wrapped(self, label: str, value: str) -> list[str]:
        """`  Label               value`, the value wrapped in its column."""
        width = WIDTH - LABEL_WIDTH - 2
        lines = textwrap.wrap(value, width, break_long_words=False, break_on_hyphens=False)
        lines = lines or [""]
        return [
            f"  {label:<{LABEL_WIDTH}}{lines[0]}",
            *(" " * (LABEL_WIDTH + 2) + line for line in lines[1:]),
        ]


def plain(text: str) -> str:
    """A presented text for the terminal: its backtick-marked code pieces as plain text."""
    return "".join(piece for _, piece in segments(text))
