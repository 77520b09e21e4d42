"""Error pages and envelopes that show no internals, trace ids and the request log."""

import importlib
import logging
import re
import sys
import types

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from tests.linqdocs.production import (
    BEARER,
    PASTE,
    TOKEN,
    TRACE_ID,
)

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
