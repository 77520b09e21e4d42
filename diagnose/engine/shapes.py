"""What a paste holds: HTTP responses (`curl -i`/`-v`), envelopes, inner error objects,
webhooks, legacy V2 errors, and error fields read loosely from text that is not JSON."""

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from diagnose.engine.jsonscan import find_json_values
from diagnose.engine.limits import MAX_INPUT_BYTES
from diagnose.engine.values import MISSING, is_int, short_text


@dataclass(frozen=True)
class PastedResponse:
    """One HTTP response in the paste: its status line, headers and where its body lies."""

    status: int
    headers: dict[str, str]  # lower-case names; the first of repeated headers
    body_start: int
    body_end: int
    offset: int


@dataclass(frozen=True)
class ErrorItem:
    """One error found in the paste, before it is diagnosed."""

    source: str  # envelope, error_object, webhook, http_response (no envelope), loose
    error: dict[str, Any]
    offset: int
    wrapper: dict[str, Any] = field(default_factory=dict)
    http: PastedResponse | None = None


@dataclass(frozen=True)
class LegacyErrors:
    """The `errors` array of a legacy V2 API response."""

    errors: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class NotAnError:
    why: str  # "`success` is true"
    webhook: bool = False


type Found = ErrorItem | LegacyErrors | NotAnError


@dataclass
class Signals:
    """Everything found in a paste, in order; built by the reader from what `walk` yields."""

    items: list[ErrorItem] = field(default_factory=list)
    legacy: list[dict[str, Any]] = field(default_factory=list)
    successes: list[str] = field(default_factory=list)  # why something is not an error
    webhooks: int = 0
    json_values: int = 0

    def take(self, found: Iterable[Found]) -> None:
        for thing in found:
            if isinstance(thing, ErrorItem):
                self.items.append(thing)
                self.webhooks += thing.source == "webhook"
            elif isinstance(thing, LegacyErrors):
                self.legacy.extend(thing.errors)
            else:
                self.successes.append(thing.why)
                self.webhooks += thing.webhook

    @property
    def count(self) -> int:
        return len(self.items) + len(self.legacy) + len(self.successes)


_WEBHOOK_EVENT = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")


def _event_type(value: dict[str, Any]) -> str | None:
    for key in ("event_type", "type", "event"):
        event = value.get(key)
        if isinstance(event, str) and _WEBHOOK_EVENT.fullmatch(event):
            return event
    return None


def _is_error_dict(value: dict[str, Any]) -> bool:
    return any(key in value for key in ("code", "status", "message"))


def walk(value: Any, offset: int, http: PastedResponse | None, nesting: int = 0) -> Iterator[Found]:
    """The envelopes, error objects, webhooks and V2 errors inside one parsed JSON value."""
    if isinstance(value, list):
        for item in value:
            yield from walk(item, offset, http, nesting)
        return
    if isinstance(value, str):
        # Loggers often keep the response body as a JSON string inside their own JSON record.
        if nesting < 2 and value.lstrip()[:1] in ("{", "[") and len(value) <= MAX_INPUT_BYTES:
            for _, inner in find_json_values(value).values:
                yield from walk(inner, offset, http, nesting + 1)
        return
    if not isinstance(value, dict):
        return
    error = value.get("error", MISSING)
    event = _event_type(value)
    if event is not None:
        if re.search(r"fail|error", event):
            yield _webhook_item(value, offset, http)
        else:
            yield NotAnError(f"this is a `{event}` webhook, not a failure", webhook=True)
    elif isinstance(error, dict) and (_is_error_dict(error) or "success" in value):
        yield ErrorItem("envelope", error, offset, wrapper=value, http=http)
    elif isinstance(value.get("errors"), list) and any(
        isinstance(e, dict) and ("title" in e or "detail" in e or isinstance(e.get("code"), str))
        for e in value["errors"]
    ):
        yield LegacyErrors(tuple(e for e in value["errors"] if isinstance(e, dict)))
    elif value.get("success") is True and error is MISSING:
        yield NotAnError("`success` is true")
    elif value.get("success") is False or (error is not MISSING and "success" in value):
        inner = {"message": error} if isinstance(error, str) else {}
        yield ErrorItem("envelope", inner, offset, wrapper=value, http=http)
    elif _is_error_object(value):
        yield ErrorItem("error_object", value, offset, http=http)
    else:
        for inner in value.values():
            yield from walk(inner, offset, http, nesting)


def _is_error_object(value: dict[str, Any]) -> bool:
    """The inner error object on its own: a code beside its usual fields, or an error status."""
    if "code" in value:
        return any(key in value for key in ("message", "status", "retry_after", "doc_url"))
    status = value.get("status")
    return isinstance(value.get("message"), str) and is_int(status) and status >= 400


def _anything(value: Any) -> bool:
    return True


def _find_holder(
    value: Any, key: str, accept: Callable[[Any], bool] = _anything
) -> dict[str, Any] | None:
    """Breadth-first: the first dict anywhere in `value` whose `key` holds an accepted value."""
    queue = deque([value])
    while queue:
        current = queue.popleft()
        if isinstance(current, dict):
            if key in current and accept(current[key]):
                return current
            queue.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            queue.extend(v for v in current if isinstance(v, dict | list))
    return None


def _find_key(value: Any, key: str, accept: Callable[[Any], bool] = _anything) -> Any:
    holder = _find_holder(value, key, accept)
    return MISSING if holder is None else holder[key]


def _webhook_item(value: dict[str, Any], offset: int, http: PastedResponse | None) -> ErrorItem:
    """A webhook's code, message and trace id, wherever they sit in its payload."""

    def holds_code(v: Any) -> bool:
        return v is not None and not isinstance(v, dict | list)

    container = _find_holder(value, "code", holds_code)
    error: dict[str, Any] = {}
    if container is not None:
        error["code"] = container["code"]
    message = (container or {}).get("message")
    if not isinstance(message, str):
        message = _find_key(value, "message", lambda v: isinstance(v, str))
    if isinstance(message, str):
        error["message"] = message
    doc_url = _find_key(value, "doc_url", lambda v: isinstance(v, str))
    if doc_url is not MISSING:
        error["doc_url"] = doc_url
    wrapper = {"trace_id": value["trace_id"]} if "trace_id" in value else {}
    if not wrapper:
        trace = _find_key(value, "trace_id")
        if trace is not MISSING:
            wrapper["trace_id"] = trace
    return ErrorItem("webhook", error, offset, wrapper=wrapper, http=http)


def legacy_summary(error: dict[str, Any]) -> str:
    """`404 not_found "Not Found: Chat not found"` for one V2 error."""
    head = " ".join(
        str(error[key])[:40] for key in ("status", "code") if isinstance(error.get(key), int | str)
    )
    words = ": ".join(
        str(error[key]) for key in ("title", "detail") if isinstance(error.get(key), str)
    )
    return " ".join(part for part in (head, short_text(words) if words else "") if part) or "{}"


# Loose reading of JSON that cannot be parsed (cut-off log lines, Python or JavaScript printouts).
def _loose_field(name: str, value: str) -> re.Pattern[str]:
    # Quotes may be escaped (\"code\":1007) when a body was logged inside a JSON string.
    quote = r"""(?:\\?["'])?"""
    return re.compile(
        rf"{quote}\b{name}{quote}[ \t]*[:=][ \t]*{value.replace('QUOTE', quote)}", re.IGNORECASE
    )


_LOOSE_CODE = _loose_field("code", r"QUOTE(?P<value>\d{1,9})\b")
_LOOSE = {
    "status": _loose_field("status", r"QUOTE(?P<value>\d{3})\b"),
    "message": _loose_field(
        "message", r"""(?P<q>["'])(?P<value>(?:\\.|(?!(?P=q))[^\\\n]){0,500})(?P=q)"""
    ),
    "retry_after": _loose_field("retry_after", r"QUOTE(?P<value>-?\d{1,12})\b"),
    "trace_id": _loose_field("trace_id", r"QUOTE(?P<value>[\w-]{1,100})"),
    "doc_url": _loose_field("doc_url", r"""QUOTE(?P<value>[^\s"',}\\]{1,300})"""),
}
LOOSE_ENVELOPE = re.compile(r"""\berror\\?["']?[ \t]*[:=][ \t]*\{""", re.IGNORECASE)


def loose_items(text: str, start: int, stop: int, http: PastedResponse | None) -> list[ErrorItem]:
    codes = list(_LOOSE_CODE.finditer(text, start, stop))
    if not codes:
        return []
    # A field whose name is nowhere in the text is not looked for around each code: thousands
    # of bare codes then cost one scan, not five searches each.
    lowered = text[start:stop].lower()
    fields = [(name, pattern) for name, pattern in _LOOSE.items() if name in lowered]
    items = []
    for index, match in enumerate(codes):
        # Each code owns the text halfway to its neighbours.
        low = start if index == 0 else (codes[index - 1].end() + match.start()) // 2
        high = stop if index + 1 == len(codes) else (match.end() + codes[index + 1].start()) // 2
        error: dict[str, Any] = {"code": int(match["value"])}
        wrapper: dict[str, Any] = {}
        for name, pattern in fields:
            found = pattern.search(text, low, high)
            if found is None:
                continue
            raw = found["value"]
            if name in ("status", "retry_after"):
                error[name] = int(raw)
            elif name == "trace_id":
                wrapper[name] = raw
            else:
                error[name] = raw
        items.append(ErrorItem("loose", error, match.start(), wrapper=wrapper, http=http))
    return items


# --- HTTP responses -------------------------------------------------------------------------------

_STATUS_LINE = re.compile(
    r"^[<*]?[ \t]*HTTP/\d(?:\.\d)?[ \t]+(?P<status>[1-5]\d\d)\b[^\n]*$", re.MULTILINE
)
_HEADER = re.compile(r"(?P<name>[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100})[ \t]*:[ \t]*(?P<value>.*)")
_CURL_NOISE = ("*", ">", "{ [", "} [")


def http_responses(text: str) -> list[PastedResponse]:
    """Status line, headers and body of each HTTP response in `curl -i` / `curl -v` output."""
    lines = list(_STATUS_LINE.finditer(text))
    responses = []
    for index, status_line in enumerate(lines):
        end = lines[index + 1].start() if index + 1 < len(lines) else len(text)
        headers: dict[str, str] = {}
        pos = min(status_line.end() + 1, end)
        body_start = end
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end == -1 else line_end
            line = text[pos:line_end].strip()
            if line.startswith(_CURL_NOISE):
                pos = line_end + 1
                continue
            content = line[1:].strip() if line.startswith("<") else line
            if not content:
                body_start = min(line_end + 1, end)
                break
            header = _HEADER.fullmatch(content)
            if header is None:
                body_start = pos  # no blank line: the body starts here
                break
            headers.setdefault(header["name"].lower(), header["value"].strip())
            pos = line_end + 1
        status = int(status_line["status"])
        if status >= 200:  # 100 Continue and 103 Early Hints precede the real response
            responses.append(PastedResponse(status, headers, body_start, end, status_line.start()))
    return responses
