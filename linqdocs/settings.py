"""linqdocs settings: every knob comes from an environment variable with a safe development default.

`.env.example` lists the variables in groups. With DJANGO_DEBUG off the site refuses to start on an
unsafe configuration (see `_refuse_unsafe_production`), and `manage.py check --deploy` passes.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from linqdocs.configguard import KEY_ADVICE, allowed_hosts_problems, secret_key_problems

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "django-insecure-linqdocs-development-only"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip() or DEV_SECRET_KEY
# Old keys stay valid for reading sessions and signed values while a new key is rolled out.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def _refuse_unsafe_production() -> None:
    problems = []
    if SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        problems.append("DJANGO_SECRET_KEY is missing or is the development key")
    elif weaknesses := secret_key_problems(SECRET_KEY):
        problems.append(f"DJANGO_SECRET_KEY is too weak: {', '.join(weaknesses)}")
    if any(secret_key_problems(key) for key in SECRET_KEY_FALLBACKS):
        problems.append("a key in DJANGO_SECRET_KEY_FALLBACKS is too weak")
    problems += allowed_hosts_problems(ALLOWED_HOSTS)
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start with DJANGO_DEBUG off: "
            + "; ".join(problems)
            + ". Set them in the environment (see .env.example); for a secret key, "
            + KEY_ADVICE
            + "."
        )


if not DEBUG:
    _refuse_unsafe_production()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "linqdocs",
    "errors",
    "diagnose",
    "support",
    "axes",
    "feedback",
]

# Order matters. TraceIdMiddleware is outermost, so every response (static files and error pages
# included) carries X-Trace-ID and gets its log line. The header middleware comes next, above
# WhiteNoise and ConditionalGetMiddleware, so static files, /healthz and 304s carry the headers
# too (no view overrides the CSP; one that did would have to send its policy on 304s itself).
# HealthCheckMiddleware answers /healthz before CommonMiddleware validates the Host header.
# CompressionMiddleware compresses only what the response cache made (linqdocs/compression.py).
# HttpPolicyMiddleware sits below ConditionalGetMiddleware and above CsrfViewMiddleware (a wrong
# method is a 405, an oversized form post the page's own 413, before CSRF reads the body).
# ApiErrorMiddleware is innermost, so the envelope it makes of a bare /api/ error gets every header.
MIDDLEWARE = [
    "linqdocs.middleware.TraceIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "linqdocs.middleware.SecurityHeadersMiddleware",
    "linqdocs.compression.CompressionMiddleware",
    "linqdocs.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "linqdocs.httppolicy.HttpPolicyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "linqdocs.middleware.ApiErrorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linqdocs.urls"
WSGI_APPLICATION = "linqdocs.wsgi.application"

# No CSP nonce context processor: no page uses inline scripts, and a per-request nonce in the
# markup would defeat ETags on the catalogue pages.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

# SQLite is tuned for concurrent writers: WAL lets readers proceed during a write, IMMEDIATE
# transactions take the write lock up front (no deadlock on upgrade), and the timeout waits for it.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache holds the support rate-limit counters, so every process that answers requests
# must see the same one. CACHE_URL (or REDIS_URL) picks it:
#   redis://host:6379/0, rediss://..., unix:///path.sock  Redis (several app servers)
#   db://                                                 the database's table `linqdocs_cache`
#   locmem://                                             this process only
# Unset, development uses local memory, and production uses the database: gunicorn runs several
# worker processes even on one machine, and a per-process counter would multiply the limit.
CACHE_TABLE = "linqdocs_cache"


def _cache_from_url(url: str) -> dict:
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss", "unix"}:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "linqdocs",
            # A slow or missing Redis fails a request in seconds instead of hanging a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL {url!r} is not understood: use redis://, rediss://, unix://, db:// or locmem://."
    )


CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
CACHES = {"default": _cache_from_url(CACHE_URL or ("locmem://" if DEBUG else "db://"))}

# --- Content ----------------------------------------------------------------------------------

CONTENT_DIR = Path(os.environ.get("LINQDOCS_CONTENT_DIR", BASE_DIR / "errors" / "content"))
# Snapshots of the loaded, indexed catalogue, one per content version (errors/snapshots.py): a
# large catalogue then starts in a fraction of the time. Writable by the app only; empty: off.
CATALOGUE_CACHE_DIR = os.environ.get("CATALOGUE_CACHE_DIR", str(BASE_DIR / ".cache"))
# Catalogue pages, fragments, JSON and files for tools are made once per content version and kept
# with their Brotli and gzip forms: in each worker's memory up to this many bytes (0: off), or
# with RESPONSE_CACHE=shared in the cache of CACHE_URL (Redis, the database), shared by every
# worker and host (then RESPONSE_CACHE_BYTES is the largest single response kept).
RESPONSE_CACHE_BYTES = env_int("RESPONSE_CACHE_BYTES", 16 * 1024 * 1024)
RESPONSE_CACHE = os.environ.get("RESPONSE_CACHE", "memory").strip().lower() or "memory"
if RESPONSE_CACHE not in {"memory", "shared"}:
    raise ImproperlyConfigured(
        f"RESPONSE_CACHE {RESPONSE_CACHE!r} is not understood: use memory (the default) or shared."
    )

# --- Diagnosis --------------------------------------------------------------------------------

# Pastes per client per window on /diagnose/ and /api/diagnose/ ("300/10m", "60/m"); 0 disables.
# A person pasting all day stays far below it; a script hammering the diagnosis does not.
DIAGNOSE_RATE_LIMIT = os.environ.get("DIAGNOSE_RATE_LIMIT", "300/10m")

# --- Support requests and e-mail --------------------------------------------------------------

SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@linqdocs.localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "linqdocs <noreply@linqdocs.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_RATE_LIMIT = os.environ.get("SUPPORT_RATE_LIMIT", "5/10m")
# "Was this helpful?" answers per client (same format; "0" turns the limit off).
FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "20/h")
# Behind a load balancer every request comes from the balancer's address. Name the header the
# balancer itself sets to the client's address (e.g. X-Real-IP, or X-Forwarded-For whose last
# entry the balancer appends) so each client gets its own rate-limit bucket. Empty: REMOTE_ADDR.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# Absolute links in notification e-mails (e.g. https://docs.example.com); relative when empty.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Django 6.1 configures e-mail through MAILERS. Development prints notifications (console).
# Otherwise SMTP: EMAIL_HOST with STARTTLS on 587, or implicit TLS on 465 with EMAIL_USE_SSL=1
# (never both); in production without EMAIL_HOST, the machine's own mail server on localhost:25
# (postfix, nullmailer…), since `check --deploy` rightly refuses the console backend there.
_email_host = os.environ.get("EMAIL_HOST", "").strip()
if _email_host or not DEBUG:
    _email_ssl = env_bool("EMAIL_USE_SSL", False)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": env_int("EMAIL_PORT", 465 if _email_ssl else 587 if _email_host else 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(_email_host) and not _email_ssl),
                "use_ssl": _email_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Requests ---------------------------------------------------------------------------------

# The paste limit is 64 KiB; URL-encoding can triple it in a form post (%XX per byte), and the
# views answer an oversized paste with their own clear message, so Django's bound sits above that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100

# --- Static files -----------------------------------------------------------------------------

# STATIC_URL may name a CDN (https://cdn.example.com/static/) that pulls from this app's /static/;
# WhiteNoise keeps serving the files at /static/ for it, and the CSP below allows its origin.
STATIC_URL = os.environ.get("STATIC_URL", "static/")
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Fingerprinted names (site.3f2a….css) plus .gz and .br copies, made by collectstatic.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Fingerprinted files are cached for ten years ("immutable") by WhiteNoise itself; this is for the
# few unversioned URLs (the 500 page's stylesheet link). Zero in development so edits show at once.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600
# In development (and under the test runner, which turns DEBUG off at run time) WhiteNoise finds
# files in the apps' static folders on each request instead of indexing a STATIC_ROOT that only
# collectstatic creates.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG

_static = urlsplit(STATIC_URL)
STATIC_ORIGIN = f"{_static.scheme}://{_static.netloc}" if _static.scheme and _static.netloc else ""

# --- Security ---------------------------------------------------------------------------------

_from_self = [CSP.SELF, STATIC_ORIGIN] if STATIC_ORIGIN else [CSP.SELF]
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No 'unsafe-inline' and no 'unsafe-eval': htmx is configured in base.html never to eval.
    "script-src": _from_self,
    "style-src": _from_self,
    "img-src": [*_from_self, "data:"],
    "font-src": _from_self,
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only features current browsers know: an unknown one (e.g. the retired interest-cohort) makes
# Chromium log a console error on every page.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)
X_FRAME_OPTIONS = "DENY"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# /healthz must answer plain HTTP on the private network a load balancer probes from.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a promise about the whole registrable domain (example.com and every subdomain),
# hard to take back and not this app's to make, so it is opt-in and its deploy warning is silenced.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "linqdocs.errorpages.csrf_failure"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Admin sign-in ---------------------------------------------------------------------------

# django-axes (8.x; Django 4.2 to 6.x) counts failed admin sign-ins in the database, per username
# and per client address separately: either reaching the limit pauses sign-in from it for the
# cool-off time, with linqdocs.adminlock's page. The counts live in the database (tickets and
# accounts are there already), so every worker and app server shares them, Redis or not. A
# colleague lifts a lock early in the admin (Axes, Access attempts) or with
# `manage.py axes_reset_username NAME`. Successful sign-ins are not recorded (no access log).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
# The client as the support rate limit sees it (REMOTE_ADDR, or CLIENT_IP_HEADER behind a balancer).
AXES_CLIENT_IP_CALLABLE = "linqdocs.adminlock.client_ip"
AXES_LOCKOUT_CALLABLE = "linqdocs.adminlock.locked_out"

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# --- Logging ----------------------------------------------------------------------------------

# One line per request from linqdocs.middleware (method, path, status, duration, trace id).
# Bodies, form contents and query strings are never logged. Django's own records about a request
# (a 500's traceback, a CSRF refusal) get that request's trace id appended, so the id a user quotes
# finds the traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "trace_id": {"()": "linqdocs.middleware.RequestTraceIdFilter"},
    },
    "formatters": {
        # One record, one line: control characters a client sent are written as escapes, and a
        # traceback's lines follow indented (linqdocs.loglines).
        "plain": {
            "()": "linqdocs.loglines.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s%(trace_suffix)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["trace_id"],
        },
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's own access line duplicates ours and carries no trace id.
        "django.server": {"level": "WARNING"},
        # Django's 4xx lines would repeat the request line; 5xx tracebacks are still logged.
        "django.request": {"level": "ERROR"},
        # Scanners send foreign Host headers all day, each logged with a traceback; the request
        # line still records the 400.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
        # django-axes announces itself in every process; its failures and lockouts still log.
        "axes.apps": {"level": "WARNING"},
    },
}
