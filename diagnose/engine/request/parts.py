"""Rules about a message's parts: text, media, link and iMessage app parts."""

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from diagnose.engine.request.model import Problem, RequestView, join, rule, shown

MAX_TEXT = 10_000
MAX_LINK = 2_048
PART_TYPES = ("text", "media", "link", "imessage_app")
TEAM_ID = re.compile(r"[A-Z0-9]{10}\Z")
_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)\S+")

type Parts = list[tuple[str, dict[str, Any]]]


def _parts(view: RequestView) -> tuple[str, Parts] | None:
    """(path of `parts`, [(path, part)]) for the parts that are objects."""
    if view.message is None:
        return None
    path, message = view.message
    parts = message.get("parts")
    parts_path = join(path, "parts")
    if not isinstance(parts, list):
        return parts_path, []
    return parts_path, [
        (join(parts_path, index), part)
        for index, part in enumerate(parts)
        if isinstance(part, dict)
    ]


@rule("request_parts_invalid", sources=("code-1004", "api-reference"), codes=(1004,))
def parts_shape(view: RequestView) -> list[Problem]:
    """A message has a non-empty `parts` array of known part types."""
    if view.message is None:
        return []
    path, message = view.message
    parts = message.get("parts")
    parts_path = join(path, "parts")
    if not isinstance(parts, list) or not parts:
        return [
            Problem(
                "request_parts_invalid",
                parts_path,
                "The message has no parts: `parts` must be a non-empty array."
                if parts in (None, [])
                else f"`parts` must be an array of part objects, not {_kind(parts)}.",
                'Send `"parts": [{"type": "text", "value": "Hello"}]`.',
                value=None if parts is None else shown(parts),
                code=1004,
            )
        ]
    problems = []
    for index, part in enumerate(parts):
        part_path = join(parts_path, index)
        kind = part.get("type") if isinstance(part, dict) else None
        if kind not in PART_TYPES:
            problems.append(
                Problem(
                    "request_parts_invalid",
                    join(part_path, "type"),
                    f"Part {index} has type {_quoted(kind)}; a part is `text`, `media`, `link` "
                    "or `imessage_app`.",
                    'Give each part a `type` and its content, e.g. `{"type": "text", "value": '
                    '"Hello"}`.',
                    value=shown(kind) if kind is not None else None,
                    code=1004,
                )
            )
        elif kind in ("text", "link") and not isinstance(part.get("value"), str):
            problems.append(
                Problem(
                    "request_parts_invalid",
                    join(part_path, "value"),
                    f"This {kind} part has no `value` string"
                    + (" (`text` is V2's field name)." if "text" in part else "."),
                    f"Put the {'text' if kind == 'text' else 'URL'} in `value`.",
                    code=1004,
                )
            )
    return problems


@rule("request_part_too_long", sources=("code-1004", "key-concepts"), codes=(1004,))
def part_lengths(view: RequestView) -> list[Problem]:
    """A text part holds at most 10,000 characters, a link part at most 2,048."""
    found = _parts(view)
    problems = []
    for path, part in found[1] if found else []:
        value, kind = part.get("value"), part.get("type")
        limit = MAX_TEXT if kind == "text" else MAX_LINK if kind == "link" else None
        if limit is None or not isinstance(value, str) or len(value) <= limit:
            continue
        problems.append(
            Problem(
                "request_part_too_long",
                join(path, "value"),
                f"This {kind} part is {len(value):,} characters long; the limit is {limit:,}.",
                "Split the text over several text parts or messages."
                if kind == "text"
                else "Shorten the URL (drop tracking parameters, or use your own short link).",
                value=shown(value),
                code=1004,
            )
        )
    return problems


@rule("request_part_not_alone", sources=("code-1004", "imessage-apps"), codes=(1004,))
def parts_alone(view: RequestView) -> list[Problem]:
    """A `link` part, and an `imessage_app` part, must be the only part of the message."""
    found = _parts(view)
    if found is None or len(found[1]) < 2:
        return []
    problems = []
    for path, part in found[1]:
        kind = part.get("type")
        if kind in ("link", "imessage_app"):
            problems.append(
                Problem(
                    "request_part_not_alone",
                    path,
                    f"A `{kind}` part must be the only part of its message; this one has "
                    f"{len(found[1]) - 1} other part{'s' if len(found[1]) > 2 else ''} beside it.",
                    f"Send the `{kind}` part in a message of its own, and the other parts in "
                    "another message.",
                    code=1004 if kind == "link" else None,
                )
            )
    return problems


@rule("request_first_message_link", sources=("table", "api-reference"), codes=(1005,))
def first_message_link(view: RequestView) -> list[Problem]:
    """The first message of a new chat may not hold a link part or a URL in its text."""
    if view.endpoint is None or not view.endpoint.first_message:
        return []
    found = _parts(view)
    problems = []
    for path, part in found[1] if found else []:
        kind, value = part.get("type"), part.get("value")
        url = _URL_IN_TEXT.search(value) if kind == "text" and isinstance(value, str) else None
        if kind != "link" and url is None:
            continue
        problems.append(
            Problem(
                "request_first_message_link",
                join(path, "value") if url else path,
                "The first message of a new chat may not contain a link"
                + (
                    f": this text holds `{shown(url.group())}`."
                    if url
                    else ": this is a link part."
                ),
                "Open the chat with a message without links, then send the link to "
                "`POST /v3/chats/{chat_id}/messages` with the chat id you got back.",
                value=shown(url.group() if url else value),
                code=1005,
            )
        )
    return problems


@rule("request_media_url", sources=("attachments", "table"), codes=(5002,))
def media_parts(view: RequestView) -> list[Problem]:
    """A media part points at a public HTTPS URL (or a pre-uploaded attachment), no mime_type."""
    found = _parts(view)
    problems = []
    for path, part in found[1] if found else []:
        if part.get("type") != "media":
            continue
        url = part.get("url")
        if "mime_type" in part:
            problems.append(
                Problem(
                    "request_media_url",
                    join(path, "mime_type"),
                    "Media parts take no `mime_type`: Linq detects the type from the file.",
                    "Remove `mime_type`.",
                    value=shown(part["mime_type"]),
                    level="info",
                )
            )
        if url is None and not part.get("attachment_id"):
            problems.append(
                Problem(
                    "request_media_url",
                    path,
                    "This media part has neither a `url` nor an `attachment_id`.",
                    "Give the file's public HTTPS `url`, or the `attachment_id` of a pre-upload.",
                    code=1004,
                )
            )
        elif isinstance(url, str) and (why := not_public_https(url)):
            problems.append(
                Problem(
                    "request_media_url",
                    join(path, "url"),
                    f"Linq cannot download this media URL: {why}.",
                    "Host the file at a public HTTPS URL with a valid certificate, or upload "
                    "it with `POST /v3/attachments` and send its `attachment_id`.",
                    value=shown(url),
                    code=5002,
                )
            )
    return problems


@rule(
    "request_app_part", sources=("overview-newer", "code-2018", "imessage-apps"), codes=(1008, 2018)
)
def app_parts(view: RequestView) -> list[Problem]:
    """An iMessage app part names its app (`app.name`, a 10-character `app.team_id`) and is
    sent over iMessage only."""
    found = _parts(view)
    apps = [
        (p, part) for p, part in (found[1] if found else []) if part.get("type") == "imessage_app"
    ]
    if not apps:
        return []
    problems = []
    for path, part in apps:
        app = part.get("app")
        app = app if isinstance(app, dict) else {}
        if not isinstance(app.get("name"), str) or not app.get("name"):
            problems.append(
                Problem(
                    "request_app_part",
                    join(join(path, "app"), "name"),
                    "The iMessage app part has no `app.name`, which is required.",
                    "Add the app's display name as `app.name`.",
                    code=1008,
                )
            )
        team_id = app.get("team_id")
        if not isinstance(team_id, str) or not TEAM_ID.match(team_id):
            problems.append(
                Problem(
                    "request_app_part",
                    join(join(path, "app"), "team_id"),
                    "`app.team_id` must be your Apple developer team id: 10 upper-case letters "
                    "and digits"
                    + (f"; `{shown(team_id)}` is not." if team_id else "; it is missing."),
                    "Copy the Team ID from your Apple developer account (Membership details).",
                    value=shown(team_id) if team_id is not None else None,
                    code=1008,
                )
            )
    service = _preferred_service(view)
    if service is not None and service.lower() in ("sms", "rcs"):
        problems.append(
            Problem(
                "request_app_part",
                "preferred_service",
                f"iMessage app parts are sent over iMessage only; `preferred_service` asks for "
                f"`{shown(service)}`.",
                "Leave `preferred_service` out or set it to iMessage; check the recipient's "
                "iMessage capability first.",
                value=shown(service),
                code=2018,
            )
        )
    return problems


def _preferred_service(view: RequestView) -> str | None:
    body = view.body
    message = view.message[1] if view.message else {}
    for holder in (message, body if isinstance(body, dict) else {}):
        value = holder.get("preferred_service")
        if isinstance(value, str):
            return value
    return None


def not_public_https(url: str) -> str | None:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "it is not a valid URL"
    if parts.scheme.lower() != "https":
        return f"it is `{parts.scheme or 'no'}` scheme, not HTTPS"
    host = (parts.hostname or "").lower()
    if not host:
        return "it has no host"
    if host == "localhost" or host.endswith((".local", ".internal", ".localhost")):
        return f"`{host}` is not reachable from the internet"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if not address.is_global:
        return f"`{host}` is a private or local address"
    return None


def _kind(value: object) -> str:
    return {dict: "an object", str: "a string", int: "a number", float: "a number"}.get(
        type(value), "that"
    )


def _quoted(value: object) -> str:
    return "none" if value is None else f"`{shown(value)}`"
