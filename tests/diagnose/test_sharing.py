"""Shared diagnoses (diagnose/engine/sharing.py): a link that rebuilds a diagnosis from ids and
numbers alone."""

import pytest

from diagnose.engine import diagnose, shared_diagnosis
from tests.diagnose.cases import NOW, T1, envelope

# --- Shared links ---------------------------------------------------------------------------------


def test_share_params_rebuild_the_same_diagnosis():
    paste = f"HTTP/1.1 429 Too Many Requests\nX-Trace-ID: {T1}\n\n" + envelope(
        retry_after=30, message="Slow down <b>now</b>"
    )
    original = diagnose(paste, now=NOW).diagnoses[0]
    params = original.share_params()
    assert [name for name, _ in params] == [
        "code",
        "status",
        "trace_id",
        "retry_after",
        "finding",
    ]
    assert "Slow down" not in repr(params)
    rebuilt = shared_diagnosis(
        {name: value for name, value in params}, [v for n, v in params if n == "finding"]
    )
    assert rebuilt is not None
    assert rebuilt.code == original.code
    assert rebuilt.trace_id == original.trace_id
    assert rebuilt.retry.verdict == original.retry.verdict
    assert rebuilt.retry.after_seconds == 30
    assert [f.id for f in rebuilt.findings] == [f.id for f in original.findings]
    assert rebuilt.support_url == original.support_url


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"code": "abc"},
        {"trace_id": "0" * 32},
        {"trace_id": "<script>"},
        {"code": "-1"},
        {"code": "9" * 40},
    ],
)
def test_share_params_that_hold_nothing(params):
    assert shared_diagnosis(params, ["not_a_finding", "<b>"]) is None


def test_share_params_ignore_unknown_findings():
    rebuilt = shared_diagnosis({"code": "2004", "status": "999"}, ["bogus", "status_mismatch"])
    assert rebuilt is not None
    assert rebuilt.code == 2004
    assert rebuilt.observed["http_status"] is None
    assert [f.id for f in rebuilt.findings] == ["status_mismatch"]
