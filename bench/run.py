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
   Then the reference as files (bench/static.py, where nginx is installed): nginx serving
   `export_site`'s files, its CPU per request beside the app's own /robots.txt.
3. Pastes, in process: the diagnosis of the crafted 64 KiB pastes of bench/pastes.py (the worst
   one named, with the size of its answer) and the masking of realistic and crafted 60 KB pastes.
4. Scale: the real catalogue (48 codes) against a synthetic one of `--codes` codes
   (errors/synthetic.py, written to a temporary folder and pointed at with LINQDOCS_CONTENT_DIR):
   `migrate` (which runs the checks), start-up to the first 200, worker memory, and the work that
   grows with the catalogue, measured with the response cache off so every request computes.
5. Search, in process (bench/searchtimes.py, this tree only): the CPU time of a table of realistic
   queries at 48 codes and at `--codes`, the search alone and the whole htmx fragment view.

Absolute numbers drift between runs and machines (and this machine is shared); the ratios are
what to compare. Everything stays on loopback, stops by itself, and writes
bench/results/<time>.json.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: bench/run.py

from bench.scale import measure_scale, search_times  # noqa: E402
from bench.scenarios import first_view, route_scenarios, run, run_pastes  # noqa: E402
from bench.servers import Server, cpus, export_revision, migrate, production_env  # noqa: E402
from bench.static import measure_static, static_table  # noqa: E402
from bench.tables import kb, paste_table, routes_table, scale_table, search_table  # noqa: E402

RESULTS = BASE_DIR / "bench" / "results"


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

        # The reference as files (README "Serving the reference as files"): this tree only.
        static = measure_static(BASE_DIR, workdir, server_cpu, client_cpu, 3.0, options.rounds)

        scale = {}
        searched: dict[str, dict] = {}
        if options.codes:
            from errors import synthetic

            content = synthetic.write_catalogue(workdir / "synthetic", options.codes)
            for label, source in sources.items():
                for codes, folder in ((48, None), (options.codes, content)):
                    name = f"{label}, {codes} codes"
                    scale[name] = measure_scale(
                        name, source, folder, workdir, server_cpu, options.seconds / 2, 2
                    )
            # This tree only: an older revision's search has another interface.
            for codes, folder in ((48, None), (options.codes, content)):
                timed = search_times(BASE_DIR, folder, workdir)
                if timed is not None:
                    searched[f"{codes} codes"] = timed

    print(f"linqdocs bench, {report['when']}: {options.rounds} rounds x {options.seconds} s")
    print(f"  {placement}; {report['machine']}")
    report["routes"] = routes_table(runs)
    view = report["first_view"]
    print("\nFirst view of /errors/ (bodies, Brotli):")
    for name, size in view.items():
        print(f"  {name:<60} {kb(size):>6} KB")
    print(f"  {'total':<60} {kb(sum(view.values())):>6} KB")
    if static:
        static_table(static)
        report["static"] = static
    if scale:
        scale_table(scale)
        report["scale"] = scale
    if searched:
        report["search"] = search_table(searched)
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
