"""A real nginx with the README's configuration in front of gunicorn, serving an export of the
site, for tests/linqdocs/test_nginx_export.py: the README's blocks read from README.md and adapted
only in ports, paths and the certificate; every process started is stopped, also on failure."""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.linqdocs.production import BASE_DIR, TRACE_ID, free_port, manage, production_env

HOST = "docs.example.com"
ORIGIN = f"https://{HOST}"
# Bounds for a busy machine, not speed tests.
START_TIMEOUT = 90.0
REQUEST_TIMEOUT = 20.0
# The headers Django sends with every page (settings.py, "Security") that nginx must repeat.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)
COMPRESSED = (".br", ".gz")
GUNICORN_CONFIG = "linqdocs/gunicorn.conf.py"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )
    if found is None:
        reason = "nginx is not installed (Debian: apt-get install nginx)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


# --- The README's configuration ---------------------------------------------------------------


def readme_nginx_blocks() -> dict[str, str]:
    """The nginx files of the README's section, by the path each names in its first line."""
    text = (BASE_DIR / "README.md").read_text()
    start = text.index("### Serving the reference as files")
    section = text[start : text.index("\n## ", start)]
    blocks = re.findall(r"```nginx\n(.*?)```", section, re.DOTALL)
    return {block.split()[1].rstrip(":"): block for block in blocks}


def adapted(site: str, **values: str) -> str:
    """The README's site configuration with this test's ports, folders and certificate."""
    replacements = {
        "include snippets/linqdocs-headers.conf;": f"include {values['headers']};",
        "root /srv/linqdocs-site;": f"root {values['root']};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{values['app_port']};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{values['https_port']} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{values['http_port']};",
        "/etc/letsencrypt/live/docs.example.com/fullchain.pem": values["cert"],
        "/etc/letsencrypt/live/docs.example.com/privkey.pem": values["key"],
    }
    for old, new in replacements.items():
        assert old in site, f"the README's nginx configuration no longer holds {old!r}"
        site = site.replace(old, new)
    if not values["brotli"]:
        site = re.sub(r"\n\s*brotli_static on;[^\n]*", "", site)
    return site


def built_paths(nginx: str) -> dict[str, str]:
    """`--conf-path` and `--modules-path` as this nginx was built with."""
    built = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=True).stderr
    return dict(re.findall(r"--(conf-path|modules-path)=(\S+)", built))


def main_config(folder: Path, site: Path, nginx: str) -> tuple[str, bool]:
    """A whole nginx.conf around the site's: in the foreground, everything in `folder`."""
    paths = built_paths(nginx)
    mime_types = Path(paths.get("conf-path", "/etc/nginx/nginx.conf")).parent / "mime.types"
    brotli = Path(paths.get("modules-path", "/usr/lib/nginx/modules")) / (
        "ngx_http_brotli_static_module.so"
    )
    temp = folder / "nginx-temp"
    temp.mkdir()
    lines = [f"load_module {brotli};"] if brotli.exists() else []
    lines += [
        "daemon off;",
        "worker_processes 1;",
        f"pid {folder}/nginx.pid;",
        f"error_log {folder}/nginx-error.log warn;",
        "events { worker_connections 128; }",
        "http {",
        f"    include {mime_types};",
        "    default_type application/octet-stream;",
        "    access_log off;",
        *(f"    {kind}_temp_path {temp}/{kind};" for kind in ("proxy", "fastcgi", "uwsgi", "scgi")),
        f"    client_body_temp_path {temp}/body;",
        f"    include {site};",
        "}",
    ]
    return "\n".join(lines) + "\n", brotli.exists()


# --- Running it ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get_all(name)
        return ", ".join(values) if values else None

    def vary(self) -> set[str]:
        return {v.strip().lower() for v in (self.header("Vary") or "").split(",") if v.strip()}


@dataclass
class Deployment:
    root: Path  # the exported site
    app_port: int
    https_port: int
    http_port: int
    tls: ssl.SSLContext
    gunicorn_log: Path
    brotli: bool  # this nginx has Debian's brotli_static module

    def nginx(self, path: str, method: str = "GET", body: bytes | None = None, **headers: str):
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=self.tls, timeout=REQUEST_TIMEOUT
        )
        return self._send(connection, path, method, body, headers)

    def django(self, path: str, **headers: str) -> Answer:
        """gunicorn directly, as nginx would reach it for an https request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.app_port, timeout=REQUEST_TIMEOUT)
        return self._send(connection, path, "GET", None, {"X-Forwarded-Proto": "https", **headers})

    def plain_http(self, path: str) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.http_port, timeout=REQUEST_TIMEOUT
        )
        return self._send(connection, path, "GET", None, {})

    @staticmethod
    def _send(connection, path, method, body, headers) -> Answer:
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **headers})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def reached_django(self, answer: Answer) -> bool:
        trace_id = answer.header("X-Trace-ID") or ""
        assert TRACE_ID.fullmatch(trace_id), f"no trace id: {trace_id!r}"
        return f"trace_id={trace_id}" in self.gunicorn_log.read_text()


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert process.poll() is None, f"{log.stem} stopped:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"port {port} closed:\n{log.read_text()[-3000:]}"
            time.sleep(0.1)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def check(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, f"{result.args}:\n{result.stdout}\n{result.stderr}"


def prepare_database(env: dict[str, str]) -> None:
    """As `make serve` and the README's systemd unit do: the health check asks for both."""
    check(manage("migrate", "--noinput", "--verbosity", "0", env=env))
    check(manage("createcachetable", env=env))


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    check(
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}"),
                *("-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"),
            ],
            capture_output=True,
            text=True,
        )
    )
    return cert, key


def deployed() -> Iterator[Deployment]:
    """Export the site, start gunicorn and nginx, yield where they answer; stop them after."""
    nginx = nginx_binary()
    if not shutil.which("openssl"):
        pytest.fail("openssl is needed to make the test's certificate", pytrace=False)
    # Not pytest's tmp_path: nginx's workers run as another user and must read the files.
    folder = Path(tempfile.mkdtemp(prefix="linqdocs-nginx-"))
    folder.chmod(0o755)
    gunicorn = server = None
    try:
        app_port, https_port, http_port = free_port(), free_port(), free_port()
        env = production_env(
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
            STATIC_ROOT=str(folder / "staticfiles"),
            CATALOGUE_CACHE_DIR=str(folder / "catalogue-cache"),
            CLIENT_IP_HEADER="X-Real-IP",
            GUNICORN_BIND=f"127.0.0.1:{app_port}",
            GUNICORN_WORKERS="1",
            GUNICORN_THREADS="4",
            PYTHONUNBUFFERED="1",
        )
        # The README's order: static files first, so the pages link their fingerprinted names.
        # (The admin's files are left out only to keep the test quick; no exported page uses them.)
        # What does not depend on each other runs side by side; the export takes longest.
        with ThreadPoolExecutor(max_workers=2) as pool:
            database = pool.submit(prepare_database, env)
            check(
                manage("collectstatic", "--noinput", "--verbosity", "0", "--ignore=admin", env=env)
            )
            database.result()
        root = folder / "site"
        export = subprocess.Popen(
            [sys.executable, "manage.py", "export_site", str(root), "--base-url", ORIGIN],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:  # gunicorn starts while the export runs
            gunicorn_log = folder / "gunicorn.log"
            with gunicorn_log.open("w") as output:
                gunicorn = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "linqdocs.wsgi"],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            cert, key = make_certificate(folder)
            out, err = export.communicate(timeout=START_TIMEOUT)
        finally:
            if export.poll() is None:
                export.kill()
                export.wait()
        assert export.returncode == 0, f"export_site failed:\n{out}\n{err}"
        blocks = readme_nginx_blocks()
        headers_file = folder / "linqdocs-headers.conf"
        headers_file.write_text(blocks["/etc/nginx/snippets/linqdocs-headers.conf"])
        main, brotli = main_config(folder, folder / "linqdocs.conf", nginx)
        (folder / "linqdocs.conf").write_text(
            adapted(
                blocks["/etc/nginx/conf.d/linqdocs.conf"],
                headers=str(headers_file),
                root=str(root),
                app_port=str(app_port),
                https_port=str(https_port),
                http_port=str(http_port),
                cert=str(cert),
                key=str(key),
                brotli="1" if brotli else "",
            )
        )
        (folder / "nginx.conf").write_text(main)
        nginx_log, error_log = folder / "nginx.log", folder / "nginx-error.log"
        with nginx_log.open("w") as output:
            server = subprocess.Popen(
                [nginx, "-p", f"{folder}/", "-c", f"{folder}/nginx.conf", "-e", str(error_log)],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        wait_for(app_port, gunicorn, gunicorn_log)
        wait_for(https_port, server, nginx_log)
        yield Deployment(
            root=root,
            app_port=app_port,
            https_port=https_port,
            http_port=http_port,
            tls=ssl.create_default_context(cafile=str(cert)),
            gunicorn_log=gunicorn_log,
            brotli=brotli,
        )
    finally:
        stop(server)
        stop(gunicorn)
        shutil.rmtree(folder, ignore_errors=True)
