"""Serving as deployed: collectstatic's fingerprinted, compressed files, and the site under a real
gunicorn (headers, static files, logs, oversized and chunked bodies)."""

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from tests.linqdocs.production import (
    BASE_DIR,
    PASTE,
    assert_security_headers,
    free_port,
    manage,
    production_env,
    run,
)

# --- Static files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic as a deployment runs it: fingerprinted names, .gz and .br copies.

    The admin's files are left out only to keep the test quick; the site's pages do not use them.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage(
        "collectstatic",
        "--noinput",
        "--ignore=admin",
        env=production_env(STATIC_MANIFEST="1", STATIC_ROOT=str(root)),
    )
    assert result.returncode == 0, result.stderr
    return root


def manifest(root: Path) -> dict[str, str]:
    return json.loads((root / "staticfiles.json").read_text())["paths"]


def test_collectstatic_fingerprints_and_compresses(collected_static):
    paths = manifest(collected_static)
    for name in ["css/site.css", "js/site.js"]:
        hashed = paths[name]
        stem, extension = name.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", hashed)
        assert (collected_static / hashed).is_file()
        assert (collected_static / f"{hashed}.gz").is_file()
        assert (collected_static / f"{hashed}.br").is_file()
    htmx = next(hashed for name, hashed in paths.items() if name.startswith("django_htmx/htmx"))
    assert (collected_static / f"{htmx}.br").is_file()


@pytest.mark.django_db  # closing a file response signals request_finished
def test_development_serves_static_files_without_collectstatic(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    response.close()


@pytest.fixture
def manifest_static(settings, collected_static):
    settings.STATIC_ROOT = collected_static
    settings.WHITENOISE_AUTOREFRESH = settings.WHITENOISE_USE_FINDERS = False  # as in production
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return collected_static


@pytest.mark.django_db  # closing a file response signals request_finished
def test_pages_link_fingerprinted_files_served_for_ten_years(manifest_static):
    client = Client()  # a new handler, so WhiteNoise indexes the collected files
    page = client.get("/errors/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page does not link the fingerprinted stylesheet"

    response = client.get(stylesheet[1], headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert_security_headers(response)
    gzipped = client.get(stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    response.close()
    gzipped.close()

    unversioned = client.get("/static/css/site.css")
    assert "immutable" not in unversioned["Cache-Control"]
    unversioned.close()


# --- gunicorn ----------------------------------------------------------------------------------

GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "linqdocs/gunicorn.conf.py"]


def test_gunicorn_refuses_to_serve_with_debug_on():
    result = run([*GUNICORN, "--check-config", "linqdocs.wsgi"], production_env(DJANGO_DEBUG="1"))
    assert result.returncode != 0
    assert "will not run it with DJANGO_DEBUG on" in result.stderr


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


FORGED_PATH = "/errors/x%0A127.0.0.1%20-%20FORGED%1B[31m%00/"
OVERSIZED_FORMS = {"/diagnose/": "64 KiB", "/support/new/": "more than this form accepts"}


def raw_request(port: int, request_line: str, **headers: str) -> bytes:
    """What a client can send that urllib would refuse to: bytes as they are, on a socket."""
    lines = [request_line, "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def post_chunked(port: int, path: str, parts: list) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = (part.encode() if isinstance(part, str) else part for part in parts)
        connection.request("POST", path, body=body, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post_form(url: str, data: dict) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_site(collected_static, tmp_path):
    port = free_port()
    env = production_env(
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        STATIC_ROOT=str(collected_static),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    # As `make serve` and the README's systemd unit prepare it: the health check asks for both.
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["createcachetable"]):
        prepared = manage(*command, env=env)
        assert prepared.returncode == 0, prepared.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*GUNICORN, "linqdocs.wsgi"], cwd=BASE_DIR, env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a bound for a busy machine, not a speed test
        while True:
            try:
                status, _, _ = fetch(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert status == 200

        status, headers, body = fetch(f"{base}/errors/1007/")
        assert status == 200
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        trace_id = headers["X-Trace-ID"]
        linked = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
        assert linked is not None, "the page links no fingerprinted stylesheet"
        stylesheet = linked[1].decode()

        status, headers, _ = fetch(base + stylesheet, **{"Accept-Encoding": "br"})
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert headers["Content-Encoding"] == "br"

        # A load balancer probing by address gets its answer despite ALLOWED_HOSTS.
        assert fetch(f"{base}/healthz", Host=f"10.0.0.7:{port}")[0] == 200
        assert fetch(f"{base}/errors/", Host="10.0.0.7")[0] == 400

        # A path and a user agent written to forge an access line and colour the terminal.
        assert raw_request(port, f"GET {FORGED_PATH} HTTP/1.1").startswith(b"HTTP/1.1 404")
        raw_request(port, "GET /llms.txt HTTP/1.1", **{"User-Agent": "x\x1b[2J\x00"})

        # A chunked body is read (gunicorn de-chunks it), within the paste limit.
        status, answer = post_chunked(port, "/api/diagnose/", [PASTE[:40], PASTE[40:]])
        assert status == 200 and json.loads(answer)["diagnoses"][0]["code"] == 1007
        status, answer = post_chunked(port, "/api/diagnose/", [b"x" * 40_000] * 2)
        assert status == 413 and json.loads(answer)["findings"][0]["id"] == "input_too_large"

        # Form posts past Django's limit get the page's own message, not a 400 and a traceback.
        for path, message in OVERSIZED_FORMS.items():
            status, _, body = post_form(f"{base}{path}", {"envelope": "x" * 600_000})
            assert status == 413 and message in body.decode(), path
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    output = log.read_text()
    # One line per request, the app's, naming the trace id it sent; gunicorn's access line is off
    # unless GUNICORN_ACCESS_LOG asks for it.
    assert re.search(
        rf"INFO linqdocs.request GET /errors/1007/ 200 [0-9.]+ms trace_id={trace_id}\n", output
    )
    assert output.count(trace_id) == 1
    assert 'HTTP/1.1"' not in output
    for line in output.splitlines():  # a record's continuation lines start indented
        assert not line.startswith("127.0.0.1 - FORGED"), line
        assert "\x1b" not in line and "\x00" not in line, repr(line)
    assert " ERROR " not in output and "Traceback" not in output, output
