"""The sample pastes of the diagnose page, read from diagnose/examples/."""

from datetime import UTC, datetime

from diagnose.engine import diagnose
from diagnose.examples import FOLDER, examples

NOW = datetime(2026, 11, 3, 14, 2, 37, tzinfo=UTC)


def test_every_file_is_an_example_with_a_unique_slug():
    found = examples(NOW)
    assert len(found) == len(list(FOLDER.glob("*.txt"))) >= 4
    assert len({e.slug for e in found}) == len(found)
    assert all(e.label and e.text.strip() for e in found)


def test_dates_are_filled_in():
    for example in examples(NOW):
        assert "${" not in example.text
    by_slug = {e.slug: e for e in examples(NOW)}
    assert "date: Tue, 03 Nov 2026 14:02:37 GMT" in by_slug["rate-limited"].text
    assert "2026-11-03T14:02:32.402Z ERROR" in by_slug["log-lines"].text


def test_the_retry_time_of_the_rate_limited_example_lies_ahead():
    later = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
    text = next(e.text for e in examples(later) if e.slug == "rate-limited")
    retry = diagnose(text, now=later).diagnoses[0].retry
    assert retry.retry_at is not None and retry.retry_at > later


def test_each_example_is_diagnosed_as_what_its_label_says():
    kinds = {e.slug: diagnose(e.text, now=NOW).input_kind for e in examples(NOW)}
    assert kinds == {
        "rate-limited": "http_response",
        "unauthorized": "envelope",
        "log-lines": "batch",
        "webhook": "webhook",
        "legacy-v2": "legacy_v2",
        "code": "code",
    }
