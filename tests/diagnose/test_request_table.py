"""Realistic requests, good and bad, for every endpoint family the reference knows: what the check
finds in each. A row lists the (finding id, field, code) of every error and warning expected;
information-level advice (an idempotency key) is checked separately."""

import json

import pytest

from diagnose.engine.redaction import redact_secrets
from diagnose.engine.request import check_request

AUTH = "-H 'Authorization: Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc'"
JSON = "-H 'Content-Type: application/json'"
BASE = "https://api.linqapp.com/api/partner/v3"
CHAT = "8d7f2b6e-3c1a-4f0e-9b5d-2a6c4e8f1b3d"


def curl(path: str, body: object | None = None, *, method: str = "POST", headers: str = "") -> str:
    parts = [f"curl -X {method} {BASE}{path}", AUTH, headers or JSON]
    if body is not None:
        parts.append(f"-d '{json.dumps(body)}'")
    return " \\\n  ".join(parts)


def text_message(value: str = "Hello from Linq!", **extra: object) -> dict:
    return {"parts": [{"type": "text", "value": value}], "idempotency_key": "k-1", **extra}


def new_chat(**fields: object) -> dict:
    return {"from": "+12223334444", "to": ["+15556667777"], "message": text_message(), **fields}


ROWS: list[tuple[str, str, str | None, set[tuple[str, str | None, int | None]]]] = [
    # --- POST /v3/chats -----------------------------------------------------------------------
    ("chat: good", curl("/chats", new_chat()), "POST /v3/chats", set()),
    (
        "chat: group of three, good",
        curl("/chats", new_chat(to=["+15556667777", "+15556667778", "a@example.com"])),
        "POST /v3/chats",
        set(),
    ),
    (
        "chat: from without country code",
        curl("/chats", new_chat(**{"from": "4155551234"})),
        "POST /v3/chats",
        {("request_phone_not_e164", "from", 1002)},
    ),
    (
        "chat: recipient with formatting",
        curl("/chats", new_chat(to=["+1 (555) 666-7777"])),
        "POST /v3/chats",
        {("request_phone_not_e164", "to[0]", 1002)},
    ),
    (
        "chat: 00 prefix",
        curl("/chats", new_chat(to=["+15556667777", "00447911123456"])),
        "POST /v3/chats",
        {("request_phone_not_e164", "to[1]", 1002)},
    ),
    (
        "chat: to as a string",
        curl("/chats", new_chat(to="+15556667777")),
        "POST /v3/chats",
        {("request_recipients", "to", None)},
    ),
    (
        "chat: 32 recipients",
        curl("/chats", new_chat(to=[f"+1555666{n:04d}" for n in range(32)])),
        "POST /v3/chats",
        {("request_recipients", "to", None)},
    ),
    (
        "chat: missing to",
        curl("/chats", {"from": "+12223334444", "message": text_message()}),
        "POST /v3/chats",
        {("request_field_missing", "to", 1001)},
    ),
    (
        "chat: missing message",
        curl("/chats", {"from": "+12223334444", "to": ["+15556667777"]}),
        "POST /v3/chats",
        {("request_field_missing", "message", 1001)},
    ),
    (
        "chat: URL in the first message",
        curl("/chats", new_chat(message=text_message("Pay here: https://pay.example.com/x"))),
        "POST /v3/chats",
        {("request_first_message_link", "message.parts[0].value", 1005)},
    ),
    (
        "chat: link part as first message",
        curl(
            "/chats",
            new_chat(message={"parts": [{"type": "link", "value": "https://example.com"}]}),
        ),
        "POST /v3/chats",
        {("request_first_message_link", "message.parts[0]", 1005)},
    ),
    (
        "chat: empty parts",
        curl("/chats", new_chat(message={"parts": []})),
        "POST /v3/chats",
        {("request_parts_invalid", "message.parts", 1004)},
    ),
    (
        "chat: V2 body shape",
        curl(
            "/chats",
            {
                "send_from": "+12223334444",
                "chat": {"phone_numbers": ["+15556667777"]},
                "message": {"text": "hi"},
            },
        ),
        "POST /v3/chats",
        {
            ("request_field_missing", "from", 1001),
            ("request_field_missing", "to", 1001),
            ("request_parts_invalid", "message.parts", 1004),
        },
    ),
    (
        "chat: curl -d without Content-Type",
        curl("/chats", new_chat(), headers="-H 'Accept: application/json'"),
        "POST /v3/chats",
        {("request_content_type", "header Content-Type", 1003)},
    ),
    (
        "chat: curl --json sets the type itself",
        f"curl {BASE}/chats {AUTH} --json '{json.dumps(new_chat())}'",
        "POST /v3/chats",
        set(),
    ),
    (
        "chat: body with a trailing comma",
        f'curl -X POST {BASE}/chats {AUTH} {JSON} -d \'{{"from": "+12223334444",}}\'',
        "POST /v3/chats",
        {("request_body_not_json", "body", 1003)},
    ),
    (
        "chat: no Authorization header",
        f"curl -X POST {BASE}/chats {JSON} -d '{json.dumps(new_chat())}'",
        "POST /v3/chats",
        {("request_auth_missing", "header Authorization", 2004)},
    ),
    (
        "chat: token without Bearer",
        curl("/chats", new_chat()).replace("Bearer ", ""),
        "POST /v3/chats",
        {("request_auth_missing", "header Authorization", 2004)},
    ),
    (
        "chat: Bearer with a colon",
        curl("/chats", new_chat()).replace("Bearer ", "Bearer: "),
        "POST /v3/chats",
        {("request_auth_missing", "header Authorization", 2004)},
    ),
    (
        "chat: V2 token header on v3",
        curl("/chats", new_chat()).replace("Authorization: Bearer", "X-LINQ-INTEGRATION-TOKEN:"),
        "POST /v3/chats",
        {("request_v2_api", "header X-LINQ-INTEGRATION-TOKEN", 2004)},
    ),
    (
        "chat: plain http",
        curl("/chats", new_chat()).replace("https://", "http://"),
        "POST /v3/chats",
        {("request_not_linq_host", "URL", None)},
    ),
    (
        "chat: multipart form",
        f"curl -X POST {BASE}/chats {AUTH} -F 'from=+12223334444' -F 'to=+15556667777'",
        "POST /v3/chats",
        {("request_body_not_json", "body", 1003)},
    ),
    # --- POST /v3/chats/{chat_id}/messages ----------------------------------------------------
    (
        "send: good",
        curl(f"/chats/{CHAT}/messages", {"message": text_message()}),
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "send: a link in a follow-up is fine",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [{"type": "link", "value": "https://example.com"}],
                    "idempotency_key": "k",
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "send: link beside text",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [
                        {"type": "text", "value": "see"},
                        {"type": "link", "value": "https://example.com"},
                    ]
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_part_not_alone", "message.parts[1]", 1004)},
    ),
    (
        "send: text over 10,000 characters",
        curl(f"/chats/{CHAT}/messages", {"message": text_message("x" * 10_001)}),
        "POST /v3/chats/{chat_id}/messages",
        {("request_part_too_long", "message.parts[0].value", 1004)},
    ),
    (
        "send: text of exactly 10,000 characters",
        curl(f"/chats/{CHAT}/messages", {"message": text_message("x" * 10_000)}),
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "send: link over 2,048 characters",
        curl(
            f"/chats/{CHAT}/messages",
            {"message": {"parts": [{"type": "link", "value": "https://e.com/" + "a" * 2040}]}},
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_part_too_long", "message.parts[0].value", 1004)},
    ),
    (
        "send: unknown part type",
        curl(
            f"/chats/{CHAT}/messages",
            {"message": {"parts": [{"type": "image", "url": "https://e.com/a.png"}]}},
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_parts_invalid", "message.parts[0].type", 1004)},
    ),
    (
        "send: text part with V2's text field",
        curl(f"/chats/{CHAT}/messages", {"message": {"parts": [{"type": "text", "text": "hi"}]}}),
        "POST /v3/chats/{chat_id}/messages",
        {("request_parts_invalid", "message.parts[0].value", 1004)},
    ),
    (
        "send: media over plain http",
        curl(
            f"/chats/{CHAT}/messages",
            {"message": {"parts": [{"type": "media", "url": "http://e.com/a.jpg"}]}},
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_media_url", "message.parts[0].url", 5002)},
    ),
    (
        "send: media on localhost",
        curl(
            f"/chats/{CHAT}/messages",
            {"message": {"parts": [{"type": "media", "url": "https://localhost:3000/a.jpg"}]}},
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_media_url", "message.parts[0].url", 5002)},
    ),
    (
        "send: media on a private address",
        curl(
            f"/chats/{CHAT}/messages",
            {"message": {"parts": [{"type": "media", "url": "https://192.168.1.20/a.jpg"}]}},
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_media_url", "message.parts[0].url", 5002)},
    ),
    (
        "send: media without url",
        curl(f"/chats/{CHAT}/messages", {"message": {"parts": [{"type": "media"}]}}),
        "POST /v3/chats/{chat_id}/messages",
        {("request_media_url", "message.parts[0]", 1004)},
    ),
    (
        "send: media by attachment id, good",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [{"type": "media", "attachment_id": "att_1"}],
                    "idempotency_key": "k",
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "send: chat id is a V2 number",
        curl("/chats/1234/messages", {"message": text_message()}),
        "POST /v3/chats/{chat_id}/messages",
        {("request_chat_id", "URL", 2001)},
    ),
    # --- iMessage app parts ------------------------------------------------------------------
    (
        "app: good",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [
                        {
                            "type": "imessage_app",
                            "app": {
                                "name": "Chess",
                                "team_id": "ABCDE12345",
                                "bundle_id": "com.example.chess",
                            },
                            "url": "https://example.com/game/1",
                        }
                    ],
                    "idempotency_key": "k",
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "app: team id in lower case, no name",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [
                        {
                            "type": "imessage_app",
                            "app": {"team_id": "abcde12345"},
                            "url": "https://e.com",
                        }
                    ]
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        {
            ("request_app_part", "message.parts[0].app.name", 1008),
            ("request_app_part", "message.parts[0].app.team_id", 1008),
        },
    ),
    (
        "app: over SMS",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "preferred_service": "SMS",
                    "parts": [
                        {"type": "imessage_app", "app": {"name": "Chess", "team_id": "ABCDE12345"}}
                    ],
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_app_part", "preferred_service", 2018)},
    ),
    (
        "app: beside a text part",
        curl(
            f"/chats/{CHAT}/messages",
            {
                "message": {
                    "parts": [
                        {"type": "text", "value": "play"},
                        {"type": "imessage_app", "app": {"name": "Chess", "team_id": "ABCDE12345"}},
                    ]
                }
            },
        ),
        "POST /v3/chats/{chat_id}/messages",
        {("request_part_not_alone", "message.parts[1]", None)},
    ),
    # --- attachments -------------------------------------------------------------------------
    (
        "pre-upload: good",
        curl(
            "/attachments",
            {"filename": "a.jpg", "content_type": "image/jpeg", "size_bytes": 123456},
        ),
        "POST /v3/attachments",
        set(),
    ),
    (
        "pre-upload: WebP",
        curl(
            "/attachments", {"filename": "a.webp", "content_type": "image/webp", "size_bytes": 1000}
        ),
        "POST /v3/attachments",
        {("request_attachment_type", "content_type", 5004)},
    ),
    (
        "pre-upload: 150 MB",
        curl(
            "/attachments",
            {"filename": "v.mp4", "content_type": "video/mp4", "size_bytes": 150 * 1024 * 1024},
        ),
        "POST /v3/attachments",
        {("request_attachment_size", "size_bytes", 5005)},
    ),
    (
        "pre-upload: size as a string",
        curl(
            "/attachments", {"filename": "v.mp4", "content_type": "video/mp4", "size_bytes": "1000"}
        ),
        "POST /v3/attachments",
        {("request_attachment_size", "size_bytes", None)},
    ),
    (
        "pre-upload: no size",
        curl("/attachments", {"filename": "v.mp4", "content_type": "video/mp4"}),
        "POST /v3/attachments",
        {("request_field_missing", "size_bytes", 1001)},
    ),
    (
        "upload PUT as a form",
        "curl -X PUT 'https://uploads.s3.amazonaws.com/a?X-Amz-Signature=abc' "
        "-H 'Content-Type: image/jpeg' -F 'file=@a.jpg'",
        None,
        {("request_upload_put", "body", None)},
    ),
    (
        "upload PUT without its headers",
        "curl -X PUT 'https://uploads.s3.amazonaws.com/a?X-Amz-Signature=abc' --data-binary @a.jpg",
        None,
        {("request_upload_put", "header Content-Type", None)},
    ),
    (
        "upload PUT, good",
        "curl -X PUT 'https://uploads.s3.amazonaws.com/a?X-Amz-Signature=abc' "
        "-H 'Content-Type: image/jpeg' --data-binary @a.jpg",
        None,
        set(),
    ),
    # --- capability checks -------------------------------------------------------------------
    (
        "capability: good",
        curl("/capability/check_imessage", {"address": "+15556667777"}),
        "POST /v3/capability/check_imessage",
        set(),
    ),
    (
        "capability: e-mail address, good",
        curl("/capability/check_rcs", {"address": "someone@example.com"}),
        "POST /v3/capability/check_rcs",
        set(),
    ),
    (
        "capability: no address",
        curl("/capability/check_imessage", {"from": "+12223334444"}),
        "POST /v3/capability/check_imessage",
        {("request_field_missing", "address", 1001)},
    ),
    (
        "capability: local number",
        curl("/capability/check_imessage", {"address": "555-666-7777"}),
        "POST /v3/capability/check_imessage",
        {("request_phone_not_e164", "address", 1002)},
    ),
    # --- chat update, contact card, webhooks -------------------------------------------------
    (
        "update: good",
        curl(f"/chats/{CHAT}", {"display_name": "Team"}, method="PUT"),
        "PUT /v3/chats/{chat_id}",
        set(),
    ),
    (
        "contact card: number without +",
        curl("/contact_card", {"phone_number": "14155551234", "first_name": "Ada"}),
        "POST /v3/contact_card",
        {("request_phone_not_e164", "phone_number", 1002)},
    ),
    (
        "contact card: image on http",
        curl(
            "/contact_card",
            {"phone_number": "+14155551234", "image_url": "http://e.com/a.png"},
            method="PATCH",
        ),
        "PATCH /v3/contact_card",
        {("request_image_url", "image_url", 5007)},
    ),
    (
        "webhook: good",
        curl(
            "/webhook-subscriptions",
            {
                "target_url": "https://example.com/hook?version=2026-02-03",
                "subscribed_events": ["message.failed"],
            },
        ),
        "POST /v3/webhook-subscriptions",
        set(),
    ),
    (
        "webhook: target on http, version not a date",
        curl(
            "/webhook-subscriptions",
            {
                "target_url": "http://example.com/hook?version=latest",
                "subscribed_events": ["message.failed"],
            },
        ),
        "POST /v3/webhook-subscriptions",
        {("request_webhook_target", "target_url", None)},
    ),
    (
        "webhook: events as a string",
        curl(
            "/webhook-subscriptions",
            {"target_url": "https://example.com/hook", "subscribed_events": "message.failed"},
        ),
        "POST /v3/webhook-subscriptions",
        {("request_webhook_target", "subscribed_events", None)},
    ),
    # --- other shapes: raw HTTP, curl -v, a body alone ---------------------------------------
    (
        "raw HTTP request with a Token scheme",
        "POST /api/partner/v3/chats HTTP/1.1\nHost: api.linqapp.com\n"
        "Authorization: Token abcdef\nContent-Type: application/json\n\n" + json.dumps(new_chat()),
        "POST /v3/chats",
        {("request_auth_missing", "header Authorization", 2004)},
    ),
    (
        "curl -v of a follow-up without a body shown",
        f"* Connected\n> POST /api/partner/v3/chats/{CHAT}/messages HTTP/2\n"
        "> Host: api.linqapp.com\n> authorization: Bearer abc.def\n> accept: */*\n>\n"
        "< HTTP/2 401\n",
        "POST /v3/chats/{chat_id}/messages",
        set(),
    ),
    (
        "a body alone, new chat",
        json.dumps(new_chat(to=["5556667777"])),
        "POST /v3/chats",
        {("request_phone_not_e164", "to[0]", 1002)},
    ),
    (
        "a message object alone",
        json.dumps({"parts": [{"type": "text", "value": "x" * 10_500}]}),
        "POST /v3/chats/{chat_id}/messages",
        {("request_part_too_long", "parts[0].value", 1004)},
    ),
    (
        "V2 endpoint",
        "curl -X POST https://api.linqapp.com/api/partner/v2/chats "
        "-H 'X-LINQ-INTEGRATION-TOKEN: abc' -H 'Content-Type: application/json' -d '{}'",
        None,
        {("request_v2_api", "URL", None)},
    ),
    (
        "body read from a file",
        f"curl -X POST {BASE}/chats {AUTH} {JSON} -d @payload.json",
        "POST /v3/chats",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("paste", "endpoint", "expected"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS]
)
def test_request_table(paste: str, endpoint: str | None, expected: set) -> None:
    check = check_request(redact_secrets(paste)[0])
    assert check is not None
    assert (check.endpoint.label if check.endpoint else None) == endpoint
    found = {(p.rule, p.field, p.code) for p in check.problems if p.level != "info"}
    assert found == expected


def test_the_table_is_wide() -> None:
    assert len(ROWS) >= 50
    families = {row[2] for row in ROWS}
    assert len(families) >= 10


def test_a_send_without_idempotency_key_is_advised() -> None:
    check = check_request(
        curl(f"/chats/{CHAT}/messages", {"message": {"parts": [{"type": "text", "value": "hi"}]}})
    )
    assert check is not None
    advice = [p for p in check.problems if p.rule == "request_idempotency_key_missing"]
    assert [(p.level, p.field) for p in advice] == [("info", "message.idempotency_key")]


def test_the_fix_for_a_ten_digit_number_names_the_e164_form() -> None:
    check = check_request(json.dumps(new_chat(**{"from": "4155551234"})))
    assert check is not None
    (problem,) = [p for p in check.problems if p.rule == "request_phone_not_e164"]
    assert problem.value == "4155551234"
    assert "+14155551234" in problem.fix


def test_a_paste_without_a_request_has_none() -> None:
    for paste in ("2004", '{"success": false, "error": {"code": 1007}}', "hello there"):
        assert check_request(paste) is None
