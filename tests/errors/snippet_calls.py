"""What the snippet tests beyond the retry loops share: the languages, and the calls a run made."""

import os
import shutil

import pytest

from tests.errors.test_snippets import languages
from tests.fake_linq import FakeLinq

LANGUAGES = ["python", "javascript", "curl"]


def runnable(language: str) -> None:
    if language not in languages():
        pytest.skip("node is not installed")
    if language == "curl" and not shutil.which("jq"):
        if os.environ.get("CI"):
            pytest.fail("jq is needed to run the shell snippets")
        pytest.skip("jq is not installed")


def calls(fake: FakeLinq) -> list[tuple[str, str]]:
    return [(seen.method, seen.path) for seen in fake.requests]


def body(fake: FakeLinq, index: int) -> dict:
    sent = fake.requests[index].body
    assert sent is not None
    return sent
