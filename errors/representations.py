"""The catalogue in the shapes tools read: JSON (SPEC §4), Markdown, RFC 9457, llms.txt.

Shared by the JSON API, the per-code alternate formats and the command line; no HTTP in here.
"""

from errors.catalogue import Catalogue, Category, ErrorCode, Guide
from errors.links import link


def category_dict(category: Category) -> dict:
    return {"id": category.id, "name": category.name, "default_retry": category.default_retry}


def entry_dict(entry: ErrorCode, *, guidance: bool = True) -> dict:
    data = {
        "code": entry.code,
        "message": entry.message,
        "http_status": entry.http_status,
        "category": category_dict(entry.category),
        "retry": {"verdict": entry.retry.verdict, "advice": entry.retry.advice},
        "troubleshooting": entry.troubleshooting,
        "url": entry.url,
    }
    if guidance:
        data["guidance_html"] = str(entry.guidance.html)
    return data


def catalogue_dict(
    entries: list[ErrorCode], count: int, next_url: str | None, previous_url: str | None
) -> dict:
    """One page of the JSON catalogue (SPEC §4): `count` is the total across every page."""
    return {
        "count": count,
        "next": next_url,
        "previous": previous_url,
        "errors": [entry_dict(e, guidance=False) for e in entries],
    }


def retry_sentence(entry: ErrorCode) -> str:
    retry = entry.retry
    if retry.schedule_seconds is not None:
        schedule = ", ".join(str(s) for s in retry.schedule_seconds)
        return f"{retry.advice} Backoff schedule: {schedule} s, with jitter."
    if retry.strategy == "delay":
        return f"{retry.advice} Wait about {retry.delay_seconds} s."
    return retry.advice


WORDING_NOTE = (
    "- Message wording: not confirmed; Linq's reference describes the code but does not show "
    "the exact text\n"
)


def entry_markdown(entry: ErrorCode) -> str:
    """One code as a Markdown document: front facts, troubleshooting, example, guidance source."""
    related = ", ".join(f"[{c}]({link('errors:detail', c)})" for c in entry.related_codes) or "none"
    return (
        f"# {entry.code} — {entry.message}\n\n"
        f"- HTTP status: {entry.http_status} {entry.reason_phrase}\n"
        f"- Category: {entry.category.id} {entry.category.name} "
        f"(default: {entry.category.default_retry_text})\n"
        f"- Retry: {entry.retry.verdict} — {retry_sentence(entry)}\n"
        f"- Troubleshooting: {entry.troubleshooting}\n"
        + ("" if entry.message_confirmed else WORDING_NOTE)
        + f"- Related codes: {related}\n"
        f"- Page: {entry.url}\n\n"
        f"## Example envelope\n\n```json\n{entry.example}\n```\n\n"
        f"{entry.guidance_source.strip()}\n\n{_snippets_markdown(entry)}{_sources_markdown(entry)}"
    )


def _snippets_markdown(entry: ErrorCode) -> str:
    if entry.snippet_set is None:
        return ""
    fences = {"curl": "bash", "python": "python", "javascript": "javascript"}
    blocks = "".join(
        f"### {s.label}\n\n```{fences[s.language]}\n{s.code}\n```\n\n"
        for s in entry.snippet_set.snippets
    )
    return f"## Handle it in code\n\n{blocks}"


def _sources_markdown(page: ErrorCode | Guide) -> str:
    reviewed = page.reviewed.isoformat() if page.reviewed else "never"
    listed = "".join(f"- [{s.title}]({s.url})\n" for s in page.sources)
    return f"## Sources\n\nLast reviewed {reviewed}.\n\n{listed}"


def guide_markdown(guide: Guide) -> str:
    """One guide as a Markdown document: its summary, its source text and its sources."""
    return (
        f"# {guide.title}\n\n> {guide.summary}\n\n- Page: {guide.url}\n\n"
        f"{guide.source.strip()}\n\n{_sources_markdown(guide)}"
    )


def entry_problem(entry: ErrorCode, base_url: str) -> dict:
    """RFC 9457 problem details describing the code (type URI = its page)."""
    return {
        "type": base_url + entry.url,
        "title": entry.message,
        "status": entry.http_status,
        "detail": entry.troubleshooting,
        "code": entry.code,
        "category": entry.category.id,
        "retry": entry.retry.verdict,
        "retry_advice": entry.retry.advice,
    }


def llms_index(catalogue: Catalogue, *, full: bool = False) -> str:
    lines = [
        "# linqdocs — Linq API v3 error reference",
        "",
        "> Every error code of the Linq messaging API v3: meaning, HTTP status, whether and when "
        "to retry, and how to fix it. Errors arrive as {success: false, error: {status, code, "
        "message, retry_after?, doc_url?}, trace_id}.",
        "",
        "Machine-readable: /api/errors/ (JSON catalogue), /api/errors/<code>/, /errors/<code>.md, "
        "/api/openapi.json; POST a pasted error to /api/diagnose/ for a diagnosis.",
        "",
    ]
    for category in catalogue.categories:
        lines += [f"## {category.id} {category.name} — {category.default_retry_text}", ""]
        for entry in catalogue.in_category(category):
            lines.append(
                f"- [{entry.code} {entry.message}]({link('errors:markdown', entry.code)}): HTTP "
                f"{entry.http_status}; retry {entry.retry.verdict}; {entry.troubleshooting}"
            )
        lines.append("")
    lines += ["## Guides", ""]
    lines += [f"- [{g.title}]({g.markdown_url}): {g.summary}" for g in catalogue.guides.values()]
    if full:
        for entry in catalogue.codes:
            lines += ["", "---", "", entry_markdown(entry)]
        for guide in catalogue.guides.values():
            lines += ["", "---", "", guide_markdown(guide).strip()]
    return "\n".join(lines) + "\n"
