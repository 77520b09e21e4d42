"""The catalogue in the shapes tools read: JSON (SPEC §4), Markdown, RFC 9457, llms.txt.

Shared by the JSON API, the per-code alternate formats and the command line; no HTTP in here.
"""

from diagnose.engine import FINDINGS, INPUT_KINDS, LEVELS, MAX_GROUPS, MAX_TRACE_IDS
from errors.catalogue import Catalogue, Category, ErrorCode, Guide
from errors.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


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
    related = ", ".join(f"[{c}](/errors/{c}/)" for c in entry.related_codes) or "none"
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
                f"- [{entry.code} {entry.message}](/errors/{entry.code}.md): HTTP "
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


def openapi_document(catalogue: Catalogue) -> dict:
    verdicts = ["yes", "no", "sometimes"]
    categories = [c.id for c in catalogue.categories]
    envelope = {
        "type": "object",
        "required": ["success", "error", "trace_id"],
        "properties": {
            "success": {"type": "boolean", "const": False},
            "error": {
                "type": "object",
                "required": ["status", "code", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "retry_after": {
                        "type": "integer",
                        "description": "On a 429: seconds to wait (also in Retry-After).",
                    },
                },
            },
            "trace_id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        },
    }
    entry = {
        "type": "object",
        "required": [
            "code",
            "message",
            "http_status",
            "category",
            "retry",
            "troubleshooting",
            "url",
        ],
        "properties": {
            "code": {"type": "integer"},
            "message": {"type": "string"},
            "http_status": {"type": "integer"},
            "category": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "enum": categories},
                    "name": {"type": "string"},
                    "default_retry": {"type": "string", "enum": verdicts},
                },
            },
            "retry": {
                "type": "object",
                "properties": {
                    "verdict": {"type": "string", "enum": verdicts},
                    "advice": {"type": "string"},
                },
            },
            "troubleshooting": {"type": "string"},
            "url": {"type": "string"},
            "guidance_html": {"type": "string"},
        },
    }
    multi = {"style": "form", "explode": True}
    filters = [
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}},
        {
            "name": "category",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string", "enum": categories}},
            **multi,
        },
        {
            "name": "retry",
            "in": "query",
            "schema": {"type": "array", "items": {"type": "string", "enum": verdicts}},
            **multi,
        },
        {
            "name": "http",
            "in": "query",
            "schema": {
                "type": "array",
                "items": {"type": "integer", "minimum": 100, "maximum": 599},
            },
            **multi,
        },
    ]
    pages = [
        {
            "name": "page",
            "in": "query",
            "description": "Which page, from 1.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "description": "Codes per page.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        },
    ]
    page_link = {
        "type": ["string", "null"],
        "description": "Root-relative URL of the neighbouring page, with the same filters; "
        "null on the first or last page.",
    }
    error_response = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}
    }
    finding = {
        "type": "object",
        "required": ["id", "level", "message"],
        "properties": {
            "id": {"type": "string", "enum": sorted(FINDINGS)},
            "level": {"type": "string", "enum": list(LEVELS)},
            "message": {"type": "string"},
            "line": {"type": "integer"},
            "column": {"type": "integer"},
        },
    }
    nullable_int = {"type": ["integer", "null"]}
    one_diagnosis = {
        "type": "object",
        "properties": {
            "code": nullable_int,
            "known": {"type": "boolean"},
            "category": {"type": ["string", "null"], "enum": [*categories, None]},
            "message": {"type": ["string", "null"]},
            "http_status": nullable_int,
            "observed": {
                "type": "object",
                "properties": {
                    "http_status": nullable_int,
                    "status": nullable_int,
                    "message": {"type": ["string", "null"]},
                    "retry_after": nullable_int,
                },
            },
            "retry": {
                "type": "object",
                "properties": {
                    "verdict": {"type": ["string", "null"], "enum": [*verdicts, None]},
                    "after_seconds": nullable_int,
                    "schedule_seconds": {"type": ["array", "null"], "items": {"type": "integer"}},
                },
            },
            "trace_id": {"type": ["string", "null"], "pattern": "^[0-9a-f]{32}$"},
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
            "url": {"type": ["string", "null"]},
            "support_url": {"type": "string"},
            "count": {
                "type": "integer",
                "minimum": 1,
                "description": "How many errors of the paste diagnose exactly like this one "
                "(alike but for their trace ids).",
            },
            "trace_ids": {
                "type": "array",
                "maxItems": MAX_TRACE_IDS,
                "items": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                "description": f"Their trace ids in order, at most {MAX_TRACE_IDS}.",
            },
            "trace_id_count": {"type": "integer", "description": "Distinct trace ids in all."},
        },
    }
    one_diagnosis["required"] = list(one_diagnosis["properties"])
    diagnosis = {
        "type": "object",
        "required": ["input_kind", "findings", "diagnoses", "count", "error_count", "truncated"],
        "properties": {
            "input_kind": {
                "type": "string",
                "enum": list(INPUT_KINDS),
            },
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
            "diagnoses": {
                "type": "array",
                "maxItems": MAX_GROUPS,
                "items": one_diagnosis,
                "description": f"Distinct diagnoses in the order first seen, at most {MAX_GROUPS}.",
            },
            "count": {"type": "integer", "description": "Distinct diagnoses in all."},
            "error_count": {"type": "integer", "description": "Errors in the paste, every copy."},
            "truncated": {
                "type": "boolean",
                "description": "Some distinct diagnoses are counted but not listed.",
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "linqdocs",
            "version": "1.0.0",
            "description": "The Linq API v3 error catalogue and a diagnosis service for "
            "pasted errors.",
        },
        "paths": {
            "/api/errors/": {
                "get": {
                    "summary": "The catalogue, filtered",
                    "operationId": "listErrors",
                    "parameters": [*filters, *pages],
                    "responses": {
                        "200": {
                            "description": "Matching codes",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["count", "next", "previous", "errors"],
                                        "properties": {
                                            "count": {
                                                "type": "integer",
                                                "description": "Codes matching the filters, "
                                                "on every page",
                                            },
                                            "next": page_link,
                                            "previous": page_link,
                                            "errors": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Error"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "A filter, page or page_size value is not understood, "
                            "or the page is past the last one",
                            **error_response,
                        },
                    },
                }
            },
            "/api/errors/{code}/": {
                "get": {
                    "summary": "One code",
                    "operationId": "getError",
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The code",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                        "404": {"description": "No such code", **error_response},
                    },
                }
            },
            "/api/diagnose/": {
                "post": {
                    "summary": "Diagnose a pasted error (raw body, up to 64 KiB)",
                    "operationId": "diagnose",
                    "requestBody": {
                        "required": True,
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "The diagnosis",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Diagnosis"}
                                }
                            },
                        },
                        "400": {
                            "description": "Empty paste",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Diagnosis"}
                                }
                            },
                        },
                        "413": {
                            "description": "Paste larger than 64 KiB",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Diagnosis"}
                                }
                            },
                        },
                        "429": {
                            "description": "Too many diagnoses from this client "
                            "(DIAGNOSE_RATE_LIMIT); error.retry_after and Retry-After say "
                            "when to try again",
                            **error_response,
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": entry,
                "Envelope": envelope,
                "Finding": finding,
                "Diagnosis": diagnosis,
            }
        },
    }
