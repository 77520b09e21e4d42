"""The endpoints of the Linq v3 API the reference knows enough about to check a request against.

Data, not logic: a docs writer adds a row when Linq documents another endpoint. `path` is a
pattern over the path after the API's base (`/api/partner`), so `/v3/chats/{chat_id}/messages`
matches whatever id was sent. `required` lists the body fields whose absence Linq answers with
1001; `phones` the fields that must be E.164 numbers (1002), as JSON paths with `[]` for "each
item"; `sources` the keys of `errors/content/sources.toml` the row comes from.
"""

import re
from dataclasses import dataclass

BASE_URL = "https://api.linqapp.com/api/partner/v3"
BASE_PATH = "/api/partner"


@dataclass(frozen=True)
class Endpoint:
    id: str
    method: str
    path: str  # with {placeholders}
    title: str
    required: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    sends_message: bool = False  # the body carries a `message` with `parts`
    first_message: bool = False  # it opens a chat: its message may not hold a link (1005)
    sources: tuple[str, ...] = ("api-reference",)

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(self.path))
        return re.compile(rf"(?:{re.escape(BASE_PATH)})?{regex}/?")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "chats.create",
        "POST",
        "/v3/chats",
        "Create a chat and send its first message",
        required=("from", "to", "message"),
        phones=("from", "to[]"),
        sends_message=True,
        first_message=True,
        sources=("api-reference", "sending-messages", "key-concepts", "table"),
    ),
    Endpoint(
        "messages.send",
        "POST",
        "/v3/chats/{chat_id}/messages",
        "Send a message to an existing chat",
        required=("message",),
        sends_message=True,
        sources=("api-reference", "sending-messages", "key-concepts", "table"),
    ),
    Endpoint(
        "chats.update",
        "PUT",
        "/v3/chats/{chat_id}",
        "Update a group chat",
        sources=("table",),
    ),
    Endpoint(
        "attachments.create",
        "POST",
        "/v3/attachments",
        "Pre-upload an attachment",
        required=("filename", "content_type", "size_bytes"),
        sources=("attachments",),
    ),
    Endpoint(
        "capability.check_imessage",
        "POST",
        "/v3/capability/check_imessage",
        "Check iMessage capability",
        required=("address",),
        phones=("from",),
        sources=("capability-checks",),
    ),
    Endpoint(
        "capability.check_rcs",
        "POST",
        "/v3/capability/check_rcs",
        "Check RCS capability",
        required=("address",),
        phones=("from",),
        sources=("capability-checks",),
    ),
    Endpoint(
        "contact_card.create",
        "POST",
        "/v3/contact_card",
        "Create a contact card",
        phones=("phone_number",),
        sources=("contact-card-api",),
    ),
    Endpoint(
        "contact_card.update",
        "PATCH",
        "/v3/contact_card",
        "Update a contact card",
        phones=("phone_number",),
        sources=("contact-card-api",),
    ),
    Endpoint(
        "webhook_subscriptions.create",
        "POST",
        "/v3/webhook-subscriptions",
        "Create a webhook subscription",
        required=("target_url", "subscribed_events"),
        phones=("phone_numbers[]",),
        sources=("webhooks",),
    ),
)


def endpoint_for(method: str | None, path: str | None) -> Endpoint | None:
    """The endpoint a method and path name, or None when the reference does not know it."""
    if not path:
        return None
    for endpoint in ENDPOINTS:
        if (method is None or method == endpoint.method) and endpoint.pattern.fullmatch(path):
            return endpoint
    return None


def endpoint_for_body(body: object) -> Endpoint | None:
    """The endpoint a body alone was most likely meant for, from the fields it carries."""
    if not isinstance(body, dict):
        return None
    by_id = {endpoint.id: endpoint for endpoint in ENDPOINTS}
    if "to" in body or ("from" in body and "message" in body):
        return by_id["chats.create"]
    if "message" in body or "parts" in body:
        return by_id["messages.send"]
    if "address" in body:
        return by_id["capability.check_imessage"]
    if {"filename", "content_type", "size_bytes"} & body.keys():
        return by_id["attachments.create"]
    if {"target_url", "subscribed_events"} & body.keys():
        return by_id["webhook_subscriptions.create"]
    return None


_V3 = re.compile(rf"(?:{re.escape(BASE_PATH)})?/v3(?:/|$)")


def is_v3_path(path: str | None) -> bool:
    return (
        bool(path) and re.match(rf"(?:{re.escape(BASE_PATH)})?/v3(?:/|$)", path or "") is not None
    )


def is_v2_path(path: str | None) -> bool:
    return bool(path) and re.match(rf"{re.escape(BASE_PATH)}/v2(?:/|$)", path or "") is not None
