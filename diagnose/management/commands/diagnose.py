"""`manage.py diagnose [FILE|-]`: the diagnosis of SPEC §5 on a terminal.

    pbpaste | python manage.py diagnose
    python manage.py diagnose response.txt --json

Exit status 0 when something was diagnosed, 2 for empty or unusable input (or an unreadable
file). Like the page and the API, it masks secrets first and writes nothing anywhere but stdout.
"""

import json
import sys
import textwrap

from django.core.management.base import BaseCommand, CommandError

from diagnose.engine import (
    KIND_LABELS,
    MAX_INPUT_BYTES,
    Diagnosis,
    Finding,
    Report,
    diagnose_bytes,
)

UNUSABLE = 2
WIDTH = 100


class Command(BaseCommand):
    help = (
        "Diagnose a Linq API error: an envelope, curl -i/-v output, log lines, a webhook, "
        "a code, a trace id or a message. Reads FILE, or standard input."
    )
    requires_system_checks = []  # reading a paste needs no database; content errors still show
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
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

    def handle(self, *args, **options):
        report = diagnose_bytes(self.read(options["file"], options.get("stdin") or sys.stdin))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self.render(report, options["base_url"].rstrip("/")))
        if not report.diagnosed:
            raise CommandError("nothing could be diagnosed", returncode=UNUSABLE)

    def read(self, name: str, stdin) -> bytes:
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
        style = self.style
        count = len(report.diagnoses)
        head = f"Diagnosis: {KIND_LABELS[report.input_kind]}"
        if count > 1:
            head += (
                f" ({count} possible codes)" if report.input_kind == "message" else f" ({count})"
            )
        lines = [style.MIGRATE_HEADING(head), ""]
        for finding in report.findings:
            lines += self.finding(finding, indent="")
        if report.findings:
            lines.append("")
        if count > 1 and report.input_kind != "message":
            lines.append(style.MIGRATE_HEADING("Summary by code"))
            for group in report.groups():
                label = str(group.code) if group.code is not None else "no code"
                message = group.entry.message if group.entry else "not in the catalogue"
                traces = ", ".join(group.trace_ids) or "no trace id"
                lines.append(f"  {label:>6} x{group.count}  {message}  ({traces})")
            lines.append("")
        for diagnosis in report.diagnoses:
            lines += self.diagnosis(diagnosis, base_url)
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def diagnosis(self, diagnosis: Diagnosis, base_url: str) -> list[str]:
        style = self.style
        if diagnosis.known:
            title = f"{diagnosis.code}  {diagnosis.message}"
        elif diagnosis.code is not None:
            title = f"{diagnosis.code}  unknown code"
        else:
            title = "trace id" if diagnosis.source == "trace_id" else "no error code"
        if diagnosis.line and diagnosis.line > 1:
            title += f"  (line {diagnosis.line})"
        lines = [style.HTTP_INFO(title)]
        facts = []
        if diagnosis.known:
            entry = diagnosis.entry
            facts.append(
                (
                    "documented",
                    f"HTTP {entry.http_status} {entry.reason_phrase} · "
                    f"{entry.category.id} {entry.category.name}",
                )
            )
        elif diagnosis.category:
            facts.append(("category", f"{diagnosis.category.id} {diagnosis.category.name}"))
        observed = diagnosis.observed
        if observed["http_status"] is not None:
            facts.append(("HTTP seen", str(observed["http_status"])))
        if observed["message"] is not None and observed["message"] != diagnosis.message:
            facts.append(("message seen", json.dumps(observed["message"], ensure_ascii=False)))
        if diagnosis.code is not None or diagnosis.source != "trace_id":
            retry = diagnosis.retry
            verdict = {"yes": style.SUCCESS("yes"), "no": style.ERROR("no")}.get(
                retry.verdict, style.WARNING(retry.verdict or "unknown")
            )
            when = retry.summary
            if retry.retry_at is not None:
                when += (
                    " Counted from the response's Date header."
                    if retry.counted_from == "date"
                    else " Counted from now: paste the Date header for the exact time."
                )
            facts.append(("retry", f"{verdict} — {when}"))
        facts.append(("trace id", diagnosis.trace_id or "none in the paste"))
        if diagnosis.known:
            facts.append(("change", diagnosis.entry.troubleshooting))
        for label, value in facts:
            lines += self.wrapped(f"{label + ':':<14}", value, indent=" " * 16)
        for finding in diagnosis.findings:
            lines += self.finding(finding, indent="  ")
        if diagnosis.url:
            lines.append(f"  {'read:':<14}{base_url}{diagnosis.url}")
        lines.append(f"  {'support:':<14}{base_url}{diagnosis.support_url}")
        return lines

    def finding(self, finding: Finding, indent: str) -> list[str]:
        paint = {"error": self.style.ERROR, "warning": self.style.WARNING}.get(
            finding.level, self.style.HTTP_INFO
        )
        where = f" (line {finding.line}, column {finding.column})" if finding.line else ""
        label = f"{indent}{paint(f'{finding.level:<8}')}{finding.id}{where}"
        body = textwrap.wrap(
            finding.message,
            WIDTH - len(indent) - 4,
            initial_indent=indent + "    ",
            subsequent_indent=indent + "    ",
        )
        return [label, *body]

    def wrapped(self, label: str, value: str, indent: str) -> list[str]:
        lines = textwrap.wrap(value, WIDTH - len(indent)) or [""]
        return [f"  {label}{lines[0]}", *(indent + line for line in lines[1:])]
