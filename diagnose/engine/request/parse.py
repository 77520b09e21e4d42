"""Finding the request a developer sent inside a paste.

A paste holds the request in one of a few shapes, and each says something different about it:

- a `curl` command line (`curl -X POST … -H … -d '{…}'`, continued over lines with `\\`): the
  method, the URL, the headers written by hand and the body; curl adds a `Content-Type` itself
  (`application/x-www-form-urlencoded` for `-d`, `application/json` for `--json`);
- `curl -v` output: the `>` lines are the request line and the headers curl really sent;
- a raw HTTP request (`POST /api/partner/v3/chats HTTP/1.1`, headers, a blank line, the body),
  as proxies and HTTP logs print it;
- a JSON body alone, or logged beside the error it provoked.

The text given here is already masked (`redaction`), so nothing read from it can carry a secret.
Every step is bounded: a command line is split at most `MAX_COMMAND` characters deep, and bodies
are read with the engine's bounded JSON scanner.
"""

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from diagnose.engine.jsonscan import find_json_values

MAX_COMMAND = 32 * 1024
NO_BODY = object()  # the request carried no body at all

_CURL = re.compile(r"(?m)^[ \t]*(?:[$#>%] +)?(?P<curl>curl(?:\.exe)?)[ \t]+")
_CONTINUATION = re.compile(r"[ \t]*(?:\\|\^|`)[ \t]*\r?\n[ \t]*")
_REQUEST_LINE = re.compile(
    r"(?m)^(?P<prefix>> )?(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[ \t]+"
    r"(?P<target>\S+)[ \t]+HTTP/\d(?:\.\d)?[ \t]*\r?$"
)
_HEADER = re.compile(r"(?P<name>[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100})[ \t]*:[ \t]*(?P<value>.*)")
_RESPONSE_LINE = re.compile(r"^(?:< )?HTTP/\d(?:\.\d)?[ \t]+\d{3}")

# curl options that take a value, by what they mean for the request.
_DATA_OPTIONS = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii"}
_VALUE_OPTIONS = {
    "-o", "--output", "-u", "--user", "-A", "--user-agent", "-e", "--referer", "-b", "--cookie",
    "-c", "--cookie-jar", "-m", "--max-time", "--connect-timeout", "--retry", "-w",
    "--write-out", "-x", "--proxy", "--cacert", "--cert", "--key", "-T", "--upload-file",
    "--resolve", "--retry-max-time", "--retry-delay", "-K", "--config", "--limit-rate",
    "--data-urlencode", "-F", "--form", "--form-string", "--url",
}  # fmt: skip
# Keys a request body of the v3 API holds at its top level (an envelope has success/error).
REQUEST_KEYS = frozenset(
    {
        "message", "parts", "to", "from", "address", "filename", "content_type", "size_bytes",
        "target_url", "subscribed_events", "preferred_service", "idempotency_key",
        "display_name", "phone_number",
    }
)  # fmt: skip

_ANSWER_KEYS = frozenset({"success", "error", "errors", "code", "status", "event_type", "trace_id"})

_BODY_KEY = re.compile(r'"(?:' + "|".join(sorted(REQUEST_KEYS)) + r')"[ \t\r\n]*:')


@dataclass(frozen=True)
class Body:
    """What the request carried. `value` is the parsed JSON (or NO_BODY); `problem` says why a
    body that is there could not be read as JSON, with its 1-based line and column."""

    value: object = NO_BODY
    text: str = ""
    problem: str | None = None
    line: int | None = None
    column: int | None = None
    from_file: str | None = None  # `-d @payload.json`: the body is not in the paste
    form: bool = False  # sent as multipart form fields (`-F`)

    @property
    def present(self) -> bool:
        return self.value is not NO_BODY or bool(self.text) or self.from_file is not None


@dataclass(frozen=True)
class PastedRequest:
    """One request found in a paste. `headers` is None when the paste does not show them (a body
    alone), so rules about headers say nothing rather than guess."""

    source: str  # "curl", "curl_verbose", "http_request", "body"
    offset: int  # where it starts in the paste
    method: str | None = None
    url: str | None = None
    headers: tuple[tuple[str, str], ...] | None = None
    body: Body = field(default_factory=Body)

    @property
    def path(self) -> str | None:
        if not self.url:
            return None
        target = self.url if "://" in self.url else "http://host" + self.url
        try:
            return urlsplit(target).path or "/"
        except ValueError:
            return None

    @property
    def scheme(self) -> str | None:
        return self.url.split("://", 1)[0].lower() if self.url and "://" in self.url else None

    @property
    def host(self) -> str | None:
        if self.url and "://" in self.url:
            try:
                return urlsplit(self.url).hostname
            except ValueError:
                return None
        return self.header("host")

    def header(self, name: str) -> str | None:
        """The last value sent for a header (as servers read a repeated one), or None."""
        found = None
        for key, value in self.headers or ():
            if key.lower() == name.lower():
                found = value
        return found


def find_request(text: str) -> PastedRequest | None:
    """The request in a paste, or None when it holds none. A curl command line wins over its own
    `-v` lines for the body; the `>` lines then add the headers curl really sent."""
    command = _from_curl(text)
    verbose = _from_request_lines(text)
    if command is not None:
        if verbose is not None and verbose.source == "curl_verbose":
            return _merge(command, verbose)
        return command
    if verbose is not None:
        return verbose
    return _from_body(text)


def request_body_values(text: str) -> list[tuple[int, dict]]:
    """Top-level JSON objects of the paste that look like a request body (not an envelope)."""
    return [
        (offset, value) for offset, value in find_json_values(text).values if looks_like_body(value)
    ]


def looks_like_body(value: object) -> bool:
    """A request body, not an answer: no envelope or error fields, no webhook event, and a
    `message` that is an object (an error's `message` is a string)."""
    if not isinstance(value, dict) or _ANSWER_KEYS.intersection(value):
        return False
    if "type" in value and "data" in value:
        return False
    if "message" in value and not isinstance(value["message"], dict):
        return False
    return bool(REQUEST_KEYS.intersection(value))


# curl command lines ------------------------------------------------------------------------------


def _from_curl(text: str) -> PastedRequest | None:
    match = _CURL.search(text)
    if match is None:
        return None
    command = _command_text(text, match.end())
    words = _split(command)
    method: str | None = None
    url: str | None = None
    headers: list[tuple[str, str]] = []
    data: list[str] = []
    json_data: list[str] = []
    form = False
    index = 0
    while index < len(words):
        word = words[index]
        value = words[index + 1] if index + 1 < len(words) else ""
        name, glued = _option(word)
        if name in ("-X", "--request"):
            method, index = (glued or value).upper(), index + (1 if glued else 2)
            continue
        if name in ("-H", "--header"):
            header = _HEADER.fullmatch((glued or value).strip())
            if header:
                headers.append((header["name"], header["value"].strip()))
            index += 1 if glued else 2
            continue
        if name in _DATA_OPTIONS or name == "--json":
            (json_data if name == "--json" else data).append(glued or value)
            index += 1 if glued else 2
            continue
        if name in ("-F", "--form", "--form-string"):
            form = True
            index += 1 if glued else 2
            continue
        if name == "--url":
            url, index = glued or value, index + (1 if glued else 2)
            continue
        if name in _VALUE_OPTIONS and not glued:
            index += 2
            continue
        if not word.startswith("-") and url is None:
            url = word
        index += 1
    sent = data + json_data
    body = _body_of("&".join(sent) if len(sent) > 1 else (sent[0] if sent else None))
    if form:
        body = Body(form=True)
    if json_data and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    elif data and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))  # curl's default
    if method is None:
        method = "POST" if sent or form else "GET"
    return PastedRequest("curl", match.start("curl"), method, url, tuple(headers), body)


def _command_text(text: str, start: int) -> str:
    """The command from `curl` on: continued lines joined, up to the first line that does not
    continue it (outside a quoted argument, which may span lines)."""
    joined = _CONTINUATION.sub(" ", text[start : start + MAX_COMMAND])
    quote: str | None = None
    for position, char in enumerate(joined):
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"':
                continue
        elif char in "'\"":
            quote = char
        elif char == "\n":
            return joined[:position]
    return joined


def _split(command: str) -> list[str]:
    """Shell words of a command; an unclosed quote (a paste cut short) is closed for it."""
    for attempt in (command, command + "'", command + '"'):
        try:
            return shlex.split(attempt, comments=False, posix=True)
        except ValueError:
            continue
    return command.split()


def _option(word: str) -> tuple[str | None, str]:
    """An option's name and a value glued to it (`-XPOST`, `--data={…}`), or (None, "")."""
    if word.startswith("--"):
        name, _, glued = word.partition("=")
        return name, glued
    if word.startswith("-") and len(word) > 1:
        return word[:2], word[2:]
    return None, ""


def _body_of(data: str | None) -> Body:
    if data is None:
        return Body()
    if data.startswith("@"):
        return Body(from_file=data[1:] or "-")
    return _read_body(data)


def _read_body(data: str) -> Body:
    stripped = data.strip()
    if not stripped:
        return Body(text=data)
    found = find_json_values(stripped)
    if found.values and found.values[0][0] == 0:
        value = found.values[0][1]
        return Body(value=value, text=data)
    position, reason = found.problem if found.problem else (0, "the body is not JSON")
    line = stripped.count("\n", 0, position) + 1
    column = position - (stripped.rfind("\n", 0, position) + 1) + 1
    return Body(text=data, problem=reason, line=line, column=column)


# Request lines: curl -v output and raw HTTP requests ---------------------------------------------


def _from_request_lines(text: str) -> PastedRequest | None:
    match = _REQUEST_LINE.search(text)
    if match is None:
        return None
    verbose = bool(match["prefix"])
    headers: list[tuple[str, str]] = []
    lines = text[match.end() :].split("\n")
    body_lines: list[str] = []
    in_body = False
    for line in lines[1:] if lines and not lines[0].strip() else lines:
        line = line.rstrip("\r")
        if verbose:
            if not line.startswith(">"):
                if line.startswith(("*", "<", "{", "}")) or not line.strip():
                    if headers and (line.startswith("<") or line.startswith("*")):
                        break
                    continue
                break
            content = line[1:].strip()
            if not content:
                break
        else:
            if in_body:
                if _RESPONSE_LINE.match(line):
                    break
                body_lines.append(line)
                continue
            content = line.strip()
            if not content:
                in_body = True
                continue
        header = _HEADER.fullmatch(content)
        if header is None:
            break
        headers.append((header["name"], header["value"].strip()))
    target = match["target"]
    host = next((v for k, v in headers if k.lower() == "host"), None)
    url = f"https://{host}{target}" if host and target.startswith("/") else target
    body = _read_body("\n".join(body_lines)) if "".join(body_lines).strip() else Body()
    source = "curl_verbose" if verbose else "http_request"
    return PastedRequest(source, match.start(), match["method"], url, tuple(headers), body)


def _merge(command: PastedRequest, verbose: PastedRequest) -> PastedRequest:
    return PastedRequest(
        "curl",
        command.offset,
        verbose.method or command.method,
        command.url or verbose.url,
        verbose.headers or command.headers,
        command.body,
    )


# A body alone ------------------------------------------------------------------------------------


def _from_body(text: str) -> PastedRequest | None:
    # The reader has scanned the paste's JSON already; scan again only when a request's key is
    # there to be found, so an ordinary error paste costs one scan, not two.
    if _BODY_KEY.search(text) is None:
        return None
    bodies = request_body_values(text)
    if not bodies:
        return None
    offset, value = bodies[0]
    return PastedRequest("body", offset, body=Body(value=value))
