"""gunicorn settings: `make serve`, or `gunicorn -c linqdocs/gunicorn.conf.py linqdocs.wsgi`.

Every value can be changed from the environment (.env.example, "Server"). gunicorn is the production
server, so it refuses to run the site with DJANGO_DEBUG on; `make run` is the development server.
"""

import os
import sys


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count() -> int:
    # The CPUs this process may run on (taskset, cpusets), not every CPU of the machine.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_debug = os.environ.get("DJANGO_DEBUG", "").strip().lower()
if _debug in {"", "1", "true", "yes", "on"}:  # the same reading as linqdocs.settings.env_bool
    sys.exit(
        "gunicorn serves linqdocs in production and will not run it with DJANGO_DEBUG on: "
        "set DJANGO_DEBUG=0, DJANGO_SECRET_KEY and ALLOWED_HOSTS (see .env.example), "
        "or use `make run` for development."
    )

# --- Where and how many -------------------------------------------------------------------------

# Loopback by default; behind a load balancer set GUNICORN_BIND=0.0.0.0:8000 (or a unix: socket).
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{_env_int('PORT', 8000)}"]

# Threaded workers keep client connections alive between requests and absorb slow clients and
# e-mail sends; the pages themselves are CPU-bound Python, hence processes per CPU. The cap keeps a
# large machine from spending its memory on idle copies of the catalogue.
worker_class = "gthread"
workers = _env_int("GUNICORN_WORKERS", min(2 * _cpu_count() + 1, 12))
threads = _env_int("GUNICORN_THREADS", 4)

# Load Django and the catalogue once in the master: a broken configuration fails at start-up with
# its message instead of in a loop of dying workers, and the workers share the loaded pages.
preload_app = True

# --- Time limits --------------------------------------------------------------------------------

timeout = _env_int("GUNICORN_TIMEOUT", 30)  # a worker silent this long is killed and replaced
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # to finish requests on restart
# Idle keep-alive. Behind a load balancer make it longer than the balancer's own idle timeout
# (60 s on most), or the balancer may reuse a connection gunicorn has just closed (a 502).
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced now and then, staggered, so a slow leak can never take the site down.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# --- Proxies ------------------------------------------------------------------------------------

# Addresses whose X-Forwarded-Proto gunicorn believes (then Django sees https). Only the load
# balancer's: "*" is safe only when nothing else can reach this port.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logs ---------------------------------------------------------------------------------------

# Both to the standard streams, for journald or the container runtime. The app writes one line per
# request (linqdocs.middleware: method, path, status, duration, trace id), so gunicorn's access
# line, which would repeat it at a cost of about a tenth of a page's CPU, is off unless
# GUNICORN_ACCESS_LOG names a file or "-" (stdout). It names the trace id the app sent and holds
# the path without its query string, never a body or a header value beyond the user agent.
_access = os.environ.get("GUNICORN_ACCESS_LOG", "off").strip()
accesslog = None if _access.lower() in {"", "0", "off", "none"} else _access
access_log_format = (
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms trace_id=%({x-trace-id}o)s "%(a)s"'
)
errorlog = "-"
# Paths and headers are written as escapes, never as raw control characters: a request cannot
# forge a second access line or send a terminal escape (linqdocs/gunicorn_logging.py).
logger_class = "linqdocs.gunicorn_logging.OneLineLogger"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The heartbeat file lives in memory, not on a disk a busy or container file system may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"


def when_ready(server: object) -> None:
    """Load and index the catalogue and import every view module in the master, before the
    workers fork, so each worker starts warm instead of making its first visitors wait."""
    from django.db import connections
    from django.urls import get_resolver

    from errors import startup, views
    from linqdocs import health

    startup.prepare()
    views.site_version()  # the digest behind every ETag and cache key
    health.expected_migrations()  # read once here, so no health probe waits for it
    get_resolver().resolve("/")  # imports the URLconfs and the views behind them
    connections.close_all()  # nothing the workers inherit may hold a database connection
    _give_back_free_memory()


def _give_back_free_memory() -> None:
    """Return to the system the heap a first load of the catalogue used and freed (building the
    indexes of 9,000 codes peaks some 60 MB above what it keeps), so the workers do not start
    with it resident. glibc only; elsewhere nothing to do."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    # What the master holds now lives as long as the workers: out of the collector's sight, so
    # a worker's collections neither walk 9,000 codes' objects nor copy their pages.
    gc.freeze()
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        trim = None
    if trim is not None:
        trim(0)
