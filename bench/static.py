"""The reference served as files: nginx answering `export_site`'s output, beside the app.

README "Serving the reference as files": the read-only site is exported and nginx serves it,
Django answering only what needs it. This measures what that buys, the way issue figures are
stated: the server's CPU time per request (utime + stime of the process that answers, from
/proc, over a few seconds of requests on one kept-alive connection), as a ratio to the app's own
/robots.txt. nginx and gunicorn run pinned to the same CPU; nginx with one worker, as gunicorn.

Skipped, with a line saying so, where nginx is not installed (`apt-get install nginx-light`).
"""

import http.client
import os
import shutil
import signal
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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def child_of(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0])


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
        command = [binary, "-p", f"{self.folder}/", "-c", str(conf), "-e", str(self.folder / "e")]
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
        raise SystemExit(f"nginx did not start: {(self.folder / 'error.log').read_text()}")

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
    size: int = 0


ROUTES = (
    ("app: GET /robots.txt (gunicorn)", "/robots.txt", "app"),
    ("app: GET /errors/ (gunicorn, response cache)", "/errors/", "app"),
    ("nginx: GET /robots.txt (file)", "/robots.txt", "nginx"),
    ("nginx: GET /errors/ (file)", "/errors/", "nginx"),
    ("nginx: GET /errors/1007/ (file)", "/errors/1007/", "nginx"),
    ("nginx: GET /api/errors/ (file)", "/api/errors/", "nginx"),
)


def _measure(port: int, worker: int, route: Route, seconds: float) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(20):  # warm up: connection, caches
        connection.request("GET", route.path)
        route.size = len(connection.getresponse().read())
    requests = 0
    began, used = time.monotonic(), cpu_seconds(worker)
    while time.monotonic() - began < seconds:
        connection.request("GET", route.path)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (route.path, response.status)
        requests += 1
    route.cpu_us.append((cpu_seconds(worker) - used) / requests * 1e6)
    connection.close()


def measure_static(source: Path, workdir: Path, cpu: int | None, seconds: float, rounds: int):
    """Per route, the server CPU per request (median over rounds), or None without nginx."""
    if nginx_binary() is None:
        print("\nStatic files: not measured (nginx is not installed)")
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
        workers = {"app": child_of(app.process.pid), "nginx": child_of(web.process.pid)}
        ports = {"app": app.port, "nginx": web.port}
        for _ in range(rounds):
            for route in routes:
                _measure(ports[route.server], workers[route.server], route, seconds)
    finally:
        web.stop()
        app.stop()
    return {
        route.name: {"cpu_us": sorted(route.cpu_us)[len(route.cpu_us) // 2], "bytes": route.size}
        for route in routes
    }


def static_table(results: dict[str, dict]) -> None:
    baseline = next(iter(results.values()))["cpu_us"]
    print("\nStatic files: nginx serving export_site's files, beside the app (same CPU)")
    print("  server CPU per request, median of rounds; ratio: the app's /robots.txt CPU / this")
    print(f"  {'route':<48} {'CPU µs':>8} {'faster':>8} {'KB':>7}")
    for name, row in results.items():
        ratio = baseline / row["cpu_us"] if row["cpu_us"] else float("inf")
        print(f"  {name:<48} {row['cpu_us']:>8.1f} {ratio:>7.1f}x {row['bytes'] / 1024:>7.1f}")
