"""A large catalogue for measuring scale: `write_catalogue(folder, codes=9000)`.

The content format stops at nine categories of 1,000 codes (1000-9999), so 9,000 is the largest
catalogue it can hold. The folder gets the real categories, guides and codes unchanged, then
generated codes up to `codes` (spread evenly over the categories 1xxx-9xxx), each a valid entry
that passes `manage.py check`: its guidance is a real code's, its message a distinct sentence of
the same kind, its example envelope and related codes consistent with it. Point the site at it
with LINQDOCS_CONTENT_DIR. Used by `make bench --codes 9000` and the tests of scale.

No Django here: the bench builds the folder before any server starts.
"""

import json
import shutil
import tomllib
from datetime import date
from pathlib import Path

from errors import mentions

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CATEGORIES = 9
PER_CATEGORY = 1000

_EXTRA_CATEGORIES = {
    "6xxx": ("Account Errors", "no", "No — fix the account settings"),
    "7xxx": ("Billing Errors", "no", "No — settle the account first"),
    "8xxx": ("Integration Errors", "sometimes", "Sometimes — depends on the integration"),
    "9xxx": ("Platform Errors", "yes", "Yes — retry with backoff (start at 1 s, cap at 30 s)"),
}
_SUBJECTS = (
    "Chat", "Message", "Attachment", "Webhook", "Phone number", "Recipient", "Sender line",
    "Group chat", "Contact card", "Reaction", "Read receipt", "Typing indicator", "Media upload",
    "Idempotency key", "Delivery report", "Subscription", "API token", "Sandbox line",
    "Thread", "Location share",
)  # fmt: skip
_PREDICATES = (
    "not found", "already exists", "is invalid", "was rejected", "limit exceeded",
    "is too large", "timed out", "is disabled", "is not verified", "is locked",
    "has expired", "is unsupported", "conflicts with another request", "is missing a field",
    "failed validation", "is temporarily unavailable", "was blocked by policy",
    "is out of range", "was sent twice", "cannot be parsed",
)  # fmt: skip
_QUALIFIERS = (
    "", " for this line", " in the sandbox", " for the recipient", " for this account",
    " after retries", " on the carrier", " for group chats", " in this region",
    " for this API version", " for the payload", " during delivery", " for this webhook",
    " at the edge", " for attachments", " in production", " for this sender",
    " for scheduled messages", " for this integration", " for this thread", " on this device",
    " for read receipts", " in this workspace", " for this template", " for this batch",
)  # fmt: skip


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, date):
        return value.isoformat()  # a TOML local date
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):  # an inline table, keys quoted
        pairs = (f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(f"no TOML for {type(value).__name__}")


def _document(meta: dict, body: str) -> str:
    lines = [f"{name} = {_toml_value(value)}" for name, value in meta.items()]
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("+++\n", 2)
    return tomllib.loads(meta), body


def _with_links(
    meta: dict, body: str, present: set[int], own: int, extra: list[int] | None = None
) -> str:
    """`body` with every mention of a code linked, and `meta`'s related codes holding them all."""
    body = mentions.link_all(body, present, own=own)
    linked = mentions.find(body, present).linked - {own}
    related = [c for c in meta.get("related_codes", []) if c in present and c != own]
    meta["related_codes"] = list(dict.fromkeys([*related, *sorted(linked), *(extra or [])]))
    return body


def _message(number: int) -> str:
    subject = _SUBJECTS[number % len(_SUBJECTS)]
    predicate = _PREDICATES[(number // len(_SUBJECTS)) % len(_PREDICATES)]
    qualifier = _QUALIFIERS[(number // (len(_SUBJECTS) * len(_PREDICATES))) % len(_QUALIFIERS)]
    return f"{subject} {predicate}{qualifier}"


def write_catalogue(folder: Path, codes: int = CATEGORIES * PER_CATEGORY) -> Path:
    """Write a valid catalogue of `codes` codes (48 to 9,000) into `folder`; returns `folder`."""
    if not 0 < codes <= CATEGORIES * PER_CATEGORY:
        raise ValueError(f"a catalogue holds 1 to {CATEGORIES * PER_CATEGORY} codes, not {codes}")
    folder = Path(folder)
    # Everything the content holds (categories, codes, guides, the sources registry, snippets).
    shutil.copytree(CONTENT_DIR, folder, dirs_exist_ok=True)
    for category_id, (name, verdict, verdict_text) in _EXTRA_CATEGORIES.items():
        category = {
            "id": category_id,
            "name": name,
            "default_retry": verdict,
            "default_retry_text": verdict_text,
            "summary": f"Generated {name.lower()} for measuring a large catalogue.",
        }
        body = f"Codes {category_id[0]}000 to {category_id[0]}999 exist to measure scale.\n"
        (folder / "categories" / f"{category_id}.md").write_text(_document(category, body))

    real = sorted(CONTENT_DIR.glob("codes/*.md"))
    templates = [_split(path) for path in real]
    taken = {int(path.stem) for path in real}
    per_category = -(-codes // CATEGORIES)
    wanted = [
        first + offset
        for first in range(1000, 1000 * (CATEGORIES + 1), 1000)
        for offset in range(per_category)
    ]
    generated = [number for number in wanted if number not in taken][: codes - len(taken)]
    present = taken | set(generated)
    for number in generated:
        template, body = templates[number % len(templates)]
        meta: dict[str, object] = dict(template)
        message = _message(number)
        example = json.loads(str(meta["example"]))
        example["error"].update(code=number, message=message)
        example["error"].pop("doc_url", None)
        meta["code"], meta["message"] = number, message
        meta["example"] = json.dumps(example, indent=2)
        neighbours = [n for n in (number - 1, number + 1) if n in present]
        body = _with_links(meta, body, present, number, extra=neighbours)
        (folder / "codes" / f"{number}.md").write_text(_document(meta, body), encoding="utf-8")
    # With thousands of codes, more four-digit numbers in the real pages name a code ("2026",
    # "5000 ms"): the checks want each linked and related, so the real pages are linked too.
    for path in sorted((folder / "codes").glob("*.md")):
        if int(path.stem) in taken:
            meta, body = _split(path)
            path.write_text(_document(meta, _with_links(meta, body, present, int(path.stem))))
    for path in sorted((folder / "guides").glob("*.md")):
        meta, body = _split(path)
        path.write_text(_document(meta, mentions.link_all(body, present)), encoding="utf-8")
    return folder
