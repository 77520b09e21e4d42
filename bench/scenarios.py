"""What a bench run requests, and how each request is timed (wall clock on the client)."""

import http.client
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import Server

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
HX = {"HX-Request": "true"}


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
