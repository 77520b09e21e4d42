"""Joining the check of the request that was sent to the diagnosis of the answer it got.

A paste that holds an error and the request beside it says why the error came: each diagnosis
whose code a problem of the request explains gets that problem first, as "This is why"; problems
that would cause other codes are named at the top. A request with no error beside it is a paste
of its own (`input_kind` "request"): the verdict says whether Linq would refuse it, and with
which code.
"""

from dataclasses import replace

from diagnose.engine.findings import finding
from diagnose.engine.request import Problem, RequestCheck
from diagnose.engine.results import Diagnosis, Finding

type Reading = tuple[str, list[Finding], list[Diagnosis]]

# What the reader says about a paste that turns out to be a request: true of the request, and
# no help to someone asking what is wrong with it.
_NOT_ABOUT_REQUESTS = frozenset({"not_json", "not_an_error"})


def with_request(check: RequestCheck, reading: Reading) -> Reading:
    kind, findings, diagnoses = reading
    if not diagnoses:
        kept = [f for f in findings if f.id not in _NOT_ABOUT_REQUESTS]
        problems = [as_finding(p) for p in check.problems]
        return "request", [verdict(check), *kept, *problems], diagnoses
    seen = {d.code for d in diagnoses}
    explained = [_explain(d, check) for d in diagnoses]
    others = [p for p in check.problems if p.code not in seen]
    more: list[Finding] = []
    other_codes = [code for code in check.causes if code not in seen]
    if other_codes:
        more.append(
            finding(
                "request_would_cause",
                f"The request also has problems that would make Linq answer "
                f"{_codes(other_codes)} once this error is fixed.",
            )
        )
    return kind, [*findings, *more, *(as_finding(p) for p in others)], explained


def _explain(diagnosis: Diagnosis, check: RequestCheck) -> Diagnosis:
    why = check.explaining(diagnosis.code)
    if not why:
        return diagnosis
    return replace(
        diagnosis, findings=(*(as_finding(p, explains=True) for p in why), *diagnosis.findings)
    )


def verdict(check: RequestCheck) -> Finding:
    request = check.request
    endpoint = (
        f"`{check.endpoint.label}`"
        if check.endpoint
        else f"`{request.method or ''} {request.path or ''}`".replace("` ", "`").strip()
    )
    if endpoint == "``":
        endpoint = "its endpoint"
    if check.endpoint_guessed and check.endpoint:
        endpoint += " (guessed from the body's fields)"
    first = next((p for p in check.problems if p.level == "error"), None)
    if first is not None:
        refused = f"refused with {first.code}" if first.code is not None else "refused"
        later = [code for code in check.causes if code != first.code]
        then = (
            f" Once that is fixed, it would still be refused with {_codes(later)}." if later else ""
        )
        return finding(
            "request_refused",
            f"This request to {endpoint} would be {refused} because "
            f"{first.message[:1].lower()}{first.message[1:]}{then}",
        )
    known = (
        f"what this reference knows about {endpoint}"
        if check.endpoint
        else "its headers and body format"
    )
    advice = " See the advice below." if check.problems else ""
    return finding("request_no_problem", f"No problem found in {known}.{advice}")


def as_finding(problem: Problem, *, explains: bool = False) -> Finding:
    return Finding(
        problem.rule,
        problem.level,
        ("This is why: " if explains else "") + problem.message,
        line=problem.line,
        column=problem.column,
        field=problem.field,
        value=problem.value,
        fix=problem.fix,
        causes_code=problem.code,
    )


def _codes(codes: list[int]) -> str:
    names = [str(code) for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
