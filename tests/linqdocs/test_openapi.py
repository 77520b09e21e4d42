"""/api/openapi.json against the site's real answers.

Every response provoked here is checked against the schema the document gives for its path,
method, status and content type: a status the document does not list, a field it does not name,
a value outside its enums or a missing required field fails the test.
"""

import json
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from diagnose.engine import FINDINGS, INPUT_KINDS, LEVELS, MAX_INPUT_BYTES
from errors.catalogue import VERDICTS
from errors.loading import get_catalogue
from errors.searchrequest import MAX_QUERY_LENGTH
from linqdocs import openapi
from tests.conftest import ENVELOPE, TRACE_ID
from tests.diagnose.cases import CASES

DOCUMENT_URI = "urn:linqdocs:openapi"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.openapi_document(get_catalogue())


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follows a document-local $ref of an OpenAPI object (a response, not a schema)."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def validator(document: dict[str, Any], pointer: str) -> Draft202012Validator:
    registry: Registry = Registry().with_resource(
        DOCUMENT_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=registry)


def check(document: dict[str, Any], path: str, method: str, response: Any) -> Any:
    """The response's body, after checking it is what the document promises for it."""
    operation = document["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {path} answered {status}, which the document does not list"
    )
    described = _resolve(document, operation["responses"][status])
    media_type = response["Content-Type"].split(";")[0].strip()
    assert media_type in described["content"], f"{status} is {media_type}, not documented"
    body = json.loads(response.content)
    reference = operation["responses"][status].get("$ref")  # already a JSON pointer
    where = reference[1:] if reference else _pointer("paths", path, method, "responses", status)
    schema_pointer = where + _pointer("content", media_type, "schema")
    errors = sorted(validator(document, schema_pointer).iter_errors(body), key=str)
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors
    )
    return body


# --- The document itself ---------------------------------------------------------------------


def test_openapi_describes_the_api(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/errors/", "/api/errors/{code}/", "/api/diagnose/"} <= set(spec["paths"])


def test_the_served_document_is_the_built_one(client, document):
    assert client.get("/api/openapi.json").json() == document


def test_enums_and_limits_come_from_the_code(document):
    schemas = document["components"]["schemas"]
    assert schemas["CategoryId"]["enum"] == [c.id for c in get_catalogue().categories]
    assert schemas["RetryVerdict"]["enum"] == list(VERDICTS)
    assert schemas["InputKind"]["enum"] == list(INPUT_KINDS)
    assert schemas["FindingId"]["enum"] == sorted(FINDINGS)
    assert schemas["FindingLevel"]["enum"] == list(LEVELS)
    assert schemas["TraceId"]["pattern"] == "^[0-9a-f]{32}$"
    q = document["paths"]["/api/errors/"]["get"]["parameters"][0]
    assert q["name"] == "q" and q["schema"]["maxLength"] == MAX_QUERY_LENGTH
    diagnose = document["paths"]["/api/diagnose/"]["post"]
    assert diagnose["summary"].endswith(f"up to {MAX_INPUT_BYTES // 1024} KiB)")
    assert f"({MAX_INPUT_BYTES} bytes)" in diagnose["responses"]["413"]["description"]


def test_every_name_in_the_source_is_filled_and_every_value_is_used(document):
    source = openapi.SOURCE.read_text()
    names = set(openapi.code_values(get_catalogue()))
    for name in names:
        assert f'"$code": "{name}"' in source or f"{{{name}}}" in source, f"{name} is never used"
    assert "$code" not in json.dumps(document) and "$format" not in json.dumps(document)


def test_the_document_is_valid_json_schema_where_it_holds_schemas(document):
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_the_check_rejects_what_the_document_does_not_allow(client, document):
    """The validation below can fail: a real answer, spoiled one way at a time, is refused."""
    good = client.get("/api/errors/1007/").json()
    pointer = "/components/schemas/Error"
    validator(document, pointer).validate(good)
    spoiled = [
        {k: v for k, v in good.items() if k != "url"},
        good | {"undocumented": 1},
        good | {"category": good["category"] | {"id": "9xxx"}},
        good | {"retry": {"verdict": "maybe", "advice": ""}},
    ]
    for instance in spoiled:
        with pytest.raises(ValidationError):
            validator(document, pointer).validate(instance)


# --- The catalogue API ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?category=3xxx&retry=yes", "?q=429", "?q=webhook&http=400&http=404", "?q=zzzqqqxxx"],
)
def test_the_catalogue_list_matches_the_document(client, document, query):
    body = check(document, "/api/errors/", "get", client.get(f"/api/errors/{query}"))
    assert body["count"] == len(body["errors"])
    if not query:
        assert body["count"] == len(get_catalogue().codes)


@pytest.mark.parametrize("code", [1007, 2004, 3002, 4004, 5005])
def test_one_code_matches_the_document(client, document, code):
    body = check(document, "/api/errors/{code}/", "get", client.get(f"/api/errors/{code}/"))
    assert body["code"] == code


@pytest.mark.parametrize(
    "query", ["?retry=maybe", "?category=9xxx", "?http=abc", f"?q={'x' * (MAX_QUERY_LENGTH + 1)}"]
)
def test_a_filter_it_cannot_read_is_a_documented_400(client, document, query):
    response = client.get(f"/api/errors/{query}")
    assert response.status_code == 400
    body = check(document, "/api/errors/", "get", response)
    assert body["success"] is False and body["error"]["status"] == 400


@pytest.mark.parametrize("code", ["9999", "1009", "abc"])
def test_an_unknown_code_is_a_documented_404(client, document, code):
    response = client.get(f"/api/errors/{code}/")
    assert response.status_code == 404
    body = check(document, "/api/errors/{code}/", "get", response)
    assert body["error"] == {
        "status": 404,
        "code": "unknown_code",
        "message": f"There is no error code {code!r}.",
    }


def test_a_failure_is_a_documented_500_envelope(document, monkeypatch):
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the search failed")

    monkeypatch.setattr("errors.views.search", fail)
    response = Client(raise_request_exception=False).get("/api/errors/")
    assert response.status_code == 500
    body = check(document, "/api/errors/", "get", response)
    assert body["trace_id"] == response["X-Trace-ID"]


# --- The diagnosis API ------------------------------------------------------------------------


def diagnose(client: Client, paste: str | bytes) -> Any:
    return client.post("/api/diagnose/", paste, content_type="text/plain")


@pytest.mark.parametrize("name", list(CASES))
def test_every_diagnosis_case_matches_the_document(client, document, name):
    case = CASES[name]
    response = diagnose(client, case.paste)
    assert response.status_code == case.status
    body = check(document, "/api/diagnose/", "post", response)
    assert body["input_kind"] == case.kind


@pytest.mark.parametrize(
    "paste",
    [
        ENVELOPE,
        TRACE_ID,
        "2004",
        "9999",
        "Rate limit exceeded",
        "not json {",
        '{"error": {"code": "1007", "status": "429", "retry_after": "soon", "trace_id": "xyz"}}',
        '{"success": false, "error": {"code": 1007.5, "status": 429.0}, "trace_id": null}',
        '{"errors": [{"status": 404, "code": "not_found", "title": "Not Found"}]}',
        "[" * 40 + "]" * 40,
        "Authorization: Bearer sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0\n" + ENVELOPE,
    ],
)
def test_odd_pastes_match_the_document(client, document, paste):
    check(document, "/api/diagnose/", "post", diagnose(client, paste))


def test_an_empty_paste_is_a_documented_400(client, document):
    response = diagnose(client, "  \n")
    assert response.status_code == 400
    body = check(document, "/api/diagnose/", "post", response)
    assert [f["id"] for f in body["findings"]] == ["empty_input"]


def test_a_paste_past_the_limit_is_a_documented_413(client, document):
    response = diagnose(client, "x" * (MAX_INPUT_BYTES + 1))
    assert response.status_code == 413
    body = check(document, "/api/diagnose/", "post", response)
    assert [f["id"] for f in body["findings"]] == ["input_too_large"]


def test_openapi_diagnosis_schema_names_what_the_api_returns(client, document):
    schemas = document["components"]["schemas"]
    item = schemas["DiagnosedError"]
    paste = (
        '{"success": false, "error": {"status": 404, "code": 2001, "message": "Chat not found"}}'
    )
    diagnosis = diagnose(client, paste).json()
    assert set(diagnosis) == set(schemas["Diagnosis"]["required"])
    assert diagnosis["input_kind"] in schemas["InputKind"]["enum"]
    assert diagnosis["diagnoses"]
    for produced in diagnosis["diagnoses"]:
        assert set(produced) == set(item["required"])
        assert set(produced["observed"]) == set(item["properties"]["observed"]["properties"])
        assert set(produced["retry"]) == set(item["properties"]["retry"]["properties"])
