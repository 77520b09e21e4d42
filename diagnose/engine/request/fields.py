"""Rules about the body's fields: required ones, phone numbers, recipients, idempotency."""

import re
from collections.abc import Iterator
from typing import Any

from diagnose.engine.request.model import Problem, RequestView, join, rule, shown

MAX_GROUP_HANDLES = 31
E164 = re.compile(r"\+[1-9][0-9]{6,14}\Z")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_FORMATTING = re.compile(r"[\s().\-/]")


@rule("request_field_missing", sources=("table", "api-reference"), codes=(1001,))
def required_fields(view: RequestView) -> list[Problem]:
    """The fields an endpoint requires are present."""
    endpoint, body = view.endpoint, view.body
    if endpoint is None or not isinstance(body, dict):
        return []
    if view.endpoint_guessed and view.message is not None and view.message[0] == "":
        return []  # a message object pasted alone: its wrapper is not in the paste
    return [
        Problem(
            "request_field_missing",
            name,
            f"`{name}` is missing: `{endpoint.label}` requires it.",
            _how_to_add(name),
            code=1001,
        )
        for name in endpoint.required
        if body.get(name) in (None, "", [])
        and not (view.endpoint_guessed and name in ("from", "to"))
    ]


def _how_to_add(name: str) -> str:
    examples = {
        "from": 'Add `"from": "+12223334444"`: one of your lines (`GET /v3/phone_numbers`).',
        "to": 'Add `"to": ["+15556667777"]`: an array of recipients.',
        "message": 'Add `"message": {"parts": [{"type": "text", "value": "…"}]}`.',
        "address": 'Add `"address": "+15556667777"` (an E.164 number or an e-mail address).',
        "filename": 'Add `"filename": "photo.jpg"`.',
        "content_type": 'Add `"content_type": "image/jpeg"`: the file\'s real type.',
        "size_bytes": 'Add `"size_bytes": 123456`: the exact byte count you will upload.',
        "target_url": 'Add `"target_url": "https://example.com/linq/webhooks"`.',
        "subscribed_events": 'Add `"subscribed_events": ["message.failed", …]`.',
    }
    return examples.get(name, f"Add `{name}`.")


@rule("request_phone_not_e164", sources=("table", "e164"), codes=(1002,))
def phone_numbers(view: RequestView) -> list[Problem]:
    """Phone fields hold E.164 numbers: `+`, the country code, the number, nothing else."""
    endpoint, body = view.endpoint, view.body
    if endpoint is None or not isinstance(body, dict):
        return []
    emails_allowed = {"to[]", "address"}
    fields = [*endpoint.phones, *(["address"] if "address" in endpoint.required else [])]
    problems = []
    for spec in fields:
        for path, value in _values(body, spec):
            if not isinstance(value, str):
                continue  # the type is wrong, not the format: other rules say so
            value = value.strip()
            if E164.match(value) or (spec in emails_allowed and EMAIL.match(value)):
                continue
            if not value or value.startswith(("$", "<", "{{")):
                continue
            problems.append(
                Problem(
                    "request_phone_not_e164",
                    path,
                    f"`{shown(value)}` is not an E.164 phone number{_why_not(value)}.",
                    _e164_fix(value),
                    value=shown(value),
                    code=1002,
                )
            )
    return problems


def _values(body: dict[str, Any], spec: str) -> Iterator[tuple[str, object]]:
    """(path, value) for a field spec: `from`, or `to[]` for each item of `to`."""
    name = spec.removesuffix("[]")
    if name not in body:
        return
    value = body[name]
    if spec.endswith("[]") and isinstance(value, list):
        for index, item in enumerate(value):
            yield join(name, index), item
    else:
        yield name, value


def _why_not(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if value.startswith("00"):
        return ": it starts with `00`, the international prefix dialled from some countries"
    if not value.startswith("+") and digits == value:
        return ": it has no `+` and country code"
    if _FORMATTING.search(value):
        return ": it holds formatting (spaces, dashes, brackets or dots)"
    if "@" in value:
        return ": it looks like an e-mail address, which this field does not take"
    if len(digits) > 15:
        return ": E.164 numbers have at most 15 digits"
    return ""


def _e164_fix(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    rule_text = "E.164 is `+` then the country code then the number, with no spaces or dashes"
    if value.startswith("00") and 8 <= len(digits) - 2 <= 15:
        return f"{rule_text}: `+{digits[2:]}`."
    if value.startswith("+") and 7 <= len(digits) <= 15:
        return f"{rule_text}: `+{digits}`."
    if len(digits) == 10 and not value.startswith("+"):
        return f"{rule_text}; for a US or Canadian number that is `+1{digits}`."
    if len(digits) == 11 and digits.startswith("1"):
        return f"{rule_text}: `+{digits}`."
    return f"{rule_text}, e.g. `+14155551234`."


@rule("request_recipients", sources=("key-concepts", "api-reference"))
def recipients(view: RequestView) -> list[Problem]:
    """`to` is an array of recipients, at most 31 in a group chat."""
    body = view.body
    if view.endpoint is None or view.endpoint.id != "chats.create" or not isinstance(body, dict):
        return []
    to = body.get("to")
    if isinstance(to, str) and to:
        return [
            Problem(
                "request_recipients",
                "to",
                "`to` is a single string; it takes an array, even for one recipient.",
                f'Write `"to": ["{shown(to)}"]`.',
                value=shown(to),
            )
        ]
    if isinstance(to, list) and len(to) > MAX_GROUP_HANDLES:
        return [
            Problem(
                "request_recipients",
                "to",
                f"`to` lists {len(to)} recipients; a group chat holds at most "
                f"{MAX_GROUP_HANDLES} handles.",
                f"Split the recipients over several chats of at most {MAX_GROUP_HANDLES}.",
                value=f"{len(to)} items",
            )
        ]
    return []


@rule("request_idempotency_key_missing", sources=("rate-limits", "faq"))
def idempotency_key(view: RequestView) -> list[Problem]:
    """Sends carry an `idempotency_key` so that a retry cannot send twice."""
    if view.endpoint is None or not view.endpoint.sends_message or view.message is None:
        return []
    path, message = view.message
    if message.get("idempotency_key"):
        return []
    return [
        Problem(
            "request_idempotency_key_missing",
            join(path, "idempotency_key"),
            "The message has no `idempotency_key`, so retrying after a timeout or a 5xx can "
            "deliver it twice.",
            "Generate one key per message (a UUID), send it as `idempotency_key` in the message "
            "and reuse it on every retry of that message.",
            level="info",
        )
    ]
