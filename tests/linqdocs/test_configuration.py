"""Production configuration (SPEC §7): the environment it reads, its refusals, `check --deploy`,
the defaults, and the documentation of every variable."""

import re
import secrets

import pytest

from tests.linqdocs.production import (
    BASE_DIR,
    documented_variables,
    manage,
    production_env,
    settings_under,
)

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
