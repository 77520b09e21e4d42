"""Rules about how the request was sent: URL, API version, authorization, content type, body."""

import re

from diagnose.engine.request.endpoints import BASE_URL, is_v2_path, is_v3_path
from diagnose.engine.request.model import Problem, RequestView, rule, shown

API_HOST = "api.linqapp.com"
_BEARER = re.compile(r"Bearer (?P<token>\S+)\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\Z")
_CHAT_ID = re.compile(r"/v3/chats/(?P<id>[^/]+)")
_PLACEHOLDER = re.compile(r"^(?:\$\{?\w+\}?|<[^>]*>|\{\{[^}]*\}\}|\.\.\.|…)$")


@rule("request_v2_api", sources=("v2-legacy", "authentication"), codes=(2004,), stage=0)
def legacy_v2(view: RequestView) -> list[Problem]:
    """The legacy V2 API's path or token header."""
    request = view.request
    v2_header = request.header("X-LINQ-INTEGRATION-TOKEN") is not None
    if is_v2_path(request.path):
        return [
            Problem(
                "request_v2_api",
                "URL",
                "This request goes to the legacy V2 API (`/api/partner/v2/…`); this reference "
                "and its error codes are for v3.",
                f"Call the v3 endpoint under `{BASE_URL}` with `Authorization: Bearer <token>`; "
                "V2's request bodies differ (see the V2 to V3 migration guide).",
                value=shown(request.path),
                level="warning",
            )
        ]
    if v2_header and request.header("Authorization") is None:
        return [
            Problem(
                "request_v2_api",
                "header X-LINQ-INTEGRATION-TOKEN",
                "The token is sent in V2's `X-LINQ-INTEGRATION-TOKEN` header; v3 reads only "
                "`Authorization`, so it sees no token at all.",
                "Send `Authorization: Bearer <token>` instead.",
                code=2004,
            )
        ]
    return []


@rule("request_not_linq_host", sources=("authentication",), stage=0)
def host(view: RequestView) -> list[Problem]:
    """A URL that is not Linq's HTTPS base URL."""
    request = view.request
    if not request.url or "://" not in request.url or request.source == "body":
        return []
    problems = []
    if request.scheme == "http" and request.host == API_HOST:
        problems.append(
            Problem(
                "request_not_linq_host",
                "URL",
                "The request uses plain `http://`; Linq's API is served over HTTPS only.",
                f"Use `{BASE_URL}`.",
                value=shown(request.url),
                level="warning",
            )
        )
    if is_v3_path(request.path) and request.host and request.host != API_HOST:
        problems.append(
            Problem(
                "request_not_linq_host",
                "URL",
                f"The request went to `{request.host}`, not to Linq's API host `{API_HOST}`: "
                "whatever answered, it was not the Linq API (a proxy, a mock, a typo).",
                f"The base URL is `{BASE_URL}`.",
                value=shown(request.host),
                level="info",
            )
        )
    return problems


@rule("request_auth_missing", sources=("authentication", "table"), codes=(2004,), stage=0)
def authorization(view: RequestView) -> list[Problem]:
    """Every v3 request sends `Authorization: Bearer <token>`."""
    request = view.request
    if request.headers is None or is_v2_path(request.path) or _is_upload(view):
        return []
    value = request.header("Authorization")
    if value is None:
        if request.header("X-LINQ-INTEGRATION-TOKEN") is not None:
            return []  # request_v2_api says it
        return [
            Problem(
                "request_auth_missing",
                "header Authorization",
                "The request has no `Authorization` header, so Linq cannot tell who is calling.",
                "Send `Authorization: Bearer <token>` with the token your Linq representative "
                "issued (the SDKs read it from `LINQ_API_V3_API_KEY`).",
                code=2004,
            )
        ]
    value = value.strip()
    if _BEARER.match(value) or _PLACEHOLDER.match(value):
        return []
    scheme = value.split(None, 1)[0] if value else ""
    if scheme.rstrip(":").lower() == "bearer" and scheme != "Bearer":
        why = f"`{scheme}` is not the scheme's spelling: it is `Bearer`, then one space"
    elif " " not in value:
        why = "the header holds the token alone, with no `Bearer ` in front of it"
    else:
        why = f"the scheme is `{scheme}`, not `Bearer`"
    return [
        Problem(
            "request_auth_missing",
            "header Authorization",
            f"The `Authorization` header is malformed: {why}.",
            "Send exactly `Authorization: Bearer <token>`.",
            value=shown(value),
            code=2004,
        )
    ]


@rule("request_content_type", sources=("table",), codes=(1003,), stage=1)
def content_type(view: RequestView) -> list[Problem]:
    """A JSON body is sent with `Content-Type: application/json`."""
    request = view.request
    if request.headers is None or not request.body.present or request.body.form:
        return []
    if _is_upload(view):
        return []
    value = request.header("Content-Type")
    if value is not None and value.split(";")[0].strip().lower() == "application/json":
        return []
    if value is None:
        what = "The JSON body is sent without a `Content-Type` header"
    elif request.source == "curl" and value == "application/x-www-form-urlencoded":
        what = (
            "The body is sent as `application/x-www-form-urlencoded`: that is what `curl -d` "
            "says when no `Content-Type` is given"
        )
    else:
        what = f"The body is sent as `{value}`"
    return [
        Problem(
            "request_content_type",
            "header Content-Type",
            f"{what}, so the API does not read it as JSON.",
            "Add `-H 'Content-Type: application/json'` (or use `curl --json`, which sets it).",
            value=shown(value) if value else None,
            code=1003,
        )
    ]


@rule("request_body_not_json", sources=("table",), codes=(1003,), stage=1)
def body_json(view: RequestView) -> list[Problem]:
    """The body must be valid JSON."""
    body = view.request.body
    if body.form and view.endpoint is not None:
        return [
            Problem(
                "request_body_not_json",
                "body",
                "The body is sent as multipart form fields (`-F`); v3 endpoints take a JSON body.",
                "Send the fields as one JSON object with `-d '{…}'` and "
                "`Content-Type: application/json`.",
                code=1003,
            )
        ]
    if body.from_file is not None:
        return [
            Problem(
                "request_body_not_json",
                "body",
                f"The body is read from the file `{shown(body.from_file)}`, which is not in the "
                "paste, so it could not be checked.",
                "Paste the file's contents (or the JSON your code sends) to have it checked too.",
                level="info",
            )
        ]
    if body.problem is None or _is_upload(view):
        return []
    return [
        Problem(
            "request_body_not_json",
            "body",
            f"The request body is not valid JSON: {body.problem} (line {body.line}, "
            f"column {body.column} of the body).",
            "Fix the JSON (a validator or `python -m json.tool` shows the spot); in a shell, "
            "quote the body with single quotes so the shell leaves its double quotes alone.",
            value=shown(body.text),
            code=1003,
            line=body.line,
            column=body.column,
        )
    ]


@rule("request_chat_id", sources=("table", "api-reference"), codes=(2001,))
def chat_id(view: RequestView) -> list[Problem]:
    """A chat id in the path is the UUID Linq returned for the chat."""
    match = _CHAT_ID.search(view.request.path or "")
    if match is None or _UUID.match(match["id"]) or _PLACEHOLDER.match(match["id"]):
        return []
    if match["id"].startswith(("{", ":", "%7B")):
        return []  # a template left in the path: {chatId}, :chat_id
    return [
        Problem(
            "request_chat_id",
            "URL",
            f"`{shown(match['id'])}` is not a chat id: v3 chat ids are UUIDs "
            "(`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).",
            "Use the `id` returned by `POST /v3/chats` or listed by `GET /v3/chats` (a V2 "
            "chat's number is not a v3 id).",
            value=shown(match["id"]),
            code=2001,
        )
    ]


@rule("request_unknown_endpoint", sources=("api-reference",))
def unknown_endpoint(view: RequestView) -> list[Problem]:
    """A v3 path this reference has no field rules for."""
    request = view.request
    if view.endpoint is not None or not is_v3_path(request.path) or _is_upload(view):
        return []
    return [
        Problem(
            "request_unknown_endpoint",
            "URL",
            f"`{request.method or ''} {shown(request.path)}` is not one of the endpoints this "
            "reference checks field by field; only its headers and body format were checked.",
            "Compare the body with that endpoint's page in Linq's API reference.",
            level="info",
        )
    ]


def _is_upload(view: RequestView) -> bool:
    """The PUT of a pre-uploaded file's bytes to its presigned URL (not Linq's API)."""
    request = view.request
    url = (request.url or "").lower()
    return request.method == "PUT" and ("x-amz-signature" in url or "amazonaws.com" in url)
