"""The servers a bench run measures: a real gunicorn per checkout, its environment and `migrate`."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# A server or a migrate slower than this is reported as such and not measured further: an old
# revision with 9,000 codes can take minutes on a busy machine.
PATIENCE = 240.0


class TooSlow(Exception):
    pass


@dataclass
class Server:
    label: str
    source: Path  # the checkout to run
    env: dict[str, str]
    process: subprocess.Popen | None = None
    port: int = 0
    log: Path | None = None
    started_in: float = 0.0

    def start(self, cpu: int | None) -> None:
        self.port = free_port()
        command = [PYTHON, "-m", "gunicorn", "--config", "linqdocs/gunicorn.conf.py"]
        command.append("linqdocs.wsgi")
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.log = Path(self.env["BENCH_WORKDIR"]) / f"gunicorn-{self.port}.log"
        began = time.monotonic()
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=self.source, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = began + PATIENCE
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                connection.request("GET", "/errors/")
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    self.started_in = time.monotonic() - began
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TooSlow(f"no 200 from /errors/ within {PATIENCE:.0f} s")

    def worker_rss_mb(self) -> float:
        """Resident memory of the (single) worker, from /proc."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            if match:
                return int(match[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def production_env(workdir: Path, content: Path | None, cache_bytes: int) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.update(
        BENCH_WORKDIR=str(workdir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        CACHE_URL="locmem://",
        STATIC_MANIFEST="0",  # static files are measured from their files (first view)
        STATIC_ROOT=str(workdir / "static"),
        SUPPORT_RATE_LIMIT="0",
        DIAGNOSE_RATE_LIMIT="0",
        LOG_LEVEL="INFO",  # the request log costs what it costs in production
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="1",
        CATALOGUE_CACHE_DIR=str(workdir / "snapshots"),
        RESPONSE_CACHE_BYTES=str(cache_bytes),
    )
    if content is not None:
        env["LINQDOCS_CONTENT_DIR"] = str(content)
    (workdir / "static").mkdir(exist_ok=True)
    return env


def cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrate(source: Path, env: dict[str, str]) -> float:
    began = time.monotonic()
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=source,
            env=env,
            check=True,
            capture_output=True,
            timeout=PATIENCE,
        )
    except subprocess.TimeoutExpired:
        raise TooSlow(f"migrate took more than {PATIENCE:.0f} s") from None
    return time.monotonic() - began


def export_revision(rev: str, target: Path) -> Path:
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev], cwd=BASE_DIR, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target
