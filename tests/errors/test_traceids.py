"""errors/traceids.py: the one place a trace id is read, for the diagnosis, the support form,
the middleware and the content checks."""

import pytest

from errors.traceids import (
    INVALID_TRACE_ID,
    TRACE_ID,
    is_trace_id,
    new_trace_id,
    normalise_trace_id,
    read_trace_id,
)

ID = "2eff5df5c6f688733c007523c4d61cd9"


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        (ID, ID),
        (ID.upper(), ID),
        (f'  "{ID}"  ', ID),
        (f"`{ID}`", ID),
        (f"'{ID}'", ID),
        (f"00-{ID}-00f067aa0ba902b7-01", ID),  # a W3C traceparent
        (f"00-{ID.upper()}-00F067AA0BA902B7-01", ID),
        ("trace_abc", "trace_abc"),  # not an id: normalised, not checked
        ("", ""),
    ],
)
def test_normalise_trace_id(given, normalised):
    assert normalise_trace_id(given) == normalised


@pytest.mark.parametrize(
    ("given", "read"),
    [
        (ID, ID),
        (f"00-{ID}-00f067aa0ba902b7-01", ID),
        (INVALID_TRACE_ID, None),
        (f"00-{INVALID_TRACE_ID}-00f067aa0ba902b7-01", None),
        (ID[:-1], None),
        (ID + "0", None),
        ("trace_abc", None),
        ("", None),
    ],
)
def test_read_trace_id(given, read):
    assert read_trace_id(given) == read


def test_is_trace_id_takes_normalised_values_only():
    assert is_trace_id(ID)
    assert not is_trace_id(ID.upper())
    assert not is_trace_id(INVALID_TRACE_ID)


def test_new_trace_ids_are_valid_and_differ():
    ids = {new_trace_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(TRACE_ID.fullmatch(i) and is_trace_id(i) for i in ids)
