"""Masking secrets in pasted text: the one place that decides what counts as a secret.

Developers paste whatever they have, and `curl -v` output, `.env` lines and logged request
headers carry credentials. Everything that reads a paste (the diagnosis, the support form) runs it
through `redact_secrets()` first and works only with the result, so a secret is never echoed in a
page, an API answer, a log line or a stored ticket.

What is masked (names matched without regard to case):

- `Authorization:` / `Proxy-Authorization:` values, keeping the scheme (`Bearer [REDACTED]`);
- `Bearer <token>` anywhere else (a JSON string, a `curl -H` argument, prose);
- headers, JSON keys, environment variables and query parameters whose name ends in a secret
  word: `X-LINQ-INTEGRATION-TOKEN`, `LINQ_API_V3_API_KEY`, `api_key`, `access_token`,
  `client_secret`, `password`, ...;
- `Cookie:` / `Set-Cookie:` header values;
- webhook signing secrets (`whsec_...`) and passwords in URLs (`https://user:pw@host`).

Masking errs on the side of hiding: a false positive costs a word of a log line, a miss leaks a
credential. The mask never contains a newline, so line numbers stay those of the original, and
masking a second time changes nothing (`[REDACTED]` is never taken for a secret).
"""

import re
from dataclasses import dataclass

MASK = "[REDACTED]"

# Words that follow "Bearer" in prose ("a Bearer token in the header") rather than a credential.
_PROSE_AFTER_BEARER = frozenset(
    {"token", "tokens", "auth", "authentication", "authorization", "header", "scheme", "and", "or"}
)

_SECRET_WORDS = (
    r"api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|"
    r"token|secret|password|passwd|pwd|signing[_-]?secret|credentials?"
)
_SCHEMES = "bearer|basic|token|digest|apikey|negotiate"
_NOT_MASKED = rf"(?!{re.escape(MASK)})"
# Quantifiers are bounded so that no pattern can backtrack quadratically on a 64 KiB paste.
_PATTERN = re.compile(
    "|".join(
        [
            # Authorization: <scheme> <credentials>  (header line, curl -H, JSON key, YAML)
            rf"""(?P<auth_name>\b(?:proxy-)?authorization["']?[ \t]{{0,8}}[:=][ \t]{{0,8}}["']?)"""
            rf"(?:(?P<auth_scheme>{_SCHEMES})[ \t]{{1,8}})?"
            rf"""{_NOT_MASKED}(?!(?:{_SCHEMES})\b)(?P<auth>[^\s"',;]{{1,4096}})""",
            # Bearer <token> anywhere else.
            rf"(?P<bearer_name>\bbearer[ \t]{{1,8}}){_NOT_MASKED}"
            rf"(?P<bearer>[A-Za-z0-9._~+/-]{{1,4096}}=*)",
            # Cookies carry sessions.
            rf"(?P<cookie_name>(?m:^)[<>* \t]{{0,4}}(?:set-)?cookie[ \t]{{0,8}}:[ \t]{{0,8}})"
            rf"{_NOT_MASKED}(?P<cookie>[^\s][^\r\n]{{0,4095}})",
            # NAME = value, NAME: value, "name": "value", ?name=value for secret-looking names.
            rf"""(?P<named_name>["']?(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{{0,64}}(?:{_SECRET_WORDS})\b["']?"""
            rf"""[ \t]{{0,8}}[:=][ \t]{{0,8}}(?P<quote>["']?)){_NOT_MASKED}"""
            rf"""(?P<named>(?:(?<=")[^"\r\n]{{1,4096}}|(?<=')[^'\r\n]{{1,4096}}|"""
            rf"""(?<!["'])[^\s"',;&}}\]]{{1,4096}}))""",
            # Webhook signing secrets.
            rf"(?P<whsec_name>){_NOT_MASKED}(?P<whsec>\bwhsec_[A-Za-z0-9+/=]{{8,4096}})",
            # user:password@ in URLs.
            rf"(?P<userinfo_name>(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{{0,16}}://){_NOT_MASKED}"
            rf"(?P<userinfo>[^\s/@:]{{1,256}}:[^\s/@]{{1,256}})(?=@)",
        ]
    ),
    re.IGNORECASE,
)
_KINDS = ("auth", "bearer", "cookie", "named", "whsec", "userinfo")
# Values that are not secrets even where a secret could stand.
_NOT_SECRET_VALUES = frozenset({"null", "none", "true", "false", "undefined", '""', "''"})


@dataclass(frozen=True)
class Replacement:
    """One masked secret: where it was in the original text and where the mask is now."""

    original_start: int
    original_end: int
    masked_start: int
    masked_end: int


def _is_secret(kind: str, value: str) -> bool:
    if value.casefold() in _NOT_SECRET_VALUES or value.startswith(("$", "<", "{", "%")):
        return False  # placeholders such as $LINQ_API_V3_API_KEY, <token>, {{token}}
    return not (kind == "bearer" and value.casefold().rstrip(".,") in _PROSE_AFTER_BEARER)


def redact_with_positions(text: str) -> tuple[str, tuple[Replacement, ...]]:
    """`text` with every secret replaced by MASK, and where each replacement happened."""
    pieces: list[str] = []
    replacements: list[Replacement] = []
    position = 0  # in the original
    length = 0  # of the masked text so far
    for match in _PATTERN.finditer(text):
        kind = next(k for k in _KINDS if match.group(k) is not None)
        if not _is_secret(kind, match.group(kind)):
            continue
        start, end = match.span(kind)
        pieces.append(text[position:start])
        length += start - position
        pieces.append(MASK)
        replacements.append(Replacement(start, end, length, length + len(MASK)))
        length += len(MASK)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), tuple(replacements)


def redact_secrets(text: str) -> tuple[str, int]:
    """`text` with bearer tokens, API keys and other credentials masked, and how many were."""
    masked, replacements = redact_with_positions(text)
    return masked, len(replacements)


def original_offset(offset: int, replacements: tuple[Replacement, ...]) -> int:
    """Map an offset in the masked text back to the original text (inside a mask: its start)."""
    shift = 0
    for item in replacements:
        if offset < item.masked_start:
            break
        if offset < item.masked_end:
            return item.original_start
        shift = item.original_end - item.masked_end
    return offset + shift
