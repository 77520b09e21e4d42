"""The API, the page (full and htmx) and the command line say the same about a request."""

import io
import json
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from diagnose.labels import finding_label
from tests.diagnose.test_request_table import ROWS

PASTES = {row[0]: row[1] for row in ROWS if row[3]}  # the requests with something wrong
SAMPLE = [PASTES[name] for name in (
    "chat: from without country code",
    "chat: curl -d without Content-Type",
    "send: link beside text",
    "app: team id in lower case, no name",
    "pre-upload: WebP",
    "raw HTTP request with a Token scheme",
)]  # fmt: skip


def api(paste: str) -> dict:
    response = Client().post("/api/diagnose/", paste, content_type="text/plain")
    assert response.status_code == 200
    return json.loads(response.content)


def page(paste: str, *, htmx: bool = False) -> str:
    client = Client()
    client.get("/diagnose/")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/diagnose/", {"envelope": paste}, headers=headers).content.decode()


def terminal(paste: str) -> str:
    out = io.StringIO()
    call_command(
        "diagnose", stdout=out, stderr=io.StringIO(), no_color=True, stdin=io.StringIO(paste)
    )
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("paste", SAMPLE)
def test_api_page_fragment_and_terminal_agree(paste: str) -> None:
    data = api(paste)
    assert data["input_kind"] == "request"
    ids = [f["id"] for f in data["findings"]]
    assert next(i for i in ids if i.startswith("request_")) == "request_refused"
    fields = [f["field"] for f in data["request"]["findings"] if f["level"] == "error"]
    full, fragment, text = page(paste), page(paste, htmx=True), terminal(paste)
    for shown in (full, fragment):  # the ids only as data attributes, for tools
        assert sorted(set(re.findall(r'data-finding="([a-z0-9_]+)"', shown)) & set(ids)) == sorted(
            set(ids)
        )
    for shown in (full, fragment, text):  # and in words for people
        for finding_id in ids:
            assert finding_label(finding_id) in unescape(shown), finding_id
        for field in fields:
            assert field in shown
    for code in data["request"]["would_cause"]:
        assert f"/errors/{code}/" in full
        assert str(code) in text


@pytest.mark.django_db
def test_the_api_names_field_value_fix_and_code() -> None:
    data = api(PASTES["chat: from without country code"])
    (problem,) = [f for f in data["findings"] if f["id"] == "request_phone_not_e164"]
    assert problem == {
        "id": "request_phone_not_e164",
        "level": "error",
        "message": problem["message"],
        "field": "from",
        "value": "4155551234",
        "fix": problem["fix"],
        "causes_code": 1002,
    }
    assert "+14155551234" in problem["fix"]
    assert data["request"]["endpoint"] == "POST /v3/chats"
    assert data["request"]["would_cause"] == [1002]
    assert data["diagnoses"] == []


@pytest.mark.django_db
def test_a_good_request_says_no_problem_was_found() -> None:
    data = api(PASTES_GOOD["chat: good"])
    assert data["input_kind"] == "request"
    assert [f["id"] for f in data["findings"] if f["level"] != "warning"] == ["request_no_problem"]
    assert "No problem found" in page(PASTES_GOOD["chat: good"])


PASTES_GOOD = {row[0]: row[1] for row in ROWS if not row[3]}
