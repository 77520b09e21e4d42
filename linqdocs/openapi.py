"""The OpenAPI document of the site's JSON API, served at /api/openapi.json.

`openapi.json` beside this module holds what people write: paths, descriptions, the shapes of the
answers. What the code owns is only named there, so the document cannot drift from it:
`{"$code": "name"}` stands for a value (the categories, the retry verdicts, the input kinds and
finding ids of the diagnosis, the size limit) and `{"$format": "... {name} ..."}` for a sentence
around one. `code_values()` lists every name.
"""

import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from diagnose.engine import (
    FINDINGS,
    INPUT_KINDS,
    LEVELS,
    MAX_GROUPS,
    MAX_INPUT_BYTES,
    MAX_TRACE_IDS,
)
from diagnose.engine.words import MAX_CODES
from errors.catalogue import VERDICTS, Catalogue
from errors.loading import get_catalogue
from errors.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from errors.searchrequest import MAX_QUERY_LENGTH
from errors.traceids import TRACE_ID
from errors.views import catalogue_page
from linqdocs.errorpages import JSON_DUMPS

SOURCE = Path(__file__).with_name("openapi.json")


def code_values(catalogue: Catalogue) -> dict[str, Any]:
    return {
        "category_ids": [category.id for category in catalogue.categories],
        "verdicts": list(VERDICTS),
        "input_kinds": list(INPUT_KINDS),
        "finding_ids": sorted(FINDINGS),
        "levels": list(LEVELS),
        "trace_id_pattern": f"^{TRACE_ID.pattern}$",
        "max_query_length": MAX_QUERY_LENGTH,
        "max_input_bytes": MAX_INPUT_BYTES,
        "max_input_size": f"{MAX_INPUT_BYTES // 1024} KiB",
        "max_groups": MAX_GROUPS,
        "max_page_size": MAX_PAGE_SIZE,
        "default_page_size": DEFAULT_PAGE_SIZE,
        "max_trace_ids": MAX_TRACE_IDS,
        "max_related_codes": MAX_CODES,
    }


def openapi_document(catalogue: Catalogue) -> dict[str, Any]:
    document = json.loads(SOURCE.read_text(encoding="utf-8"))
    filled: dict[str, Any] = _fill(document, code_values(catalogue))
    return filled


def _fill(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if node.keys() == {"$code"}:
            return values[node["$code"]]
        if node.keys() == {"$format"}:
            return node["$format"].format_map(values)
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    return node


@catalogue_page
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(get_catalogue()), json_dumps_params=JSON_DUMPS)
