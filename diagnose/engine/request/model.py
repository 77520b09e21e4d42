"""What checking a request hands back, and the registry every request rule is written into."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from diagnose.engine.request.endpoints import Endpoint
from diagnose.engine.request.parse import NO_BODY, PastedRequest

MAX_SHOWN = 80  # characters of a value shown back


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the request: which field, what is wrong, the value as seen (already
    masked), how to fix it, and the code Linq answers with where its documentation says so."""

    rule: str  # the finding id
    field: str | None  # a JSON path (`message.parts[1].value`), `header Content-Type`, `URL`
    message: str
    fix: str
    value: str | None = None
    code: int | None = None
    level: str = "error"
    line: int | None = None
    column: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.rule,
            "level": self.level,
            "message": self.message,
            "field": self.field,
            "value": self.value,
            "fix": self.fix,
            "causes_code": self.code,
        }
        if self.line is not None:
            data["line"] = self.line
            data["column"] = self.column
        return data


@dataclass(frozen=True)
class RequestView:
    """A request as the rules see it: the endpoint it was sent to (or was most likely meant
    for) and its body's message, wherever the paste put it."""

    request: PastedRequest
    endpoint: Endpoint | None
    endpoint_guessed: bool = False  # a body alone: the endpoint is inferred from its fields

    @property
    def body(self) -> object:
        return self.request.body.value

    @property
    def has_body(self) -> bool:
        return self.request.body.value is not NO_BODY

    @property
    def message(self) -> tuple[str, dict[str, Any]] | None:
        """(path, message object): `message` of the body, or the body itself when it is a bare
        message object (`{"parts": [...]}` pasted alone)."""
        body = self.body
        if not isinstance(body, dict):
            return None
        if isinstance(body.get("message"), dict):
            return "message", body["message"]
        if "parts" in body and "message" not in body:
            return "", body
        return None


type RuleFunction = Callable[[RequestView], list[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    sources: tuple[str, ...]  # keys of errors/content/sources.toml
    codes: tuple[int, ...]  # the codes it can name
    check: RuleFunction = field(compare=False)
    summary: str = ""
    stage: int = 2  # when Linq applies it: 0 who is calling, 1 reading the body, 2 its fields


RULES: list[Rule] = []


def rule(
    rule_id: str, *, sources: tuple[str, ...], codes: tuple[int, ...] = (), stage: int = 2
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule. Each rule is one fact of Linq's documentation, so it names its sources;
    `manage.py check` refuses a rule without one, or with one the registry does not know."""

    def register(function: RuleFunction) -> RuleFunction:
        summary = (function.__doc__ or "").strip().split("\n")[0]
        RULES.append(Rule(rule_id, sources, codes, function, summary, stage))
        return function

    return register


def shown(value: object) -> str:
    """A value as the page shows it: JSON-ish, one line, shortened."""
    if isinstance(value, str):
        text = value
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
