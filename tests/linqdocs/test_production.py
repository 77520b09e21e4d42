"""Production readiness (SPEC §7): configuration and its refusals, `check --deploy`, security
headers and the CSP, static files, conditional GETs, error pages, the request log, gunicorn.

Settings are read once per process, so every test of a configuration starts a new Python process
with the environment it describes.
"""

import http.client
import importlib
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

BASE_DIR = Path(django_settings.BASE_DIR)
TRACE_ID = re.compile(r"[0-9a-f]{32}")
BEARER = "Authorization: Bearer sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ"
TOKEN = "sk_live_4f9aQ2mZ7xR1tY8uW3vB6nK0pL5sD2hJ"
PASTE = f"""HTTP/1.1 429 Too Many Requests
{BEARER}
Retry-After: 30

{{"success": false, "error": {{"status": 429, "code": 1007, "message": "Rate limit exceeded",
"retry_after": 30}}, "trace_id": "2eff5df5c6f688733c007523c4d61cd9"}}
"""


# --- Running the site in another process -------------------------------------------------------


def documented_variables() -> set[str]:
    """Every variable .env.example names, set or commented out."""
    text = (BASE_DIR / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


# What a child process inherits from this one: nothing that configures Django or the site (a test
# runner may set DJANGO_ALLOW_ASYNC_UNSAFE, a developer DJANGO_DEBUG), only what finds programs.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")


def production_env(**overrides: str | None) -> dict[str, str]:
    """A clean environment with a valid production configuration; None removes a variable."""
    env: dict[str, str | None] = {n: os.environ[n] for n in INHERITED if n in os.environ}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_hex(32),  # 64 characters
        ALLOWED_HOSTS="docs.example.com",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env)


def settings_under(env: dict[str, str], *names: str) -> dict:
    """The values of some settings as the site would see them with `env`."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}, default=str))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "linqdocs.settings"}
    result = run([sys.executable, "-c", script], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Configuration -----------------------------------------------------------------------------


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_sees_the_environment():
    # The same command fails when a production default is turned off: the pass above is real.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_HSTS_SECONDS="0", SESSION_COOKIE_SECURE="0"),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W012" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "problems"),
    [
        ({"DJANGO_SECRET_KEY": None}, ["DJANGO_SECRET_KEY is missing or is the development key"]),
        (
            {"DJANGO_SECRET_KEY": "django-insecure-linqdocs-development-only"},
            ["DJANGO_SECRET_KEY is missing or is the development key"],
        ),
        ({"DJANGO_SECRET_KEY": "short-but-not-empty"}, ["DJANGO_SECRET_KEY is too weak"]),
        ({"DJANGO_SECRET_KEY": "a" * 64}, ["DJANGO_SECRET_KEY is too weak"]),
        # Fifty-plus characters and five different ones, but a pattern, not a secret.
        ({"DJANGO_SECRET_KEY": "abcde" * 13}, ["DJANGO_SECRET_KEY is too weak: it uses only 5"]),
        ({"DJANGO_SECRET_KEY": "0123456789abcdef" * 4}, ["it repeats a pattern"]),
        (
            {"DJANGO_SECRET_KEY_FALLBACKS": "abcde" * 13},
            ["a key in DJANGO_SECRET_KEY_FALLBACKS is too weak"],
        ),
        ({"ALLOWED_HOSTS": "*"}, ["ALLOWED_HOSTS contains '*', which accepts any Host header"]),
        ({"ALLOWED_HOSTS": "docs.example.com,*"}, ["ALLOWED_HOSTS contains '*'"]),
        ({"ALLOWED_HOSTS": ""}, ["ALLOWED_HOSTS is empty"]),
        (
            {"DJANGO_SECRET_KEY": "", "ALLOWED_HOSTS": " , "},
            ["DJANGO_SECRET_KEY is missing", "ALLOWED_HOSTS is empty"],
        ),
    ],
)
def test_production_refuses_to_start_on_an_unsafe_configuration(overrides, problems):
    result = manage("check", env=production_env(**overrides))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    # One message, on the last line, naming every problem and where to fix it.
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: Refusing to start")
    assert result.stderr.count("Refusing to start") == 1
    for problem in problems:
        assert problem in last_line
    assert ".env.example" in last_line


@pytest.mark.parametrize(
    ("overrides", "check_id"),
    [
        ({"DJANGO_SECRET_KEY": "abcde" * 13}, "linqdocs.E101"),
        ({"DJANGO_SECRET_KEY_FALLBACKS": "abcde" * 13}, "linqdocs.E102"),
        ({"ALLOWED_HOSTS": "*"}, "linqdocs.E103"),
    ],
)
def test_check_deploy_names_a_weak_key_or_a_wildcard_host(overrides, check_id):
    # In DEBUG (a staging run), where the start-up guard does not apply, the deploy check says it.
    env = production_env(DJANGO_DEBUG="1", **overrides)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert check_id in result.stderr
    assert "abcde" not in result.stderr  # the key itself is never printed


@pytest.mark.parametrize("key", [secrets.token_urlsafe(64), secrets.token_hex(32)])
def test_keys_made_as_the_readme_says_pass(key):
    from linqdocs.configguard import secret_key_problems

    assert secret_key_problems(key) == []


def test_development_defaults_need_no_environment():
    env = production_env(DJANGO_DEBUG=None, DJANGO_SECRET_KEY=None, ALLOWED_HOSTS=None)
    values = settings_under(
        env, "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "CACHES", "MAILERS"
    )
    assert values["DEBUG"] is True
    assert "localhost" in values["ALLOWED_HOSTS"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")


def test_production_defaults():
    values = settings_under(
        production_env(),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CACHES",
        "STORAGES",
        "MAILERS",
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    # Shared by every gunicorn worker even without Redis: the database's cache table.
    assert values["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    assert values["STORAGES"]["staticfiles"]["BACKEND"].endswith(
        "CompressedManifestStaticFilesStorage"
    )
    # No EMAIL_HOST: the machine's own mail server, not the console backend check --deploy refuses.
    mailer = values["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("localhost", 25)


def test_scale_out_settings_come_from_the_environment():
    env = production_env(
        DATABASE_URL="postgres://linqdocs:pw@db.internal:5432/linqdocs",
        CACHE_URL="redis://cache.internal:6379/0",
        SECURE_PROXY_SSL_HEADER="1",
        SECURE_HSTS_SECONDS="600",
        CSRF_TRUSTED_ORIGINS="https://docs.example.com",
        STATIC_URL="https://cdn.example.net/static/",
        EMAIL_HOST="smtp.example.com",
        EMAIL_USE_SSL="1",
        SUPPORT_EMAIL="help@example.com",
        SUPPORT_RATE_LIMIT="20/h",
    )
    values = settings_under(
        env,
        "DATABASES",
        "CACHES",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_CSP",
        "MAILERS",
        "SUPPORT_EMAIL",
        "SUPPORT_RATE_LIMIT",
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"]) == ("db.internal", "linqdocs")
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/0"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://docs.example.com"]
    # Static files from a CDN: its origin, and only it, joins 'self' for scripts and styles.
    assert values["SECURE_CSP"]["script-src"] == ["'self'", "https://cdn.example.net"]
    assert values["SECURE_CSP"]["style-src"] == ["'self'", "https://cdn.example.net"]
    assert values["SECURE_CSP"]["connect-src"] == ["'self'"]
    smtp = values["MAILERS"]["default"]["OPTIONS"]
    assert (smtp["host"], smtp["port"], smtp["use_ssl"], smtp["use_tls"]) == (
        "smtp.example.com",
        465,
        True,
        False,
    )
    assert values["SUPPORT_EMAIL"] == "help@example.com"
    assert values["SUPPORT_RATE_LIMIT"] == "20/h"


def test_an_unknown_cache_url_is_refused_by_name():
    result = manage("check", env=production_env(CACHE_URL="memcached://cache:11211"))
    assert result.returncode != 0
    assert "CACHE_URL 'memcached://cache:11211' is not understood" in result.stderr


VARIABLE_READ = re.compile(r"""(?:environ\.get|environ\[|env_\w+)\(?\s*["']([A-Z_]+)["']""")


def test_every_variable_the_code_reads_is_documented():
    sources = [BASE_DIR / "linqdocs" / "settings.py", BASE_DIR / "linqdocs" / "gunicorn.conf.py"]
    read = set()
    for source in sources:
        read |= set(VARIABLE_READ.findall(source.read_text()))
    read -= {"DJANGO_SETTINGS_MODULE", "SQLITE_TEST_NAME", "LINQDOCS_CONTENT_DIR"}
    assert read, "the pattern above no longer finds the variables"
    assert read <= documented_variables(), read - documented_variables()


# --- Headers and the Content-Security-Policy ---------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


HEADER_PAGES = [
    "/",
    "/errors/",
    "/errors/?q=rate+limit",
    "/errors/1007/",
    "/errors/9999/",
    "/guides/retries/",
    "/api/errors/",
    "/api/errors/1007/",
    "/api/nope/",
    "/nope/",
    "/healthz",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HEADER_PAGES)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    assert_security_headers(response)


def test_security_headers_on_a_304(client):
    first = client.get("/errors/1007/")
    not_modified = client.get("/errors/1007/", headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert_security_headers(not_modified)


def assert_security_headers(response):
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert TRACE_ID.fullmatch(response["X-Trace-ID"])


def test_hsts_on_https_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    assert client.get("/robots.txt", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
    assert "Strict-Transport-Security" not in client.get("/robots.txt")  # never over plain HTTP


class _InlineCode(HTMLParser):
    """Collects everything in a page that a strict CSP (no unsafe-inline, no unsafe-eval) blocks."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self.htmx_config: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.blocked.append(f"event handler {name}=")
            if name == "style":
                self.blocked.append(f"style= on <{tag}>")
            if name.startswith(("hx-on", "data-hx-on")):
                self.blocked.append(f"{name} (htmx evaluates it)")
            if name in {"hx-trigger", "data-hx-trigger"} and "[" in value:
                self.blocked.append(f"hx-trigger filter {value!r} (htmx evaluates it)")
            if name in {"hx-vals", "hx-vars"} and value.lstrip().startswith(("js:", "javascript:")):
                self.blocked.append(f"{name} with JavaScript")
            if name in {"href", "src", "action"} and value.lower().startswith("javascript:"):
                self.blocked.append(f"javascript: URL in {name}")
            external = value.startswith(("http://", "https://", "//"))
            if name in {"src", "href"} and external and tag in {"script", "link", "img", "iframe"}:
                self.blocked.append(f"<{tag}> from another origin: {value}")
        if tag == "meta" and attributes.get("name") == "htmx-config":
            self.htmx_config = json.loads(attributes["content"])


STRICT_PAGES = [
    ("get", "/", {}),
    ("get", "/errors/", {}),
    ("get", "/errors/?q=rate+limit&retry=yes", {}),
    ("get", "/errors/1007/", {}),
    ("get", "/errors/9999/", {}),
    ("get", "/guides/", {}),
    ("get", "/guides/webhooks/", {}),
    ("get", "/diagnose/", {}),
    ("post", "/diagnose/", {"envelope": PASTE}),
    ("get", "/support/new/?code=1007&trace_id=2eff5df5c6f688733c007523c4d61cd9", {}),
    ("get", "/nope/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), STRICT_PAGES)
def test_pages_hold_under_the_strict_csp(client, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code < 500
    if not response["Content-Type"].startswith("text/html"):
        return
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []
    if "<html" in response.content.decode():
        # htmx itself must never need 'unsafe-eval' or inline styles, nor keep pastes in storage.
        assert parser.htmx_config is not None
        assert parser.htmx_config["allowEval"] is False
        assert parser.htmx_config["allowScriptTags"] is False
        assert parser.htmx_config["includeIndicatorStyles"] is False
        assert parser.htmx_config["historyCacheSize"] == 0


def test_htmx_fragments_hold_under_the_strict_csp(client):
    response = client.get("/errors/", {"q": "429"}, headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.blocked == []


# --- Conditional GET and Vary ------------------------------------------------------------------

CATALOGUE_PAGES = ["/", "/errors/", "/errors/1007/", "/errors/?q=rate+limit", "/guides/retries/"]


@pytest.mark.parametrize("url", CATALOGUE_PAGES)
def test_a_conditional_get_of_a_catalogue_page_gets_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]

    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]

    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304

    stale = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200


def test_the_fragment_does_not_match_the_pages_etag(client):
    page = client.get("/errors/", {"q": "429"})
    fragment = client.get(
        "/errors/", {"q": "429"}, headers={"HX-Request": "true", "If-None-Match": page["ETag"]}
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()


VARY_PAGES = [
    "/",
    "/errors/",
    "/errors/?q=429",
    "/errors/1007/",
    "/guides/",
    "/diagnose/",
    "/support/new/",
]
# Per-render tokens (CSRF, a form's double-submit token) differ on every render by design.
PER_RENDER_TOKEN = re.compile(r'(<input type="hidden"[^>]*? value=|"X-CSRFToken": ?)"[^"]*"')


@pytest.mark.django_db
@pytest.mark.parametrize("url", VARY_PAGES)
def test_vary_hx_request_wherever_htmx_gets_a_different_answer(client, url):
    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    differs = PER_RENDER_TOKEN.sub("", page.content.decode()) != PER_RENDER_TOKEN.sub(
        "", fragment.content.decode()
    )
    if differs:
        for response in (page, fragment):
            assert "HX-Request" in response.get("Vary", ""), url
    if url.startswith("/errors/?"):
        assert differs  # the search is where it must differ; the check above is not vacuous


# --- Static files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """collectstatic as a deployment runs it: fingerprinted names, .gz and .br copies.

    The admin's files are left out only to keep the test quick; the site's pages do not use them.
    """
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage(
        "collectstatic",
        "--noinput",
        "--ignore=admin",
        env=production_env(STATIC_MANIFEST="1", STATIC_ROOT=str(root)),
    )
    assert result.returncode == 0, result.stderr
    return root


def manifest(root: Path) -> dict[str, str]:
    return json.loads((root / "staticfiles.json").read_text())["paths"]


def test_collectstatic_fingerprints_and_compresses(collected_static):
    paths = manifest(collected_static)
    for name in ["css/site.css", "js/site.js"]:
        hashed = paths[name]
        stem, extension = name.rsplit(".", 1)
        assert re.fullmatch(rf"{re.escape(stem)}\.[0-9a-f]{{12}}\.{extension}", hashed)
        assert (collected_static / hashed).is_file()
        assert (collected_static / f"{hashed}.gz").is_file()
        assert (collected_static / f"{hashed}.br").is_file()
    htmx = next(hashed for name, hashed in paths.items() if name.startswith("django_htmx/htmx"))
    assert (collected_static / f"{htmx}.br").is_file()


@pytest.mark.django_db  # closing a file response signals request_finished
def test_development_serves_static_files_without_collectstatic(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    response.close()


@pytest.fixture
def manifest_static(settings, collected_static):
    settings.STATIC_ROOT = collected_static
    settings.WHITENOISE_AUTOREFRESH = settings.WHITENOISE_USE_FINDERS = False  # as in production
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    return collected_static


@pytest.mark.django_db  # closing a file response signals request_finished
def test_pages_link_fingerprinted_files_served_for_ten_years(manifest_static):
    client = Client()  # a new handler, so WhiteNoise indexes the collected files
    page = client.get("/errors/").content.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page does not link the fingerprinted stylesheet"

    response = client.get(stylesheet[1], headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert_security_headers(response)
    gzipped = client.get(stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    response.close()
    gzipped.close()

    unversioned = client.get("/static/css/site.css")
    assert "immutable" not in unversioned["Cache-Control"]
    unversioned.close()


# --- Error pages -------------------------------------------------------------------------------

LEAK = "internal detail /srv/linqdocs/secrets.py password=hunter2"


def _explode(request):
    raise RuntimeError(LEAK)


def _deny(request):
    raise PermissionDenied(LEAK)


def _accept_post(request):
    return HttpResponse("accepted")


@pytest.fixture
def failing_urls(settings):
    """The site's URLs plus views that fail, under /api/ and outside it."""
    module = types.ModuleType("linqdocs_failing_urls")
    urlpatterns = [
        path("boom/", _explode),
        path("api/boom/", _explode),
        path("denied/", _deny),
        path("api/denied/", _deny),
        path("form/", _accept_post),
        path("api/form/", _accept_post),
        path("", include("linqdocs.urls")),
    ]
    module.__dict__["urlpatterns"] = urlpatterns
    site = importlib.import_module(django_settings.ROOT_URLCONF)
    for status in (400, 403, 404, 500):
        setattr(module, f"handler{status}", getattr(site, f"handler{status}"))
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    yield
    del sys.modules[module.__name__]


def assert_site_page(response, status: int):
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert body.lstrip().startswith("<!doctype html>")
    assert 'class="site-header"' in body and "/static/css/site" in body
    for leak in (LEAK, "Traceback", "RuntimeError", "ALLOWED_HOSTS", "HTTP_HOST", "settings.py"):
        assert leak not in body
    assert "Content-Security-Policy" in response


def assert_envelope(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {
        "success": False,
        "error": {"status": status, "code": code, "message": body["error"]["message"]},
        "trace_id": response["X-Trace-ID"],
    }
    assert TRACE_ID.fullmatch(body["trace_id"])
    assert LEAK not in response.content.decode()


def test_500_page_in_the_sites_style_with_the_trace_id(failing_urls):
    response = Client(raise_request_exception=False).get("/boom/")
    assert_site_page(response, 500)
    assert response["X-Trace-ID"] in response.content.decode()


def test_api_500_is_the_envelope_with_the_trace_id(failing_urls):
    response = Client(raise_request_exception=False).get("/api/boom/")
    assert_envelope(response, 500, "server_error")


def test_500_traceback_is_logged_with_the_trace_id(failing_urls, caplog):
    response = Client(raise_request_exception=False).get("/boom/")
    tracebacks = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert len(tracebacks) == 1
    formatted = logging.Formatter("%(message)s%(trace_suffix)s").format(tracebacks[0])
    assert f"trace_id={response['X-Trace-ID']}" in formatted


def test_403_page_and_envelope(failing_urls, client):
    assert_site_page(client.get("/denied/"), 403)
    assert_envelope(client.get("/api/denied/"), 403, "forbidden")


def test_csrf_failure_page_and_envelope(failing_urls):
    client = Client(enforce_csrf_checks=True)
    page = client.post("/form/", {"subject": "x"})
    assert_site_page(page, 403)
    assert "This form has expired" in page.content.decode()
    assert_envelope(client.post("/api/form/", {"subject": "x"}), 403, "csrf_failed")


def test_400_page_and_envelope_for_a_foreign_host(client):
    foreign = {"Host": "evil.example"}
    assert_site_page(client.get("/errors/", headers=foreign), 400)
    assert_envelope(client.get("/api/errors/", headers=foreign), 400, "bad_request")


def test_404_page_and_envelope(client):
    page = client.get("/no/such/page/")
    assert_site_page(page, 404)
    assert 'name="q"' in page.content.decode()  # it helps: a search box
    assert_envelope(client.get("/api/no/such/thing/"), 404, "not_found")


def test_an_api_method_error_is_an_envelope_too(client):
    response = client.post("/api/errors/")
    assert_envelope(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


# --- Trace ids and the request log -------------------------------------------------------------


def test_a_proxys_trace_id_is_kept_and_anything_else_replaced(client):
    ours = "0af7651916cd43dd8448eb211c80319c"
    assert client.get("/robots.txt", headers={"X-Trace-ID": ours})["X-Trace-ID"] == ours
    traceparent = f"00-{ours}-b7ad6b7169203331-01"
    assert client.get("/robots.txt", headers={"traceparent": traceparent})["X-Trace-ID"] == ours
    for bad in ["<script>", "0" * 32, ours.upper() + "ff", "x" * 32]:
        answered = client.get("/robots.txt", headers={"X-Trace-ID": bad})["X-Trace-ID"]
        assert answered != bad and TRACE_ID.fullmatch(answered)


REQUEST_LINE = re.compile(
    r"(?P<method>[A-Z]+) (?P<path>/\S*) (?P<status>\d{3}) \d+\.\dms"
    r" trace_id=(?P<trace>[0-9a-f]{32})"
)


@pytest.mark.django_db
def test_one_log_line_per_request_and_never_what_was_pasted(client, caplog):
    caplog.set_level(logging.DEBUG)
    requests = [
        ("post", "/api/diagnose/", PASTE, "text/plain"),
        ("post", "/diagnose/", {"envelope": PASTE}, None),
        (
            "post",
            "/support/new/",
            {
                "email": "dev@example.com",
                "subject": "Stuck on 1007",
                "description": f"Our call fails. {BEARER}",
                "envelope": PASTE,
            },
            None,
        ),
        ("get", "/errors/?q=" + TOKEN, None, None),
        ("get", "/errors/1007/", None, None),
    ]
    responses = []
    for method, url, data, content_type in requests:
        kwargs = {"content_type": content_type} if content_type else {}
        responses.append(getattr(client, method)(url, data, **kwargs))

    formatter = logging.Formatter("%(name)s %(message)s")
    for record in caplog.records:
        text = formatter.format(record) + repr(record.args) + repr(vars(record))
        assert TOKEN not in text, record.name
        assert "Rate limit exceeded" not in text, record.name  # nothing of the pasted body
        assert "Stuck on 1007" not in text, record.name  # nor of the form

    lines = [r for r in caplog.records if r.name == "linqdocs.request"]
    assert len(lines) == len(requests)
    for record, (method, url, _, _), response in zip(lines, requests, responses, strict=True):
        match = REQUEST_LINE.fullmatch(record.getMessage())
        assert match, record.getMessage()
        assert match["method"] == method.upper()
        assert match["path"] == url.split("?")[0]
        assert int(match["status"]) == response.status_code
        assert match["trace"] == response["X-Trace-ID"]
        assert (record.method, record.status_code, record.trace_id) == (
            method.upper(),
            response.status_code,
            response["X-Trace-ID"],
        )
        assert record.duration_ms >= 0


def test_a_path_cannot_forge_a_log_line(client, caplog):
    client.get("/errors/x%0AINFO forged line/")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "linqdocs.request"]
    assert "\n" not in line and "%0A" in line


# --- gunicorn ----------------------------------------------------------------------------------

GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "linqdocs/gunicorn.conf.py"]


def test_gunicorn_refuses_to_serve_with_debug_on():
    result = run([*GUNICORN, "--check-config", "linqdocs.wsgi"], production_env(DJANGO_DEBUG="1"))
    assert result.returncode != 0
    assert "will not run it with DJANGO_DEBUG on" in result.stderr


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


FORGED_PATH = "/errors/x%0A127.0.0.1%20-%20FORGED%1B[31m%00/"
OVERSIZED_FORMS = {"/diagnose/": "64 KiB", "/support/new/": "more than this form accepts"}


def raw_request(port: int, request_line: str, **headers: str) -> bytes:
    """What a client can send that urllib would refuse to: bytes as they are, on a socket."""
    lines = [request_line, "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def post_chunked(port: int, path: str, parts: list) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = (part.encode() if isinstance(part, str) else part for part in parts)
        connection.request("POST", path, body=body, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def post_form(url: str, data: dict) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_the_site(collected_static, tmp_path):
    port = free_port()
    env = production_env(
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        STATIC_ROOT=str(collected_static),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    # As `make serve` and the README's systemd unit prepare it: the health check asks for both.
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["createcachetable"]):
        prepared = manage(*command, env=env)
        assert prepared.returncode == 0, prepared.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*GUNICORN, "linqdocs.wsgi"], cwd=BASE_DIR, env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a bound for a busy machine, not a speed test
        while True:
            try:
                status, _, _ = fetch(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert status == 200

        status, headers, body = fetch(f"{base}/errors/1007/")
        assert status == 200
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        trace_id = headers["X-Trace-ID"]
        linked = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
        assert linked is not None, "the page links no fingerprinted stylesheet"
        stylesheet = linked[1].decode()

        status, headers, _ = fetch(base + stylesheet, **{"Accept-Encoding": "br"})
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert headers["Content-Encoding"] == "br"

        # A load balancer probing by address gets its answer despite ALLOWED_HOSTS.
        assert fetch(f"{base}/healthz", Host=f"10.0.0.7:{port}")[0] == 200
        assert fetch(f"{base}/errors/", Host="10.0.0.7")[0] == 400

        # A path and a user agent written to forge an access line and colour the terminal.
        assert raw_request(port, f"GET {FORGED_PATH} HTTP/1.1").startswith(b"HTTP/1.1 404")
        raw_request(port, "GET /llms.txt HTTP/1.1", **{"User-Agent": "x\x1b[2J\x00"})

        # A chunked body is read (gunicorn de-chunks it), within the paste limit.
        status, answer = post_chunked(port, "/api/diagnose/", [PASTE[:40], PASTE[40:]])
        assert status == 200 and json.loads(answer)["diagnoses"][0]["code"] == 1007
        status, answer = post_chunked(port, "/api/diagnose/", [b"x" * 40_000] * 2)
        assert status == 413 and json.loads(answer)["findings"][0]["id"] == "input_too_large"

        # Form posts past Django's limit get the page's own message, not a 400 and a traceback.
        for path, message in OVERSIZED_FORMS.items():
            status, _, body = post_form(f"{base}{path}", {"envelope": "x" * 600_000})
            assert status == 413 and message in body.decode(), path
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    output = log.read_text()
    # One line per request, the app's, naming the trace id it sent; gunicorn's access line is off
    # unless GUNICORN_ACCESS_LOG asks for it.
    assert re.search(
        rf"INFO linqdocs.request GET /errors/1007/ 200 [0-9.]+ms trace_id={trace_id}\n", output
    )
    assert output.count(trace_id) == 1
    assert 'HTTP/1.1"' not in output
    for line in output.splitlines():  # a record's continuation lines start indented
        assert not line.startswith("127.0.0.1 - FORGED"), line
        assert "\x1b" not in line and "\x00" not in line, repr(line)
    assert " ERROR " not in output and "Traceback" not in output, output
