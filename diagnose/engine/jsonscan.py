"""A bounded, strict JSON scanner: every JSON object or array in a paste, located and parsed.

JSON decisions (strict RFC 8259, which is what the Linq API sends):

- Nesting is bounded at MAX_DEPTH by a small validating pass *before* `json` parses anything, so
  no paste can make the parser recurse, hang or raise; a work budget caps adversarial text.
- `NaN`, `Infinity`, single quotes, comments and trailing commas are not JSON: the problem says
  where. Python's `json` would accept NaN and Infinity and then produce an answer that cannot be
  written back as JSON.
- Integers of more than 18 digits and floats that overflow are kept as `LargeNumber` (their digits
  as text). They are never a valid code, status or retry_after, never turned into inf, and never
  hit CPython's 4,300-digit conversion limit.
- Duplicate keys: the last one wins, as in JavaScript's `JSON.parse` and Python's `json`, which
  is what the client that logged the body saw.
"""

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, NoReturn

from diagnose.engine.limits import MAX_DEPTH


class LargeNumber(str):
    """A JSON number too large to be any code, status or wait; kept as its digits."""


def _parse_int(digits: str) -> int | LargeNumber:
    return LargeNumber(digits) if len(digits.lstrip("-")) > 18 else int(digits)


def _parse_float(digits: str) -> float | LargeNumber:
    value = float(digits)
    return value if math.isfinite(value) else LargeNumber(digits)


_STRING_BODY = r'(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*'
_STRING_PREFIX = re.compile(rf'"{_STRING_BODY}')
# Strings and brackets only: enough to follow nesting, and everything else is skipped in C.
# A string ends at its line end at the latest, as JSON strings cannot hold raw line breaks.
_STRUCTURE = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')
_CONSTANT = re.compile(r'"(?:[^"\\\n]|\\.)*"?|(?P<constant>-?Infinity|NaN)')
# Only where JSON can start: '{' before a name or '}', '[' before a value or ']'.
_OPENERS = re.compile(r'\{(?=[ \t\n\r]*["}])|\[(?=[ \t\n\r]*[\[\]{"\-0-9tfnNI])')
# Work bound for one paste, in string and bracket tokens walked: ample for any real paste (each
# value is walked once), and it caps adversarial text that makes every bracket a new start.
_SCAN_BUDGET = 50_000
WHITESPACE = re.compile(r"[ \t\n\r]*")
_BRACKET_RUNS = {"[": re.compile(r"(?:\[[ \t\n\r]*)+"), "{": re.compile(r"(?:\{[ \t\n\r]*)+")}


class _Value(NamedTuple):
    value: Any
    end: int  # just past the value


class _Failure(NamedTuple):
    error_at: int
    problem: str
    too_deep: bool = False


type _Scan = _Value | _Failure


class _Budget:
    """The tokens a paste's candidates may still walk (see _SCAN_BUDGET)."""

    def __init__(self) -> None:
        self.left = _SCAN_BUDGET

    def spend(self) -> None:
        self.left -= 1

    @property
    def spent(self) -> bool:
        return self.left <= 0


class _NonJsonConstant(Exception):
    pass


def _reject_constant(name: str) -> NoReturn:
    raise _NonJsonConstant(name)


_DECODER = json.JSONDecoder(
    parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
)


def _decode(piece: str) -> tuple[Any, int]:
    """Strict JSON of one value (raises ValueError); only ever given depth-bounded text."""
    return _DECODER.raw_decode(piece)


# A string, or a run of opening or of closing brackets: the structure pass takes a run whole.
_STRUCTURE_RUNS = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|[\[{](?:[ \t\n\r]*[\[{])*|[\]}](?:[ \t\n\r]*[\]}])*'
)
# Brackets deeper than this are counted, not recorded: no candidate that deep is read whole
# (MAX_DEPTH), and a 64 KiB run of '[' then costs a few steps instead of one per bracket.
_RECORDED_DEPTH = 2 * MAX_DEPTH + 2


def _structure(text: str, start: int, stop: int) -> dict[int, tuple[int, int]]:
    """One pass over text[start:stop]: for each '{' or '[' outside strings, where its value ends
    and how many levels it nests. A candidate starting at such a bracket sees exactly this
    structure, so it needs no pass of its own. Brackets nested deeper than _RECORDED_DEPTH are
    only counted; a candidate there scans for itself (bounded by the budget)."""
    spans: dict[int, tuple[int, int]] = {}
    stack: list[list[int]] = []  # [position, depth, deepest depth inside]
    unrecorded = 0  # open brackets deeper than _RECORDED_DEPTH

    def close(end: int) -> None:
        position, depth, deepest = stack.pop()
        spans[position] = (end, deepest - depth + 1)
        if stack and stack[-1][2] < deepest:
            stack[-1][2] = deepest

    for match in _STRUCTURE_RUNS.finditer(text, start, stop):
        run = match.group()
        if run[0] == '"':
            continue
        if len(run) == 1:  # the common case: one bracket
            if run in "[{" and len(stack) < _RECORDED_DEPTH:
                depth = len(stack) + 1
                stack.append([match.start(), depth, depth])
                continue
            if run in "]}":
                if unrecorded:
                    unrecorded -= 1
                elif stack:
                    close(match.end())
                continue
        if run[0] in "[{":
            for offset, char in enumerate(run):
                if len(stack) >= _RECORDED_DEPTH:
                    unrecorded += run.count("[", offset) + run.count("{", offset)
                    break
                if char in "[{":
                    depth = len(stack) + 1
                    stack.append([match.start() + offset, depth, depth])
            if unrecorded and stack[-1][2] < len(stack) + unrecorded:
                stack[-1][2] = len(stack) + unrecorded
            continue
        spaced = run.count(" ") + run.count("\t") + run.count("\n") + run.count("\r")
        closers = len(run) - spaced
        taken = min(unrecorded, closers)  # the innermost close the unrecorded ones first
        unrecorded -= taken
        wanted = min(closers - taken, len(stack))
        if not wanted:
            continue
        ends: Sequence[int]
        if spaced:
            ends = [match.start() + i + 1 for i, char in enumerate(run) if char in "]}"]
        else:
            ends = range(match.start() + 1, match.end() + 1)
        for end in ends[taken : taken + wanted]:
            close(end)
    while stack:
        close(stop)
    return spans


def _scan_json(
    text: str, start: int, stop: int, budget: _Budget, span: tuple[int, int] | None = None
) -> _Scan:
    """Read the JSON value at text[start] ('{' or '['), bounding nesting before `json` runs.

    The structure pass walks strings and brackets exactly as `json` does, so `json` can never
    nest deeper than the depth seen here; it never recurses itself. `span` is that pass done
    ahead by `_structure()`, when it is known and within the bound."""
    if span is not None and span[1] <= MAX_DEPTH:
        return _decode_at(text, start, span[0], stop)
    depth = 0
    end = stop
    for match in _STRUCTURE.finditer(text, start, stop):
        budget.spend()
        char = text[match.start()]
        if char == '"':
            continue
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep_or_invalid(text, start, match.start())
        else:
            depth -= 1
            if depth == 0:
                end = match.end()
                break
    return _decode_at(text, start, end, stop)


def _decode_at(text: str, start: int, end: int, stop: int) -> _Scan:
    piece = text[start:end]
    try:
        value, length = _decode(piece)
    except _NonJsonConstant:
        found = next(m for m in _CONSTANT.finditer(piece) if m["constant"])
        return _Failure(start + found.start(), f"{found['constant']} is not JSON")
    except json.JSONDecodeError as exc:
        return _Failure(*_describe_problem(text, start + exc.pos, stop, exc.msg))
    if _SURROGATE_ESCAPE.search(piece):
        value = _clean(value)
    return _Value(value, start + length)


def _too_deep_or_invalid(text: str, start: int, excess: int) -> _Scan:
    """Nesting passed MAX_DEPTH at `excess`: too deep if the JSON is valid up to there."""
    try:
        _decode(text[start:excess])
    except _NonJsonConstant:
        pass
    except json.JSONDecodeError as exc:
        if text[start + exc.pos : excess].strip(" \t\n\r"):
            return _Failure(*_describe_problem(text, start + exc.pos, excess, exc.msg))
    return _Failure(excess, "nested too deep", too_deep=True)


def _describe_problem(text: str, at: int, stop: int, message: str) -> tuple[int, str]:
    """Where exactly the JSON goes wrong, said for people."""
    if message.startswith("Invalid control"):
        if text[at] == "\n":
            return at, "a string runs over the end of its line (a raw line break is not JSON)"
        return at, "a control character inside a string must be escaped"
    if message.startswith("Unterminated string"):
        string = _STRING_PREFIX.match(text, at, stop)
        bad = string.end() if string else at
        if bad < stop and text[bad] == "\\":
            return bad, "invalid escape sequence in a string"
        return bad, "a string is not closed before the end of the text (was it cut off?)"
    if message.startswith("Invalid \\"):
        return at, "invalid escape sequence in a string"
    blank = WHITESPACE.match(text, at, stop) if at < stop else None
    at = blank.end() if blank else at
    if at >= stop:
        return at, "the text ends before the JSON does (was it cut off?)"
    char = text[at]
    if char == "'":
        return at, "single quotes are not JSON (is this a Python or JavaScript printout?)"
    word = re.match(r"[A-Za-z_]+", text[at : min(stop, at + 20)])
    if word and word.group() in ("True", "False", "None"):
        return at, f"{word.group()} is Python, not JSON (JSON says true, false, null)"
    if message.startswith("Illegal trailing comma"):  # Python 3.13+ points at the comma
        return at, "a trailing comma is not JSON"
    before = text[max(0, at - 200) : at].rstrip()
    if char in "]}" and before.endswith(","):  # Python 3.12 points past it: step back to it
        return at - (len(text[max(0, at - 200) : at]) - len(before)) - 1, (
            "a trailing comma is not JSON"
        )
    expected = message[0].lower() + message[1:]
    return at, f"{expected}, found {char!r}"


@dataclass
class JsonFound:
    values: list[tuple[int, Any]] = field(default_factory=list)  # (offset, value)
    problem: tuple[int, str] | None = None  # (offset, description) of the most promising failure
    too_deep_at: int | None = None
    progress: int = -1


def _first_bracket_problem(
    text: str, start: int, stop: int, budget: _Budget
) -> tuple[int, str] | None:
    """No bracket could start JSON; what is wrong with the first one ("{'a': 1}")."""
    bracket = re.compile(r"[{\[]").search(text, start, stop)
    if bracket is None:
        return None
    scan = _scan_json(text, bracket.start(), stop, budget)
    if isinstance(scan, _Failure) and not scan.too_deep:
        return scan.error_at, scan.problem
    return None


def find_json_values(text: str, start: int = 0, stop: int | None = None) -> JsonFound:
    """Every JSON object or array in text[start:stop], left to right, none inside another."""
    stop = len(text) if stop is None else stop
    found = JsonFound()
    if text.find("{", start, stop) < 0 and text.find("[", start, stop) < 0:
        return found  # nothing could start JSON (an empty body, a bare status line)
    budget = _Budget()
    spans = _structure(text, start, stop)
    pos = start
    while True:
        opener = _OPENERS.search(text, pos, stop)
        if opener is None:
            if not found.values and found.problem is None and found.too_deep_at is None:
                found.problem = _first_bracket_problem(text, start, stop, budget)
            return found
        at = opener.start()
        if budget.spent:  # the work bound is reached: what was found so far stands
            return found
        scan = _scan_json(text, at, stop, budget, spans.get(at))
        if isinstance(scan, _Value):
            found.values.append((at, scan.value))
            pos = scan.end
        elif scan.too_deep:
            if found.too_deep_at is None:
                found.too_deep_at = scan.error_at
            # Skip the rest of a run of brackets whole: a 64 KiB run of '[' then costs one
            # regex step, not one scan per bracket.
            run = _BRACKET_RUNS[text[scan.error_at]].match(text, scan.error_at, stop)
            pos = max(scan.error_at + 1, run.end() if run else 0)
        else:
            # The candidate that got furthest is the JSON the developer meant; its problem is
            # the one worth reporting (not the '[' of an "[INFO]" log prefix).
            if scan.error_at - at > found.progress:
                found.progress = scan.error_at - at
                found.problem = (scan.error_at, scan.problem)
            # Next, a value nested in the valid part (a complete envelope inside a cut-off log
            # record); openers inside that part's strings cannot start anything useful.
            pos = scan.error_at
            for match in _STRUCTURE.finditer(text, at + 1, scan.error_at):
                budget.spend()
                if text[match.start()] in "[{":
                    pos = match.start()
                    break


_SURROGATE = re.compile("[\ud800-\udfff]")
# Only a "\\udXXX" escape can put a surrogate into decoded JSON (the text itself has none left).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def clean_text(text: str) -> str:
    """Valid Unicode (lone surrogates replaced), no byte-order mark, LF line ends."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _clean(value: Any) -> Any:
    """Parsed JSON with valid Unicode everywhere (JSON's "\\ud800" decodes to a surrogate)."""
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str) and not isinstance(value, LargeNumber) and _SURROGATE.search(value):
        return clean_text(value)
    return value
