"""Every page snippet runs: Python and JavaScript against a local fake Linq API, shell parsed.

Sleeps are recorded instead of slept (Python: time.sleep patched; JavaScript: setTimeout calls
made from the snippet file run at once; shell: a `sleep` on PATH that logs), so the suite checks
each wait against the page's promise: capped, and never after the last attempt.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from errors.catalogue import ErrorCode
from errors.loading import get_catalogue
from errors.snippets import SnippetSet
from tests.fake_linq import FakeLinq, serve

NODE = shutil.which("node")
PYTHON_RUNNER = """
import json, runpy, sys, time
sleeps = []
time.sleep = sleeps.append
script, log_path = sys.argv[1], sys.argv[2]
sys.argv = [script, *sys.argv[3:]]  # the snippet sees its own arguments
try:
    runpy.run_path(script, run_name="__main__")
finally:
    with open(log_path, "w") as log:
        json.dump(sleeps, log)
"""
NODE_PRELOAD = """
import { writeFileSync } from "node:fs";
const realSetTimeout = globalThis.setTimeout;
const sleeps = [];
globalThis.setTimeout = (callback, ms, ...args) => {
  if (new Error().stack.includes(process.env.SNIPPET_FILE)) {
    sleeps.push(ms / 1000);
    ms = 0;
  }
  return realSetTimeout(callback, ms, ...args);
};
process.on("exit", () => writeFileSync(process.env.SLEEP_LOG, JSON.stringify(sleeps)));
"""
SHELL_SLEEP = '#!/bin/sh\necho "$1" >> "$SLEEP_LOG"\n'


def entry(code: int) -> ErrorCode:
    found = get_catalogue().get(code)
    assert found is not None
    return found


def snippet_set(code: int) -> SnippetSet:
    found = entry(code).snippet_set
    assert found is not None
    return found


def codes_with_snippets() -> list[int]:
    return [e.code for e in get_catalogue().codes if e.snippet_set is not None]


def run(
    language: str,
    code: str,
    tmp_path: Path,
    fake: FakeLinq,
    stdin: str = "",
    env_extra: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    tls: tuple[str, str] | None = None,
):
    """Run a snippet against the fake; "{base_url}" in an env_extra value becomes its address."""
    server, url = serve(fake, tls)
    log = tmp_path / f"sleeps-{language}.json"
    env = {
        **os.environ,
        "LINQ_API_V3_BASE_URL": url,
        "LINQ_API_V3_API_KEY": "test-key",
        "SLEEP_LOG": str(log),
        **{name: value.replace("{base_url}", url) for name, value in (env_extra or {}).items()},
    }
    try:
        if language == "python":
            script = tmp_path / "snippet.py"
            script.write_text(code)
            command = [sys.executable, "-c", PYTHON_RUNNER, str(script), str(log)]
        elif language == "javascript":
            script = tmp_path / "snippet.mjs"
            script.write_text(code)
            preload = tmp_path / "preload.mjs"
            preload.write_text(NODE_PRELOAD)
            env["SNIPPET_FILE"] = str(script)
            command = [str(NODE), "--import", str(preload), str(script)]
        else:
            script = tmp_path / "snippet.sh"
            script.write_text(code)
            bin_dir = tmp_path / "bin"
            bin_dir.mkdir(exist_ok=True)
            (bin_dir / "sleep").write_text(SHELL_SLEEP)
            (bin_dir / "sleep").chmod(0o755)
            env["PATH"] = f"{bin_dir}:{env['PATH']}"
            command = ["bash", str(script)]
        done = subprocess.run(
            [*command, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            cwd=tmp_path,  # files a snippet keeps (closed chats, sends) stay in the test folder
        )
    finally:
        server.shutdown()
        server.server_close()
    if language == "curl":
        sleeps = [float(x) for x in log.read_text().split()] if log.exists() else []
    else:
        sleeps = json.loads(log.read_text()) if log.exists() else []
    return done, sleeps


def snippet(code: int, language: str) -> str:
    return next(s.code for s in snippet_set(code).snippets if s.language == language)


def languages() -> list[str]:
    runnable = ["python", "curl"] + (["javascript"] if NODE else [])
    if os.environ.get("CI") and not NODE:
        pytest.fail("node is needed to run the JavaScript snippets")
    return runnable


@pytest.mark.parametrize("code", codes_with_snippets())
def test_each_snippet_set_has_the_three_languages(code):
    assert [s.language for s in snippet_set(code).snippets] == ["curl", "python", "javascript"]


@pytest.mark.parametrize("code", codes_with_snippets())
def test_shell_snippets_parse(code, tmp_path):
    script = tmp_path / "snippet.sh"
    script.write_text(snippet(code, "curl"))
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0


# --- What each set promises, checked for every code that shows it -----------------------------

RETRY_SETS = {
    # set: (attempts, the waits a persistent failure gets, each wait's allowed (low, high))
    "backoff": (7, [1, 2, 4, 8, 16, 30], "jitter"),
    "retry-after": (4, None, "retry_after"),
    "short-wait": (4, [3, 3, 3], "exact"),
    "wait-30": (3, [30, 30], "exact"),
}


def codes_in(*names: str) -> list[int]:
    return [
        e.code
        for e in get_catalogue().codes
        if e.snippet_set is not None and e.snippet_set.name in names
    ]


def envelope(code: int) -> dict:
    return json.loads(entry(code).example)


def check_waits(name: str, code: int, language: str, sleeps: list[float], expected: list) -> None:
    rule = RETRY_SETS[name][2]
    assert len(sleeps) == len(expected), sleeps
    for wait, nominal in zip(sleeps, expected, strict=True):
        assert wait <= 30 or rule == "retry_after", sleeps  # the cap the pages promise
        if rule == "jitter" and language != "curl":
            assert nominal / 2 <= wait <= nominal, sleeps
        else:
            assert wait == nominal, sleeps


@pytest.mark.parametrize("language", ["python", "javascript", "curl"])
@pytest.mark.parametrize("code", codes_in(*RETRY_SETS))
def test_a_retry_snippet_recovers_after_one_failure(code, language, tmp_path):
    if language not in languages():
        pytest.skip("node is not installed")
    name = snippet_set(code).name
    fake = FakeLinq(envelope(code), failures=1)
    done, sleeps = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert len(fake.requests) == 2
    first = RETRY_SETS[name][1] or [envelope(code)["error"]["retry_after"]]
    check_waits(name, code, language, sleeps, first[:1])
    # The same message, with the same idempotency key, on both attempts.
    assert fake.requests[0].body == fake.requests[1].body
    sent = fake.requests[0].body
    assert sent is not None and sent["message"]["idempotency_key"]


def one_code_per_set() -> list[int]:
    return [codes_in(name)[0] for name in RETRY_SETS if codes_in(name)]


@pytest.mark.parametrize("language", ["python", "javascript", "curl"])
@pytest.mark.parametrize("code", one_code_per_set())
def test_a_retry_snippet_gives_up_without_waiting_after_the_last_attempt(code, language, tmp_path):
    if language not in languages():
        pytest.skip("node is not installed")
    name = snippet_set(code).name
    attempts, waits, _ = RETRY_SETS[name]
    fake = FakeLinq(envelope(code), failures=1000)
    done, sleeps = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode != 0
    assert len(fake.requests) == attempts
    expected = waits or [envelope(code)["error"]["retry_after"]] * (attempts - 1)
    check_waits(name, code, language, sleeps, expected)


def test_a_retry_snippet_does_not_retry_what_is_not_transient(tmp_path):
    fake = FakeLinq(envelope(2004), failures=1000)
    done, sleeps = run("python", snippet(3002, "python"), tmp_path, fake)
    assert done.returncode != 0 and len(fake.requests) == 1 and sleeps == []


def test_the_1007_snippet_reads_retry_after_and_refuses_long_waits(tmp_path):
    long_wait = envelope(1007)
    long_wait["error"]["retry_after"] = 3600
    fake = FakeLinq(long_wait, failures=1000)
    done, sleeps = run("python", snippet(1007, "python"), tmp_path, fake)
    assert done.returncode != 0 and len(fake.requests) == 1 and sleeps == []


@pytest.mark.parametrize("language", ["python", "javascript", "curl"])
@pytest.mark.parametrize(
    ("code", "fail_method", "expected", "expected_curl"),
    [
        (2012, "GET", ["GET", "POST"], ["POST"]),
        (2014, "POST", ["GET", "POST", "PATCH"], ["POST", "PATCH"]),
    ],
)
def test_the_contact_card_snippet_creates_or_updates(
    code, fail_method, expected, expected_curl, language, tmp_path
):
    if language not in languages():
        pytest.skip("node is not installed")
    fake = FakeLinq(envelope(code), failures=1, fail_method=fail_method)
    done, sleeps = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    methods = [seen.method for seen in fake.requests]
    assert methods == (expected_curl if language == "curl" else expected)
    for seen in fake.requests:
        if seen.method == "PATCH":
            assert seen.path == "/v3/contact_card?phone_number=%2B12223334444"
        if seen.method in ("POST", "PATCH"):
            assert seen.body == {
                "phone_number": "+12223334444",
                "first_name": "Acme",
                "last_name": "Support",
            }
    assert sleeps == []


def fenced(language: str) -> list[tuple[str, str]]:
    """Every fenced block of a language in the code and guide pages, with the page it is on."""
    catalogue = get_catalogue()
    pages = [(f"{e.code}.md", e.guidance_source) for e in catalogue.codes]
    pages += [(f"guides/{g.slug}.md", g.source) for g in catalogue.guides.values()]
    return [
        (name, block)
        for name, text in pages
        for block in re.findall(rf"^```{language}\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    ]


def test_every_python_block_in_the_pages_compiles():
    blocks = fenced("python")
    assert blocks
    for name, block in blocks:
        compile(block, name, "exec")


def test_every_shell_block_in_the_pages_parses(tmp_path):
    blocks = fenced("bash") + fenced("sh")
    assert blocks
    for number, (name, block) in enumerate(blocks):
        script = tmp_path / f"{number}.sh"
        script.write_text(block)
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, (name, done.stderr)


@pytest.mark.parametrize("language", ["python", "javascript", "curl"])
@pytest.mark.parametrize("code", [2003, 5005])
def test_the_pre_upload_snippet_puts_the_raw_bytes_with_the_required_headers(
    code, language, tmp_path, monkeypatch
):
    if language not in languages():
        pytest.skip("node is not installed")
    if language == "curl" and not shutil.which("jq"):
        pytest.skip("jq is not installed") if not os.environ.get("CI") else pytest.fail("no jq")
    pdf = tmp_path / "brochure.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    monkeypatch.setenv("UPLOAD_FILE", str(pdf))
    fake = FakeLinq(envelope(code), failures=0)
    done, _ = run(language, snippet(code, language), tmp_path, fake)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "6f1c7a52-0000-4000-8000-00000000a77c"
    create, put = fake.requests
    assert (create.method, create.path) == ("POST", "/v3/attachments")
    assert create.body == {
        "filename": "brochure.pdf",
        "content_type": "application/pdf",
        "size_bytes": pdf.stat().st_size,
    }
    assert (put.method, put.path) == ("PUT", "/upload/6f1c7a52")
    assert put.raw == pdf.read_bytes()
    headers = {k.lower(): v for k, v in put.headers.items()}
    assert headers["x-amz-meta-check"] == "exactly-this"
    assert headers["content-type"] == "application/pdf"
    assert "authorization" not in headers  # the token never goes to the storage URL


@pytest.mark.parametrize("language", ["python", "javascript", "curl"])
def test_the_pre_upload_snippet_stops_when_linq_refuses(language, tmp_path, monkeypatch):
    if language not in languages() or (language == "curl" and not shutil.which("jq")):
        pytest.skip("a runtime is not installed")
    pdf = tmp_path / "brochure.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    monkeypatch.setenv("UPLOAD_FILE", str(pdf))
    fake = FakeLinq(envelope(5005), failures=1)
    done, _ = run(language, snippet(5005, language), tmp_path, fake)
    assert done.returncode != 0
    assert [seen.method for seen in fake.requests] == ["POST"]
