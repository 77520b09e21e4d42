"""`manage.py diagnose [FILE|-]`: readable and JSON output, exit status."""

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from diagnose.engine import MAX_INPUT_BYTES, diagnose
from diagnose.labels import finding_label
from tests.diagnose.cases import CASES, T1, TOKEN, envelope


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO(), "no_color": True}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("diagnose", *args, **options)
    return out.getvalue()


def run_failing(*args, stdin: str | None = None) -> tuple[CommandError, str]:
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO(), "no_color": True}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    with pytest.raises(CommandError) as failure:
        call_command("diagnose", *args, **options)
    return failure.value, out.getvalue()


@pytest.fixture
def paste_file(tmp_path):
    def write(text: str | bytes) -> str:
        path = tmp_path / "paste.txt"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        return str(path)

    return write


def test_readable_diagnosis_of_a_file(paste_file):
    paste = (
        "HTTP/1.1 429 Too Many Requests\n"
        "Date: Tue, 03 Nov 2026 14:02:37 GMT\n"
        "Retry-After: 30\n\n" + envelope(retry_after=30)
    )
    output = run(paste_file(paste))
    assert "Diagnosis: an HTTP response" in output
    assert "1007  Rate limit exceeded" in output
    assert "yes — Retry after 30 s, at 14:03:07 UTC." in output
    assert "Counted from the response's Date header." in output
    assert f"Trace id              {T1}" in output
    assert f"/support/new/?code=1007&trace_id={T1}&status=429" in output


def test_findings_and_batch_summary():
    output = run(stdin=CASES["NDJSON"].paste)
    assert "Summary by code" in output
    assert "2004 x2  Unauthorized" in output
    finding_output = run(stdin=envelope())
    assert "warning No wait given" in finding_output
    assert "warning retry_after_missing" not in finding_output  # ids are for --json
    assert "1, 2, 4, 8, 16, 30 s" in finding_output


def test_base_url_prefixes_the_links():
    output = run("--base-url", "https://docs.example/", stdin="2004")
    assert "How to fix 2004       https://docs.example/errors/2004/#how-to-fix-it" in output
    assert "Contact support       https://docs.example/support/new/?code=2004" in output
    # The fix first: 2004 is the developer's to fix.
    assert output.index("How to fix 2004") < output.index("Contact support")


def test_json_is_the_api_answer(paste_file):
    paste = envelope(code=3002, status=500, message="Server operation failed")
    assert json.loads(run(paste_file(paste), "--json")) == diagnose(paste).as_dict()


@pytest.mark.parametrize(
    "case",
    [case for case in CASES.values() if case.status == 200],
    ids=[name for name, case in CASES.items() if case.status == 200],
)
def test_every_case(case):
    expected = diagnose(case.paste)
    if expected.diagnosed:
        assert json.loads(run("-", "--json", stdin=case.paste)) == expected.as_dict()
        text = run(stdin=case.paste)
    else:
        failure, output = run_failing("--json", stdin=case.paste)
        assert failure.returncode == 2
        assert json.loads(output) == expected.as_dict()
        text = run_failing(stdin=case.paste)[1]
    for finding in expected.findings:
        assert finding_label(finding.id) in text
    for diagnosis in expected.diagnoses:
        assert all(finding_label(finding.id) in text for finding in diagnosis.findings)
        if diagnosis.code is not None:
            assert str(diagnosis.code) in text


@pytest.mark.parametrize("paste", ["", "  \n\t", "just some words", '{"a": 1}'])
def test_empty_or_unusable_input_exits_2(paste):
    failure, output = run_failing(stdin=paste)
    assert failure.returncode == 2
    assert "Diagnosis:" in output


def test_too_large_input_exits_2(paste_file):
    failure, output = run_failing(paste_file("x" * (MAX_INPUT_BYTES + 1)), "--json")
    assert failure.returncode == 2
    assert [f["id"] for f in json.loads(output)["findings"]] == ["input_too_large"]


def test_missing_file_exits_2(tmp_path):
    failure, _ = run_failing(str(tmp_path / "nope.txt"))
    assert failure.returncode == 2
    assert "cannot read" in str(failure)


def test_invalid_utf8_is_read(paste_file):
    path = paste_file(b'{"success": false, "error": {"code": 2004, "message": "\xff"}}')
    assert json.loads(run(path, "--json"))["diagnoses"][0]["code"] == 2004


def test_a_bearer_token_appears_in_no_output(caplog):
    caplog.set_level(logging.DEBUG)
    paste = f"> Authorization: Bearer {TOKEN}\nHTTP/2 401\n\n" + envelope(
        code=2004, status=401, message="Unauthorized"
    )
    text = run(stdin=paste)
    data = run("--json", stdin=paste)
    assert TOKEN not in text and TOKEN not in data
    assert "Secret masked" in text
    assert TOKEN not in caplog.text


def manage(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "diagnose", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_exit_status_of_the_real_command():
    diagnosed = manage("-", stdin=f"Authorization: Bearer {TOKEN}\nX-Trace-ID: {T1}\n")
    assert diagnosed.returncode == 0, diagnosed.stderr
    assert "Diagnosis: a trace id" in diagnosed.stdout
    assert TOKEN not in diagnosed.stdout + diagnosed.stderr
    empty = manage("--json", stdin="\n")
    assert empty.returncode == 2
    assert json.loads(empty.stdout)["findings"][0]["id"] == "empty_input"


def test_words_get_the_codes_they_match_on_the_terminal():
    failure, output = run_failing(stdin="messages just dont go out")
    assert failure.returncode == 2  # nothing was diagnosed, but there is a next step
    assert "Codes that match your words" in output
    assert "4001  Delivery failed  /errors/4001/" in output
    assert "Search these words" in output and "/errors/?q=messages+just+dont+go+out" in output
    assert "Contact support" in output and "/support/new/?from=diagnosis" in output


def test_a_call_with_no_answer_is_diagnosed_on_the_terminal():
    output = run(stdin="curl: (28) Operation timed out after 30001 milliseconds")
    assert "No answer: the call timed out" in output
    assert "How to retry safely" in output and "/guides/retries/" in output
    assert output.index("How to retry safely") < output.index("Contact support")
