"""The message index answers exactly as comparing the text with every message did."""

import difflib
import re

import pytest

from errors.catalogue import normalise_message
from errors.loading import get_catalogue
from errors.messages import index_for


def brute_force(wanted: str):
    """The previous look-up: every message compared, one by one."""
    messages = [(e, normalise_message(e.message)) for e in get_catalogue().codes]
    prefixed = [(e, m) for e, m in messages if re.match(rf"{re.escape(m)}(?![\w])", wanted)]
    longest = max((len(m) for _, m in prefixed), default=0)
    containing = [e for e, m in messages if re.search(rf"\b{re.escape(wanted)}\b", m)]
    scores = [(difflib.SequenceMatcher(None, wanted, m).ratio(), e) for e, m in messages]
    best = max(score for score, _ in scores)
    return (
        [e for e, m in messages if m == wanted],
        [e for e, m in prefixed if len(m) == longest],
        containing,
        best,
        [e for score, e in scores if score >= best - 0.03],
    )


def texts() -> list[str]:
    found = []
    for entry in get_catalogue().codes:
        message = normalise_message(entry.message)
        found += [message, message + " for chat 42", message[:-2], message[1:]]
        found += [message[:i] + message[i + 1 :] for i in range(0, len(message), 7)]  # typos
        found += [" ".join(message.split()[1:3])]
    return [t for t in found if t.strip()] + ["rate limit exeeded", "chat not fund", "ok"]


def test_each_look_up_matches_the_brute_force():
    for wanted in texts():
        check(wanted)


def check(wanted: str) -> None:
    index = index_for(get_catalogue())
    equal, prefix, containing, best, similar = brute_force(wanted)
    assert list(index.equal(wanted)) == equal
    assert list(index.longest_prefix(wanted)) == prefix
    assert index.containing(wanted) == containing
    found = index.similar(wanted)
    # The diagnosis takes a similar message from a ratio of 0.75 up: there the index must find
    # the best one and every one within 0.03 of it; below, it only ever scores lower.
    if best >= 0.75:
        assert found[0][0] == pytest.approx(best)
        top = sorted((e for score, e in found if score >= best - 0.03), key=lambda e: e.code)
        assert top == similar
    else:
        assert not found or found[0][0] <= best


def test_a_cutoff_leaves_out_only_messages_whose_ratio_falls_short_of_it():
    """The diagnosis asks only for messages that can reach 0.72: difflib's quick ratios (upper
    bounds) skip the others, and every message at or above the cutoff is still there, in order."""
    index = index_for(get_catalogue())
    for wanted in [*texts(), "the recipient could not be reached", "invalid phone numbr format"]:
        every = index.similar(wanted)
        kept = index.similar(wanted, cutoff=0.72)
        assert [pair for pair in every if pair[0] >= 0.72] == [p for p in kept if p[0] >= 0.72]
        assert len(kept) <= len(every)
