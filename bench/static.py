"""The reference served as files: nginx answering `export_site`'s output, beside the app.

README "Serving the reference as files": the read-only site is exported and nginx serves it,
Django answering only what needs it. This measures what that buys, the way the issue stated it:
requests per second and the server's CPU time per request (utime + stime of its processes,
from /proc), each as a ratio to the app's own /robots.txt. nginx (one worker) and gunicorn (one
worker, one thread) run pinned to the same CPU; wrk, on the other, keeps 8 connections busy so the
worker never idles (a worker woken for each request is charged for waking up as much as for
the work).

Skipped, with a line saying so, where nginx or wrk is not installed (`apt-get install nginx-light
wrk`).
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.servers import PATIENCE, PYTHON, Server, free_port, migrate, production_env

TICKS = os.sysconf("SC_CLK_TCK")
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include {mime_types};
    access_log {folder}/access.log;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        location / {{ try_files $uri ${{uri}}index.html ${{uri}}index.json =404; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
    )


def cpu_seconds(master: int) -> float:
    """CPU time of a server: its master, the workers it has reaped (gunicorn replaces a worker
    after GUNICORN_MAX_REQUESTS) and those alive."""
    spent = _ticks(master, with_reaped=True)
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError):  # gone since: counted once reaped
            spent += _ticks(int(child))
    return spent / TICKS


def _ticks(pid: int, with_reaped: bool = False) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime, stime, then cutime, cstime (children waited for), counted from field 14 on.
    return sum(int(value) for value in fields[11 : 15 if with_reaped else 13])


@dataclass
class Nginx:
    label: str
    folder: Path
    site: Path
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, cpu: int | None) -> None:
        self.port = free_port()
        conf = self.folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                folder=self.folder,
                port=self.port,
                site=self.site,
                mime_types="/etc/nginx/mime.types",
            )
        )
        binary = nginx_binary()
        assert binary is not None
        errors = self.folder / "error.log"
        command = [binary, "-p", f"{self.folder}/", "-c", str(conf), "-e", str(errors)]
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/robots.txt")
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"nginx did not start: {errors.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=30)


@dataclass
class Route:
    name: str
    path: str
    server: str  # "app" or "nginx"
    cpu_us: list[float] = field(default_factory=list)  # per request, one entry per round
    per_second: list[float] = field(default_factory=list)  # requests, one entry per round
    size: int = 0


ROUTES = (
    ("app: GET /robots.txt (gunicorn)", "/robots.txt", "app"),
    ("app: GET /errors/ (gunicorn, response cache)", "/errors/", "app"),
    ("nginx: GET /robots.txt (file)", "/robots.txt", "nginx"),
    ("nginx: GET /errors/ (file)", "/errors/", "nginx"),
    ("nginx: GET /errors/1007/ (file)", "/errors/1007/", "nginx"),
    ("nginx: GET /api/errors/ (file)", "/api/errors/", "nginx"),
)


def _measure(port: int, server: int, route: Route, seconds: float, client_cpu: int | None) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", route.path)
    response = connection.getresponse()
    route.size = len(response.read())
    assert response.status == 200, (route.path, response.status)
    connection.close()
    command = ["wrk", "-t1", "-c8", f"-d{seconds:g}s", f"http://127.0.0.1:{port}{route.path}"]
    if client_cpu is not None:
        command = ["taskset", "-c", str(client_cpu), *command]
    used = cpu_seconds(server)
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    spent = cpu_seconds(server) - used
    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    if re.search(r"Non-2xx|Socket errors", output):
        raise SystemExit(f"wrk saw errors on {route.path}:\n{output}")
    route.per_second.append(float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]))  # type: ignore[index]
    route.cpu_us.append(spent / requests * 1e6)


def measure_static(
    source: Path,
    workdir: Path,
    cpu: int | None,
    client_cpu: int | None,
    seconds: float,
    rounds: int,
) -> dict | None:
    """Per route, requests per second and server CPU per request (medians over rounds)."""
    if nginx_binary() is None or shutil.which("wrk") is None:
        print("\nStatic files: not measured (needs nginx and wrk)")
        return None
    folder = workdir / "static-files"
    folder.mkdir()
    for path in (workdir, folder):  # nginx's worker runs as another user
        path.chmod(0o755)
    env = production_env(folder, None, cache_bytes=16 * 1024 * 1024)
    migrate(source, env)
    site = folder / "site"
    for command in (
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["export_site", str(site), "--base-url", "http://127.0.0.1", "--plain"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=source,
            env=env,
            check=True,
            capture_output=True,
            timeout=PATIENCE,
        )
    app, web = Server("app", source, env), Nginx("nginx", folder, site)
    routes = [Route(name, path, server) for name, path, server in ROUTES]
    try:
        app.start(cpu)
        web.start(cpu)
        assert app.process is not None and web.process is not None
        workers = {"app": app.process.pid, "nginx": web.process.pid}
        ports = {"app": app.port, "nginx": web.port}
        for _ in range(rounds):
            for route in routes:
                _measure(ports[route.server], workers[route.server], route, seconds, client_cpu)
    finally:
        web.stop()
        app.stop()
    return {
        route.name: {
            "cpu_us": statistics.median(route.cpu_us),
            "per_second": statistics.median(route.per_second),
            "bytes": route.size,
        }
        for route in routes
    }


def static_table(results: dict[str, dict]) -> None:
    baseline = next(iter(results.values()))
    print("\nStatic files: nginx serving export_site's files, beside the app (same CPU, wrk -c8)")
    print("  medians of rounds; x: this route against the app's /robots.txt")
    print(f"  {'route':<46} {'req/s':>8} {'x':>6} {'CPU µs/req':>11} {'x':>6} {'KB':>6}")
    for name, row in results.items():
        faster = baseline["cpu_us"] / row["cpu_us"] if row["cpu_us"] else float("inf")
        print(
            f"  {name:<46} {row['per_second']:>8.0f} "
            f"{row['per_second'] / baseline['per_second']:>5.1f}x {row['cpu_us']:>11.1f} "
            f"{faster:>5.1f}x {row['bytes'] / 1024:>6.1f}"
        )
