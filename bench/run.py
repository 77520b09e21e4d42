"""Measure linqdocs' hot paths and its scale, and print one table of ratios from one run.

    make bench          # = .venv/bin/python bench/run.py --codes 9000
    .venv/bin/python bench/run.py [--codes 9000] [--against REV] [--seconds 0.4] [--rounds 3]

Every server is a real gunicorn (one worker, one thread, production settings, the request log on
as in production) on 127.0.0.1, pinned with taskset to CPU 0; the keep-alive client runs on CPU 1.

1. Routes: each route's median time as a ratio to GET /robots.txt (the cheapest view) on the same
   server in the same run, and the bytes each sends plain, with Brotli and with gzip. With
   `--against REV` the same routes are measured on that revision too (exported from git into a
   temporary folder), so old and new ratios come from one run.
2. First view of /errors/: the page and everything it loads (CSS, scripts, favicon), Brotli.
3. Pastes, in process: the diagnosis of the crafted 64 KiB pastes of bench/pastes.py (the worst
   one named, with the size of its answer) and the masking of realistic and crafted 60 KB pastes.
4. Scale: the real catalogue (48 codes) against a synthetic one of `--codes` codes
   (errors/synthetic.py, written to a temporary folder and pointed at with LINQDOCS_CONTENT_DIR):
   `migrate` (which runs the checks), start-up to the first 200, worker memory, and the work that
   grows with the catalogue, measured with the response cache off so every request computes.

Absolute numbers drift between runs and machines (and this machine is shared); the ratios are
what to compare. Everything stays on loopback, stops by itself, and writes
bench/results/<time>.json.
"""

import argparse
import http.client
import json
import os
import re
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

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
PYTHON = sys.executable
sys.path.insert(0, str(BASE_DIR))

PASTE = json.dumps(
    {
        "success": False,
        "error": {"status": 429, "code": 1007, "message": "Rate limit exceeded", "retry_after": 30},
        "trace_id": "2eff5df5c6f688733c007523c4d61cd9",
    }
)
# A 60 KB paste: log lines with envelopes, as a developer would paste a whole log.
LARGE_PASTE = "\n".join(
    f"2026-01-01T00:00:{i % 60:02d}Z ERROR send failed {PASTE}" for i in range(330)
)[: 60 * 1024]
MISTYPED = "Error: Rate limit exeeded"
TEXT = {"Content-Type": "text/plain"}


@dataclass
class Scenario:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    expect: int = 200
    seconds: list[float] = field(default_factory=list)  # one entry per request
    sizes: dict[str, int] = field(default_factory=dict)  # coding -> body bytes

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else float("nan")


def route_scenarios() -> list[Scenario]:
    hx = {"HX-Request": "true"}
    return [
        Scenario("baseline: GET /robots.txt", "GET", "/robots.txt"),
        Scenario("GET /healthz", "GET", "/healthz"),
        Scenario("GET / (home)", "GET", "/"),
        Scenario("GET /errors/", "GET", "/errors/"),
        Scenario("GET /errors/?q=rate+limit", "GET", "/errors/?q=rate+limit"),
        Scenario("  same, htmx fragment", "GET", "/errors/?q=rate+limit", hx),
        Scenario("GET /errors/1007/", "GET", "/errors/1007/"),
        Scenario("  same, If-None-Match (304)", "GET", "/errors/1007/", expect=304),
        Scenario("GET /errors/9999/ (helpful 404)", "GET", "/errors/9999/", expect=404),
        Scenario("GET /errors/1007.md", "GET", "/errors/1007.md"),
        Scenario("GET /errors/1007/problem.json", "GET", "/errors/1007/problem.json"),
        Scenario("GET /guides/retries/", "GET", "/guides/retries/"),
        Scenario("GET /api/errors/", "GET", "/api/errors/"),
        Scenario("GET /api/errors/1007/", "GET", "/api/errors/1007/"),
        Scenario("GET /api/openapi.json", "GET", "/api/openapi.json"),
        Scenario("GET /llms-full.txt", "GET", "/llms-full.txt"),
        Scenario("GET /sitemap.xml", "GET", "/sitemap.xml"),
        Scenario("GET /support/new/ (form)", "GET", "/support/new/"),
        Scenario("GET /diagnose/ (form)", "GET", "/diagnose/"),
        Scenario("POST /api/diagnose/ (envelope)", "POST", "/api/diagnose/", TEXT, PASTE),
        Scenario("POST /api/diagnose/ (60 KB)", "POST", "/api/diagnose/", TEXT, LARGE_PASTE),
    ]


def scale_scenarios() -> list[Scenario]:
    return [
        Scenario("/errors/", "GET", "/errors/"),
        Scenario("search 'rate limit' (fragment)", "GET", "/errors/?q=rate+limit", HX),
        Scenario("search 'webhook' (fragment)", "GET", "/errors/?q=webhook", HX),
        Scenario("/api/errors/", "GET", "/api/errors/"),
        Scenario("diagnose a mistyped message", "POST", "/api/diagnose/", TEXT, MISTYPED),
    ]


HX = {"HX-Request": "true"}
# A server or a migrate slower than this is reported as such and not measured further: an old
# revision with 9,000 codes can take minutes on a busy machine.
PATIENCE = 240.0


class TooSlow(Exception):
    pass


# --- Servers ------------------------------------------------------------------------------------


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


# --- Requests -----------------------------------------------------------------------------------


def one_request(
    connection: http.client.HTTPConnection, scenario: Scenario, extra: dict | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    body = scenario.body.encode() if scenario.body is not None else None
    connection.request(scenario.method, scenario.path, body, {**scenario.headers, **(extra or {})})
    response = connection.getresponse()
    return response.status, response.read(), response


def measure(call: Callable[[], object], scenario: Scenario, seconds: float, cap=3000) -> None:
    clock = time.perf_counter
    stop = clock() + seconds
    for _ in range(cap):
        started = clock()
        call()
        ended = clock()
        scenario.seconds.append(ended - started)
        if ended >= stop:
            break


def run(server: Server, scenarios: list[Scenario], seconds: float, rounds: int) -> list[Scenario]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    available = []
    for scenario in scenarios:
        if scenario.expect == 304:
            _, _, page = one_request(connection, Scenario("", "GET", scenario.path))
            scenario.headers = {"If-None-Match": page.getheader("ETag") or '"none"'}
        status, body, _ = one_request(connection, scenario)
        if status != scenario.expect:
            print(f"  {server.label}: skipped {scenario.name} (answered {status})")
            continue
        scenario.sizes["plain"] = len(body)
        for coding in ("br", "gzip"):
            _, encoded, _ = one_request(connection, scenario, {"Accept-Encoding": coding})
            scenario.sizes[coding] = len(encoded)
        available.append(scenario)
    for _ in range(rounds):
        for scenario in available:
            for _ in range(3):  # warm up: caches, template loader, connection
                one_request(connection, scenario)
            measure(lambda s=scenario: one_request(connection, s), scenario, seconds)
    connection.close()
    return available


def first_view(server: Server) -> dict[str, int]:
    """Bytes of the /errors/ page and of everything it loads, each as Brotli would send it."""
    import brotli

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    page = Scenario("", "GET", "/errors/")
    _, html, _ = one_request(connection, page, {"Accept-Encoding": "br"})
    _, plain, _ = one_request(connection, page)
    connection.close()
    sizes = {"/errors/ (HTML)": len(html)}
    for url in re.findall(rb'(?:src|href)="(/static/[^"]+)"', plain):
        path = url.decode().removeprefix("/static/")
        found = _static_file(server.source, path)
        if found is not None:
            sizes[path] = len(brotli.compress(found.read_bytes(), quality=11))
    return sizes


def _static_file(source: Path, path: str) -> Path | None:
    for root in [source / "static", *Path(sys.prefix).glob("lib/python*/site-packages/*/static")]:
        if (root / path).is_file():
            return root / path
    return None


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


def kb(size: int | None) -> str:
    return "-" if size is None else f"{size / 1024:.1f}"


def routes_table(runs: dict[str, list[Scenario]]) -> list[dict]:
    labels = list(runs)
    print("\nRoutes: median time as a ratio to GET /robots.txt on the same server; bytes sent")
    head = "".join(f" {label[:12]:>12}" for label in labels)
    print(f"  {'route':<34}{head} {'ms':>7} {'plain KB':>9} {'br KB':>7} {'gzip KB':>8}")
    rows = []
    newest = runs[labels[-1]]
    baselines = {label: scenarios[0].median_ms for label, scenarios in runs.items()}
    for scenario in newest:
        ratios = {}
        for label, scenarios in runs.items():
            same = next((s for s in scenarios if s.name == scenario.name), None)
            ratios[label] = same.median_ms / baselines[label] if same else None
        cells = "".join(
            f" {'-' if r is None else f'{r:.2f}':>12}" for r in (ratios[label] for label in labels)
        )
        print(
            f"  {scenario.name:<34}{cells} {scenario.median_ms:>7.2f}"
            f" {kb(scenario.sizes.get('plain')):>9} {kb(scenario.sizes.get('br')):>7}"
            f" {kb(scenario.sizes.get('gzip')):>8}"
        )
        rows.append(
            {
                "route": scenario.name,
                "ratios": ratios,
                "median_ms": scenario.median_ms,
                "bytes": scenario.sizes,
            }
        )
    return rows


def scale_table(results: dict[str, dict]) -> None:
    labels = list(results)
    print("\nScale (response cache off, so every request computes)")
    print(f"  {'':<36}" + "".join(f" {label:>22}" for label in labels))

    def line(name: str, cell: Callable[[dict], str]) -> None:
        print(f"  {name:<36}" + "".join(f" {cell(results[label]):>22}" for label in labels))

    def seconds(value: float | None) -> str:
        return f"> {PATIENCE:.0f} s" if value is None else f"{value:.1f} s"

    line("migrate (runs the checks)", lambda r: seconds(r["migrate_s"]))
    line("start-up to first 200 (/errors/)", lambda r: seconds(r["startup_s"]))
    line("worker memory (RSS)", lambda r: "-" if r["rss_mb"] is None else f"{r['rss_mb']:.0f} MB")
    names = dict.fromkeys(name for r in results.values() for name in r["scenarios"])
    for name in names:

        def cell(r: dict, name: str = name) -> str:
            s = r["scenarios"].get(name)
            return "-" if s is None else f"{kb(s['bytes'])} KB, {s['median_ms']:.1f} ms"

        line(name, cell)


def measure_scale(
    label: str, source: Path, content: Path | None, workdir: Path, cpu, seconds, rounds
) -> dict:
    folder = workdir / label.replace(" ", "-")
    folder.mkdir()
    env = production_env(folder, content, cache_bytes=0)
    result: dict = {"migrate_s": None, "startup_s": None, "rss_mb": None, "scenarios": {}}
    try:
        result["migrate_s"] = migrate(source, env)
    except TooSlow as slow:
        result["note"] = str(slow)
    server = Server(label, source, env)
    try:
        server.start(cpu)
    except TooSlow as slow:
        result["note"] = "; ".join(filter(None, [result.get("note"), str(slow)]))
        return result
    try:
        scenarios = run(server, scale_scenarios(), seconds, rounds)
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    result.update(
        startup_s=server.started_in,
        rss_mb=rss,
        scenarios={
            s.name: {"median_ms": s.median_ms, "bytes": s.sizes.get("plain")} for s in scenarios
        },
    )
    return result


def export_revision(rev: str, target: Path) -> Path:
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev], cwd=BASE_DIR, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--codes", type=int, default=0, help="also measure this many codes")
    parser.add_argument("--against", help="a git revision measured in the same run")
    parser.add_argument("--seconds", type=float, default=0.4, help="per scenario and round")
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

    report: dict = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    report["placement"] = placement
    report["machine"] = f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f} at start"
    with tempfile.TemporaryDirectory(prefix="linqdocs-bench-") as workdir_name:
        workdir = Path(workdir_name)
        sources = {"this tree": BASE_DIR}
        if options.against:
            old = export_revision(options.against, workdir / "against")
            sources = {options.against[:12]: old, **sources}

        runs = {}
        for label, source in sources.items():
            folder = workdir / f"routes-{len(runs)}"
            folder.mkdir()
            env = production_env(folder, None, cache_bytes=16 * 1024 * 1024)
            migrate(source, env)
            server = Server(label, source, env)
            server.start(server_cpu)
            try:
                runs[label] = run(server, route_scenarios(), options.seconds, options.rounds)
                if source == BASE_DIR:
                    report["first_view"] = first_view(server)
            finally:
                server.stop()

        scale = {}
        if options.codes:
            from errors import synthetic

            content = synthetic.write_catalogue(workdir / "synthetic", options.codes)
            for label, source in sources.items():
                for codes, folder in ((48, None), (options.codes, content)):
                    name = f"{label}, {codes} codes"
                    scale[name] = measure_scale(
                        name, source, folder, workdir, server_cpu, options.seconds / 2, 2
                    )

    print(f"linqdocs bench, {report['when']}: {options.rounds} rounds x {options.seconds} s")
    print(f"  {placement}; {report['machine']}")
    report["routes"] = routes_table(runs)
    view = report["first_view"]
    print("\nFirst view of /errors/ (bodies, Brotli):")
    for name, size in view.items():
        print(f"  {name:<60} {kb(size):>6} KB")
    print(f"  {'total':<60} {kb(sum(view.values())):>6} KB")
    if scale:
        scale_table(scale)
        report["scale"] = scale
    with tempfile.TemporaryDirectory(prefix="linqdocs-bench-") as workdir_name:
        os.environ.update(production_env(Path(workdir_name), None, cache_bytes=0))
        os.environ["DJANGO_SETTINGS_MODULE"] = "linqdocs.settings"
        import django

        django.setup()
        diagnosed, masked = run_pastes(options.seconds, options.rounds)
    report["pastes"] = {
        "diagnosis": paste_table("Diagnosis of crafted 64 KiB pastes, in process", diagnosed, True),
        "masking": paste_table("Masking of 60 KB pastes, in process", masked, False),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{report['when'].replace(':', '')}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {target.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
