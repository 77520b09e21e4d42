"""The scale run: the real catalogue against a synthetic one, from `migrate` to the slow routes.

Measured with the response cache off, so every request computes what grows with the catalogue.
"""

import json
import subprocess
from pathlib import Path

from bench.scenarios import HX, MISTYPED, TEXT, Scenario, run
from bench.servers import PATIENCE, PYTHON, Server, TooSlow, migrate, production_env


def scale_scenarios() -> list[Scenario]:
    return [
        Scenario("/errors/", "GET", "/errors/"),
        Scenario("search 'rate limit' (fragment)", "GET", "/errors/?q=rate+limit", HX),
        Scenario("search 'webhook' (fragment)", "GET", "/errors/?q=webhook", HX),
        Scenario("/api/errors/", "GET", "/api/errors/"),
        Scenario("diagnose a mistyped message", "POST", "/api/diagnose/", TEXT, MISTYPED),
    ]


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


# The search table is measured in this many processes, each query's best kept: on this shared
# machine one process can run a third slower than the next for its whole life.
SEARCH_PROCESSES = 3


def search_times(source: Path, content: Path | None, workdir: Path) -> dict | None:
    """bench/searchtimes.py on `content` (None: the real catalogue), in a child process."""
    folder = workdir / f"search-{content.name if content else 'real'}"
    folder.mkdir()
    env = production_env(folder, content, cache_bytes=0)
    env["LOG_LEVEL"] = "WARNING"
    try:
        migrate(source, env)  # the database the fragment view's middleware expects
        runs = [
            subprocess.run(
                [PYTHON, "bench/searchtimes.py"],
                cwd=source,
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=PATIENCE,
            )
            for _ in range(SEARCH_PROCESSES)
        ]
    except (TooSlow, subprocess.SubprocessError) as failed:
        print(f"  search times not measured: {failed}")
        return None
    return _best_of([json.loads(done.stdout.strip().splitlines()[-1]) for done in runs])


def _best_of(results: list[dict]) -> dict:
    """Per query, the least CPU any of the processes measured."""
    best = results[0]
    for other in results[1:]:
        for table in ("queries", "messages"):
            for row, again in zip(best[table], other[table], strict=True):
                row["search_ms"] = min(row["search_ms"], again["search_ms"])
                row["view_ms"] = min(row["view_ms"], again["view_ms"])
    return best
