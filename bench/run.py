"""Measure linqdocs' hot paths and print them as ratios to a baseline measured in the same run.

    make bench                      # or: .venv/bin/python bench/run.py [--seconds 0.5] [--rounds 3]

Three parts, each against its own baseline:

1. HTTP: a real gunicorn (one worker, one thread, production settings) on 127.0.0.1, pinned with
   taskset to CPU 0, and a keep-alive client pinned to CPU 1. Each scenario runs in several short
   rounds, interleaved with the others, so drift in the machine's speed hits all of them alike.
2. In process (Django's test client, CPU 1): the catalogue page with its Markdown cached, as the
   site serves it, against the same page with the Markdown rendered again on every request.
3. Pastes, in process: the diagnosis of the crafted 64 KiB pastes of bench/pastes.py (the worst
   found: thousands of copies of one error, of tiny error objects, of `HTTP/1.1 500`, JSON inside
   JSON strings, brackets) against one envelope, with the size of each JSON answer and the worst
   time; then the masking of realistic and crafted 60 KB pastes. The diagnosis of any paste must
   stay well under 250 ms, masking a realistic 60 KB paste a few ms.

Absolute numbers drift between runs and machines; the ratios are what to compare. Everything stays
on loopback, stops by itself, and writes only bench/results/<time>.json.
"""

import argparse
import dataclasses
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
PYTHON = sys.executable
SKIPPED: list[str] = []

PASTE = json.dumps(
    {
        "success": False,
        "error": {"status": 429, "code": 1007, "message": "Rate limit exceeded", "retry_after": 30},
        "trace_id": "2eff5df5c6f688733c007523c4d61cd9",
    }
)


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    expect: int = 200
    seconds: list[float] = field(default_factory=list)  # one entry per request

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)


def http_scenarios() -> list[Scenario]:
    hx = {"HX-Request": "true"}
    return [
        Scenario("baseline: GET /robots.txt", "GET", "/robots.txt"),
        Scenario("GET /healthz (one SELECT 1)", "GET", "/healthz"),
        Scenario("GET / (home)", "GET", "/"),
        Scenario("GET /errors/ (all 48 codes)", "GET", "/errors/"),
        Scenario("GET /errors/?q=rate+limit", "GET", "/errors/?q=rate+limit"),
        Scenario("  same, htmx fragment", "GET", "/errors/?q=rate+limit", hx),
        Scenario("GET /errors/1007/", "GET", "/errors/1007/"),
        Scenario("  same, If-None-Match (304)", "GET", "/errors/1007/", expect=304),
        Scenario("  same, If-Modified-Since (304)", "GET", "/errors/1007/", expect=304),
        Scenario("GET /errors/9999/ (helpful 404)", "GET", "/errors/9999/", expect=404),
        Scenario("GET /api/errors/", "GET", "/api/errors/"),
        Scenario("GET /api/errors/1007/", "GET", "/api/errors/1007/"),
        Scenario(
            "POST /api/diagnose/ (an envelope)",
            "POST",
            "/api/diagnose/",
            {"Content-Type": "application/json"},
            PASTE,
        ),
    ]


# --- Environment --------------------------------------------------------------------------------


def production_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        CACHE_URL="locmem://",
        STATIC_MANIFEST="0",  # no collectstatic needed; static files are not measured here
        STATIC_ROOT=str(workdir / "static"),
        SUPPORT_RATE_LIMIT="0",
        DIAGNOSE_RATE_LIMIT="0",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="1",
        GUNICORN_ACCESS_LOG="off",
    )
    (workdir / "static").mkdir(exist_ok=True)
    return env


def cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP part ----------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int, server_cpu: int | None) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "--config", "linqdocs/gunicorn.conf.py", "linqdocs.wsgi"]
    if server_cpu is not None:
        command = ["taskset", "-c", str(server_cpu), *command]
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn did not start:\n{server.stderr.read().decode()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def one_request(connection: http.client.HTTPConnection, scenario: Scenario) -> int:
    connection.request(scenario.method, scenario.path, scenario.body, scenario.headers)
    response = connection.getresponse()
    response.read()
    return response.status


def run_http(scenarios: list[Scenario], port: int, seconds: float, rounds: int) -> list[Scenario]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    # The 304 scenarios need the page's current validators.
    connection.request("GET", "/errors/1007/")
    page = connection.getresponse()
    page.read()
    for scenario in scenarios:
        if "If-None-Match" in scenario.name:
            scenario.headers = {"If-None-Match": page.getheader("ETag")}
        elif "If-Modified-Since" in scenario.name:
            scenario.headers = {"If-Modified-Since": page.getheader("Last-Modified")}
    available = []
    for scenario in scenarios:
        status = one_request(connection, scenario)
        if status == scenario.expect:
            available.append(scenario)
        else:
            SKIPPED.append(f"{scenario.name} (answered {status}, expected {scenario.expect})")
    for _ in range(rounds):
        for scenario in available:
            for _ in range(20):  # warm up: caches, template loader, connection
                one_request(connection, scenario)
            measure(lambda s=scenario: one_request(connection, s), scenario, seconds)
    connection.close()
    return available


def measure(call: Callable[[], object], scenario: Scenario, seconds: float, cap=5000) -> None:
    clock = time.perf_counter
    stop = clock() + seconds
    for _ in range(cap):
        started = clock()
        call()
        ended = clock()
        scenario.seconds.append(ended - started)
        if ended >= stop:
            break


# --- In-process part ----------------------------------------------------------------------------


def run_in_process(env: dict[str, str], seconds: float, rounds: int) -> list[Scenario]:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "linqdocs.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.shortcuts import render as django_render
    from django.test import Client

    from errors import markdown

    def render_markdown_fresh(request, template, context=None, *args, **kwargs):
        entry = (context or {}).get("entry")
        if entry is not None:
            guidance = markdown.render(entry.guidance_source)
            context = {**context, "entry": dataclasses.replace(entry, guidance=guidance)}
        return django_render(request, template, context, *args, **kwargs)

    client = Client()
    baseline = Scenario("baseline: GET /robots.txt", "GET", "/robots.txt")
    cached = Scenario("GET /errors/1007/, Markdown cached", "GET", "/errors/1007/")
    fresh = Scenario("  same, Markdown rendered per request", "GET", "/errors/1007/")
    for _ in range(rounds):
        for scenario in (baseline, cached):
            for _ in range(20):
                client.get(scenario.path)
            measure(lambda s=scenario: client.get(s.path), scenario, seconds)
        with mock.patch("errors.views.render", render_markdown_fresh):
            for _ in range(5):
                client.get(fresh.path)
            measure(lambda: client.get(fresh.path), fresh, seconds)
    return [baseline, cached, fresh]


# --- Pastes -------------------------------------------------------------------------------------


@dataclass
class PasteTiming:
    name: str
    seconds: list[float] = field(default_factory=list)
    size: int = 0  # bytes of the paste
    answer: int = 0  # bytes of the JSON answer

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def time_call(call: Callable[[], object], timing: PasteTiming, seconds: float) -> None:
    """Repeat `call` for about `seconds` (at least 3 times, at most 200)."""
    stop = time.perf_counter() + seconds
    for attempt in range(200):
        started = time.perf_counter()
        call()
        timing.seconds.append(time.perf_counter() - started)
        if attempt >= 2 and time.perf_counter() >= stop:
            break


def run_pastes(seconds: float, rounds: int) -> tuple[list[PasteTiming], list[PasteTiming]]:
    """Diagnosis and masking of the crafted pastes; call after django.setup()."""
    from bench.pastes import diagnosis_pastes, masking_pastes
    from diagnose.engine import diagnose
    from diagnose.engine.redaction import redact_secrets

    diagnosed = [PasteTiming(name) for name in diagnosis_pastes()]
    masked = [PasteTiming(name) for name in masking_pastes()]
    pastes = {**diagnosis_pastes(), **masking_pastes()}
    for timing in diagnosed:
        report = diagnose(pastes[timing.name])
        timing.size = len(pastes[timing.name].encode())
        timing.answer = len(json.dumps(report.as_dict()).encode())
    for _ in range(rounds):
        for timing in diagnosed:
            paste = pastes[timing.name]
            time_call(lambda p=paste: diagnose(p), timing, seconds / 4)
        for timing in masked:
            paste = pastes[timing.name]
            timing.size = len(paste.encode())
            time_call(lambda p=paste: redact_secrets(p), timing, seconds / 4)
    return diagnosed, masked


def paste_table(title: str, timings: list[PasteTiming], with_answer: bool) -> list[dict]:
    baseline = timings[0].median_ms
    print(f"\n{title}")
    answer = f" {'answer KB':>10}" if with_answer else ""
    print(f"  {'paste':<40} {'KiB':>5} {'median ms':>10} {'x first':>8}{answer}")
    rows = []
    for t in timings:
        ratio = t.median_ms / baseline
        answer = f" {t.answer / 1024:>10.1f}" if with_answer else ""
        print(f"  {t.name:<40} {t.size / 1024:>5.1f} {t.median_ms:>10.2f} {ratio:>8.1f}{answer}")
        rows.append(
            {
                "paste": t.name,
                "bytes": t.size,
                "median_ms": t.median_ms,
                "ratio": ratio,
                "answer_bytes": t.answer,
            }
        )
    worst = max(timings[1:], key=lambda t: t.median_ms)
    print(f"  worst: {worst.name} at {worst.median_ms:.1f} ms ({worst.median_ms / baseline:.0f}x)")
    return rows


# --- Report -------------------------------------------------------------------------------------


def table(title: str, scenarios: list[Scenario]) -> list[dict]:
    baseline = scenarios[0].median_ms
    print(f"\n{title}")
    print(f"  {'scenario':<40} {'median ms':>10} {'req/s':>8} {'x baseline':>11} {'n':>6}")
    rows = []
    for s in scenarios:
        ratio = s.median_ms / baseline
        print(
            f"  {s.name:<40} {s.median_ms:>10.3f} {s.per_second:>8.0f} {ratio:>11.2f}"
            f" {len(s.seconds):>6}"
        )
        rows.append(
            {
                "scenario": s.name,
                "median_ms": s.median_ms,
                "per_second": s.per_second,
                "ratio": ratio,
                "requests": len(s.seconds),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=0.5, help="per scenario and round")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    available = cpus()
    pinned = len(available) >= 2 and shutil.which("taskset") is not None
    server_cpu, client_cpu = (available[0], available[1]) if pinned else (None, None)
    if pinned:
        os.sched_setaffinity(0, {client_cpu})
        placement = f"gunicorn on CPU {server_cpu}, client on CPU {client_cpu}"
    else:
        placement = "not pinned (needs two CPUs and taskset): expect noisier ratios"

    with tempfile.TemporaryDirectory(prefix="linqdocs-bench-") as workdir:
        env = production_env(Path(workdir))
        port = free_port()
        server = start_gunicorn(env, port, server_cpu)
        try:
            over_http = run_http(http_scenarios(), port, options.seconds, options.rounds)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        in_process = run_in_process(env, options.seconds, options.rounds)
        diagnosed, masked = run_pastes(options.seconds, options.rounds)

    print(f"linqdocs bench: {options.rounds} rounds x {options.seconds} s a scenario; {placement}")
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "placement": placement,
        "http": table("HTTP, gunicorn (1 worker, 1 thread) over loopback keep-alive", over_http),
        "in_process": table("In process, Django test client", in_process),
        "diagnosis": paste_table(
            "Diagnosis of crafted 64 KiB pastes, in process (budget: well under 250 ms)",
            diagnosed,
            with_answer=True,
        ),
        "masking": paste_table("Masking, in process (60 KB pastes)", masked, with_answer=False),
    }
    for name in SKIPPED:
        print(f"  skipped: {name}")
    report["skipped"] = SKIPPED
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{report['when'].replace(':', '')}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {target.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
