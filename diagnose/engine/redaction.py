"""Masking secrets in pasted text: the one place that decides what counts as a secret.

Developers paste whatever they have, and `curl -v` output, `.env` lines, logged request headers
and SDK dumps carry credentials. Everything that reads a paste (the diagnosis, the support form,
a stored ticket) runs it through `redact_secrets()` first and works only with the result, so a
secret is never echoed in a page, an API answer, a log line, an e-mail or a stored ticket.

A secret is known by its own shape or by the name in front of it (`secret_shapes` has the
patterns):

- by shape, labelled or not: provider-style keys (`sk_live_…`, `sk_test_…`, `pk_…`, `rk_…`),
  webhook signing secrets (`whsec_…`), JSON Web Tokens (`eyJ….eyJ….…`), whole PEM blocks
  (`-----BEGIN … PRIVATE KEY-----` to its END), tokens of well-known services (GitHub, GitLab,
  Slack, AWS, Google, OpenAI, SendGrid, npm, PyPI, Shopify, Square, Twilio, Mailgun), secret
  webhook URLs and passwords in URLs (`https://user:pw@host`);
- by name, however it is written: `Authorization`/`Proxy-Authorization` (the scheme stays
  readable: `Bearer [REDACTED]`), `Bearer` with a space or a colon, `Cookie`/`Set-Cookie`, and
  any name ending in a secret word (`api_key`, `X-Api-Key`, `LINQ_API_V3_API_KEY`, `accessToken`,
  `client_secret`, `signing_secret`, `password`, ...) as a header, a JSON key at any depth, an
  environment variable, a query or form parameter, a command-line flag, percent-encoded
  (`Authorization%3A%20Bearer%20…`) or backslash-escaped inside a JSON string
  (`\\"api_key\\": \\"…\\"`).

Then every other occurrence of a value found that way is masked as well, wherever it stands (the
key in a header is also the key quoted in `error.details`), in its plain, percent-encoded and
JSON-escaped spellings.

What stays readable: trace ids, `traceparent`, chat and message ids, idempotency keys, codes,
timestamps, phone numbers, hashes, placeholders (`$LINQ_API_V3_API_KEY`, `<token>`, `{{token}}`)
and prose ("a Bearer token in the Authorization header").

The mask is `[REDACTED]`: no quote, backslash or newline, so JSON stays JSON (a bare number
under a secret name becomes the string `"[REDACTED]"`), and masking twice changes nothing.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from diagnose.engine import secret_shapes as shapes

MASK = "[REDACTED]"
_QUOTED_MASK = f'"{MASK}"'
# A value known to be secret is looked for elsewhere only when it is long enough to be one;
# shorter values (a 4-letter password) are masked where they were found, not everywhere.
MIN_PROPAGATED = 6
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")
_JSON_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
FOUND_ANYWHERE = 64


@dataclass(frozen=True)
class Replacement:
    """One masked secret: where it was in the original text and where the mask is now."""

    original_start: int
    original_end: int
    masked_start: int
    masked_end: int


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    mask: str = MASK


def _only_masks(value: str) -> bool:
    """Already masked: nothing left but masks, spaces and escaped line breaks."""
    rest = value.replace(MASK, "").replace("\\n", "").replace("\\r", "").strip(" \t\"'")
    return not rest and MASK in value


def _lower(text: str) -> str:
    """`text` in lower case, each character where it was (a few characters lower to two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _labelled(text: str) -> Iterator[_Span]:
    """Values after a name that announces a secret. The names are matched in the lower-cased
    paste; offsets are the same in both, and values are read from the paste itself."""
    lowered = _lower(text)
    position = 0
    while (match := shapes.LABELS.search(lowered, position)) is not None:
        span = _labelled_value(text, match)
        position = max(match.end(), span.end if span is not None else 0)
        if span is not None:
            yield span


def _secret_at(text: str, start: int, end: int, mask: str = MASK) -> _Span | None:
    value = text[start:end]
    if not shapes.is_secret_value(value) or _only_masks(value):
        return None
    return _Span(start, end, mask)


def _labelled_value(text: str, match: re.Match[str]) -> _Span | None:
    if match["auth"] is not None:
        start, end = match.span("auth_token")
        if _PARAMETERS.match(text, end):
            # Digest, AWS4-HMAC-SHA256, HMAC: the credentials are a list of parameters, each as
            # secret as the first (nonce, response, Signature): everything up to the header's end.
            end = _header_end(text, match.start(), start)
            return _Span(start, end, MASK) if not _only_masks(text[start:end]) else None
        return _secret_at(text, start, end)
    if match["bearer"] is not None:
        if not shapes.starts_token(text, match.start()):
            return None
        return _secret_at(text, *match.span("bearer_token"))
    if match["cookie"] is not None:
        if not shapes.starts_token(text, match.start()):
            return None
        return _cookie_value(text, match.end())
    kind = "flag" if match["flag"] is not None else "named"
    if kind == "flag" and shapes.FLAG_NAME.search(match["flag"]) is None:
        return None
    group = next(g for g in shapes.VALUE_GROUPS[kind] if match.start(g) >= 0)
    start, end = match.span(group)
    if (
        group == "named_bare"
        and '"' in match["named_separator"]
        and _is_json_number(text[start:end])
    ):
        return _secret_at(text, start, end, _QUOTED_MASK)  # `"pin": 1234` stays valid JSON
    return _secret_at(text, start, end)


# After the first token of a credential: `="…"`, or `, name=`: a list of parameters follows.
_PARAMETERS = re.compile(r'\\?"|[ \t]*,[ \t]*[A-Za-z][\w-]*=')


def _header_end(text: str, name_start: int, value_start: int) -> int:
    """Where the header that starts at `name_start` ends: its line's end, or the closing quote
    of the string it stands in (a JSON value, a shell argument)."""
    line_end = len(text)
    for stop in ("\n", "\r"):
        found = text.find(stop, value_start)
        if found != -1:
            line_end = min(line_end, found)
    before_name = text[name_start - 1] if name_start else ""
    opening = {text[value_start - 1], before_name} & {"'", '"'}
    ends = [_closing(text, mark, value_start, line_end) for mark in opening]
    return min(ends, default=line_end)


def _closing(text: str, mark: str, start: int, end: int) -> int:
    """The first `mark` in text[start:end] that no backslash escapes, else `end`."""
    while (found := text.find(mark, start, end)) != -1:
        if text[found - 1] != "\\":
            return found
        start = found + 1
    return end


def _is_json_number(value: str) -> bool:
    return _JSON_NUMBER.fullmatch(value) is not None


def _cookie_value(text: str, position: int) -> _Span | None:
    cookie = shapes.COOKIE_VALUE.match(text, position)
    if cookie is not None:
        start = cookie.start("value")
        return _secret_at(text, start, start + len(cookie["value"].rstrip()))
    separator = shapes.SEPARATOR.match(text, position)  # "Cookie": "a=b; c=d"
    value = shapes.VALUE.match(text, separator.end()) if separator is not None else None
    if value is None or value.lastgroup is None:
        return None
    return _secret_at(text, *value.span(value.lastgroup))


def _by_shape(text: str) -> Iterator[_Span]:
    for match in shapes.SHAPES.finditer(text):
        kind = match.lastgroup or ""
        if kind in shapes.EMBEDDED_SHAPES:
            if not _only_masks(match[kind]):
                yield _Span(*match.span(kind))
        elif kind == "keyed":
            start = _key_start(text, match)
            if start is not None:
                yield _Span(start, match.end())
        elif shapes.starts_token(text, match.start()):
            yield _Span(*match.span())


def _key_start(text: str, match: re.Match[str]) -> int | None:
    """Where an `xx_live_…` key starts, or None when the letters before `_live_` are no prefix."""
    start = match.start()
    while start > 0 and match.start() - start < 10 and "a" <= text[start - 1] <= "z":
        start -= 1
    prefix = text[start : match.start()]
    if len(prefix) < 2 or not shapes.starts_token(text, start):
        return None
    if prefix not in shapes.SHORT_KEY_PREFIXES and len(match["keyed"]) < shapes.LONG_KEY_MINIMUM:
        return None
    return start


def _pem_blocks(text: str) -> Iterator[_Span]:
    """Whole PEM blocks, BEGIN line to END line; a block cut off ends with its base64."""
    if "-----BEGIN " not in text:
        return
    position = 0
    no_end_after: dict[str, int] = {}  # label -> offset after which its END never occurs
    while True:
        begin = shapes.PEM_BEGIN.search(text, position)
        if begin is None:
            return
        label = begin["label"]
        end_marker = f"-----END {label}-----"
        end = -1
        if begin.end() < no_end_after.get(label, len(text) + 1):
            end = text.find(end_marker, begin.end())
            if end < 0:
                no_end_after[label] = begin.end()
        if end >= 0:
            stop = end + len(end_marker)
        else:
            body = shapes.PEM_BODY.match(text, begin.end())
            stop = body.end() if body else begin.end()
        yield _Span(begin.start(), stop)
        position = stop


def _spellings(value: str) -> set[str]:
    """How the same value may be written elsewhere in the paste."""
    plain = value.replace("\\/", "/")
    spellings = {value, plain, plain.replace("/", "\\/")}
    if not _URL_SAFE.fullmatch(plain):
        spellings.add(quote(plain, safe=""))
    return {s for s in spellings if _worth_looking_for(s)}


def _worth_looking_for(value: str) -> bool:
    """Whether to mask a known secret value wherever else it stands. Not a number (masking one
    elsewhere could break the JSON it stands in) and not a short plain word (a `"token":
    "message"` must not take every "message" with it)."""
    if len(value) < MIN_PROPAGATED or MASK in value or _is_json_number(value):
        return False
    if not any(c.isalpha() for c in value):
        return False
    return not (value.isalpha() and value.islower() and len(value) < 12)


def _known_values(text: str, spans: Iterable[_Span]) -> set[str]:
    """The secret values at `spans`, in every spelling worth looking for elsewhere."""
    known: set[str] = set()
    for value in {text[span.start : span.end] for span in spans}:
        known |= _spellings(value)
        if ";" in value or "=" in value:  # a cookie header: each cookie's value too
            for part in value.split(";"):
                known |= _spellings(part.partition("=")[2].strip())
    return known


def _occurrences(text: str, values: set[str], found: list[_Span]) -> Iterator[_Span]:
    """Every occurrence of the known values: anywhere in the text for the first
    FOUND_ANYWHERE of them (longest first), as a whole token for the rest. A paste holds a few
    secrets; the bound keeps one crafted with thousands at a linear cost."""
    ordered = sorted(values, key=len, reverse=True)
    for value in ordered[:FOUND_ANYWHERE]:
        position = text.find(value)
        while position >= 0:
            yield _Span(position, position + len(value))
            position = text.find(value, position + len(value))
    rest = set(ordered[FOUND_ANYWHERE:])
    if not rest:
        return
    # Counted in C first: only a value standing somewhere it was not found needs a position.
    runs = Counter(shapes.TOKEN_RUN.findall(text))
    already = Counter(text[span.start : span.end] for span in found)
    elsewhere = {value for value in rest if runs[value] > already[value]}
    percent_escaped = "%" in text
    if not elsewhere and not percent_escaped:
        return
    for run in shapes.TOKEN_RUN.finditer(text):
        token = run.group()
        if token in elsewhere:
            yield _Span(*run.span())
        elif percent_escaped and token[2:] in rest and text[run.start() - 1 : run.start()] == "%":
            yield _Span(run.start() + 2, run.end())  # `%20` + the value


def _merge(spans: Iterable[_Span]) -> list[_Span]:
    """Overlapping or touching spans become one (one mask, counted once)."""
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                merged[-1] = _Span(last.start, span.end)
            continue
        merged.append(span)
    return merged


def secret_spans(text: str, known: Iterable[str] = ()) -> list[_Span]:
    """Where the secrets are in `text`, also every occurrence of the `known` secret values."""
    found = [*_labelled(text), *_by_shape(text)]
    values = _known_values(text, found) | {v for v in known if _worth_looking_for(v)}
    # A PEM block is found whole wherever it stands; it is not looked for again.
    return _merge([*found, *_pem_blocks(text), *_occurrences(text, values, found)])


def known_secrets(text: str) -> set[str]:
    """The secret values in `text`, to mask them in other texts that go with it (a ticket)."""
    return _known_values(text, [*_labelled(text), *_by_shape(text), *_pem_blocks(text)])


def redact_with_positions(
    text: str, known: Iterable[str] = ()
) -> tuple[str, tuple[Replacement, ...]]:
    """`text` with every secret replaced by MASK, and where each replacement happened."""
    pieces: list[str] = []
    replacements: list[Replacement] = []
    position = 0  # in the original
    length = 0  # of the masked text so far
    for span in secret_spans(text, known):
        pieces.append(text[position : span.start])
        length += span.start - position
        pieces.append(span.mask)
        replacements.append(Replacement(span.start, span.end, length, length + len(span.mask)))
        length += len(span.mask)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces), tuple(replacements)


def redact_secrets(text: str, known: Iterable[str] = ()) -> tuple[str, int]:
    """`text` with bearer tokens, API keys and other credentials masked, and how many were."""
    masked, replacements = redact_with_positions(text, known)
    return masked, len(replacements)


def redact_json(value: object, known: Iterable[str] = ()) -> tuple[object, int]:
    """A JSON-like value (dicts, lists, strings, numbers) with secrets masked in every string,
    also every occurrence of the `known` values; and how many were masked."""
    if isinstance(value, str):
        return redact_secrets(value, known)
    if isinstance(value, dict):
        items = [(key, redact_json(item, known)) for key, item in value.items()]
        return {key: masked for key, (masked, _) in items}, sum(n for _, (_, n) in items)
    if isinstance(value, list | tuple):
        masked_items = [redact_json(item, known) for item in value]
        return [masked for masked, _ in masked_items], sum(n for _, n in masked_items)
    return value, 0


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
