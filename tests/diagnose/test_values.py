"""Reading pasted values (diagnose/engine/values.py) and grouping results
(diagnose/engine/results.py)."""

import pytest

from diagnose.engine import diagnose
from diagnose.engine.values import explain_trace_id
from tests.diagnose.cases import CASES, NOW, T1, T2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (T1, T1),
        (T1.upper(), T1),
        (f"00-{T1}-00f067aa0ba902b7-01", T1),
        ("0" * 32, None),
        (T1 + "0", None),
        ("trace_abc123def456", None),
        (12345, None),
        (None, None),
    ],
)
def test_normalise_trace_id(raw, expected):
    assert explain_trace_id(raw)[0] == expected


def test_batch_groups_by_code_with_every_trace_id():
    report = diagnose(CASES["NDJSON"].paste, now=NOW)
    groups = report.groups()
    assert [(g.code, g.count) for g in groups] == [(2004, 2), (1007, 1)]
    assert groups[0].trace_ids == (T1, T2)
