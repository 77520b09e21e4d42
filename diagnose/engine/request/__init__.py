"""Checking the request a paste holds against what Linq documents about its endpoints.

Most 1xxx errors, and several 2xxx and 5xxx ones, are caused by something in the request. When a
paste shows the request (a `curl` command, `curl -v` output, a raw HTTP request, the JSON body
alone or logged beside the error), `check_request()` finds it (`parse`), names the endpoint it
went to (`endpoints`, a table) and runs every rule over it. A rule is one documented fact, a
small function that returns its `Problem`s and names its sources (`model.rule`); the rules live
in `transport` (URL, headers, body format), `fields`, `parts` and `resources`.

The text given here is the masked paste, so no value shown back can carry a secret.
"""

from dataclasses import dataclass
from typing import Any

from diagnose.engine.request import fields, parts, resources, transport  # noqa: F401 (rules)
from diagnose.engine.request.endpoints import Endpoint, endpoint_for, endpoint_for_body
from diagnose.engine.request.model import RULES, Problem, RequestView, Rule
from diagnose.engine.request.parse import PastedRequest, find_request, looks_like_body

LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}

__all__ = ["RULES", "Problem", "RequestCheck", "Rule", "check_request", "looks_like_body"]


@dataclass(frozen=True)
class RequestCheck:
    """A request found in a paste and what is wrong with it, most serious first."""

    request: PastedRequest
    endpoint: Endpoint | None
    endpoint_guessed: bool
    problems: tuple[Problem, ...]

    @property
    def causes(self) -> tuple[int, ...]:
        """The codes the problems would make Linq answer with, in the problems' order."""
        return tuple(dict.fromkeys(p.code for p in self.problems if p.code is not None))

    @property
    def refused(self) -> bool:
        return any(p.level == "error" for p in self.problems)

    def explaining(self, code: int | None) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if code is not None and p.code == code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.request.source,
            "method": self.request.method,
            "path": self.request.path,
            "endpoint": self.endpoint.label if self.endpoint else None,
            "endpoint_guessed": self.endpoint_guessed,
            "would_cause": list(self.causes),
            "findings": [problem.as_dict() for problem in self.problems],
        }


def check_request(text: str) -> RequestCheck | None:
    """The request in a (masked) paste and its problems, or None when the paste holds none."""
    request = find_request(text)
    if request is None:
        return None
    endpoint = endpoint_for(request.method, request.path)
    guessed = False
    if endpoint is None and request.source == "body":
        endpoint, guessed = endpoint_for_body(request.body.value), True
    view = RequestView(request, endpoint, guessed)
    # Most serious first; among equals, in the order Linq meets them: who is calling, then
    # whether the body can be read, then its fields (so the first code is the one it answers).
    found = sorted(
        ((rule.stage, problem) for rule in RULES for problem in rule.check(view)),
        key=lambda item: (LEVEL_ORDER.get(item[1].level, 3), item[0]),
    )
    return RequestCheck(request, endpoint, guessed, tuple(problem for _, problem in found))
