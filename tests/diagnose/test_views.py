"""/diagnose/ (full page and htmx fragment), /api/diagnose/ and shared diagnoses."""

import json
import logging
import re
from html import escape
from typing import cast
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter
from django_htmx.middleware import HtmxDetails

from diagnose import views
from diagnose.engine import FINDINGS, MAX_INPUT_BYTES, diagnose
from diagnose.labels import finding_label
from linqdocs.requests import SiteRequest
from tests.diagnose.cases import CASES, T1, T2, TOKEN, envelope

PAGE = "/diagnose/"
API = "/api/diagnose/"
HTMX = {"HTTP_HX_REQUEST": "true"}

TOKEN_PASTE = (
    "$ curl -i https://api.linqapp.com/api/partner/v3/chats "
    f'-H "Authorization: Bearer {TOKEN}"\n'
    "HTTP/2 429\n"
    "retry-after: 30\n"
    f"x-trace-id: {T1}\n"
    "\n" + envelope(retry_after=30, message=f"Rate limited for Bearer {TOKEN}")
)


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


def found(pattern: str, text: str, group: int = 1) -> str:
    """What `pattern` captures in `text`; the test fails when it is not there at all."""
    match = re.search(pattern, text, re.S)
    assert match is not None, f"{pattern} not found"
    return match.group(group)


def post_page(client, paste, **headers):
    token = client.get(PAGE).cookies["csrftoken"].value
    return client.post(PAGE, {"envelope": paste, "csrfmiddlewaretoken": token}, **headers)


def test_urls():
    assert reverse("diagnose:page") == PAGE
    assert reverse("diagnose:api") == API
    assert reverse("diagnose:shared") == "/diagnose/shared/"


# --- The page -------------------------------------------------------------------------------------


def test_form(client):
    response = client.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<textarea id="envelope" name="envelope"' in html
    assert 'aria-current="page">Diagnose' in html
    assert "/static/js/diagnose.js" in html
    assert 'id="diagnosis"' in html
    assert html.count("data-example=") >= 4
    assert "noindex" not in html


def test_example_fills_the_box_without_javascript(client):
    html = client.get(PAGE, {"example": "rate-limited"}).content.decode()
    box = found(r"<textarea[^>]*>(.*?)</textarea>", html)
    assert "HTTP/2 429" in box
    assert "&quot;code&quot;:1007" in box
    assert client.get(PAGE, {"example": "nope"}).status_code == 200


def test_every_example_diagnoses():
    html = Client().get(PAGE).content.decode()
    for text in re.findall(r'data-example="([^"]*)"', html):
        report = diagnose(text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&"))
        assert report.diagnoses or report.input_kind == "legacy_v2"


def test_no_inline_script_style_or_handlers(client):
    for response in (client.get(PAGE), post_page(client, envelope(retry_after=30))):
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert "Content-Security-Policy" in response


def test_post_renders_the_whole_page(client):
    response = post_page(client, envelope(retry_after=30))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert (
        '<a href="/errors/1007/"><span class="code-title__code">1007</span> Rate limit exceeded'
        in html
    )
    assert "Retry after 30 s, at " in html
    assert f'data-copy="{T1}"' in html
    # The fix first (1007 is the developer's to wait out), support second, both plain links.
    actions = found(r'<div class="actions">\s*(<a .*?)</div>\s*</article>', html)
    assert re.findall(r'<a class="([^"]*)" href="([^"]*)"[^>]*>([^<]*)</a>', actions) == [
        ("button button--primary", "/errors/1007/#how-to-fix-it", "How to fix 1007"),
        (
            "button",
            f"/support/new/?code=1007&amp;trace_id={T1}&amp;status=429&amp;from=diagnosis",
            "Contact support",
        ),
        ("button", share_link(html).replace("&", "&amp;"), "Share this diagnosis"),
    ]
    assert 'id="support-form"' not in html and 'action="/support/new/"' not in html
    assert 'data-retry-at="' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    box = found(r"<textarea[^>]*>(.*?)</textarea>", html)
    assert "&quot;trace_id&quot;: &quot;" + T1 in box  # the paste stays in the box


def test_htmx_post_returns_only_the_result(client):
    response = post_page(client, envelope(retry_after=30), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # The result only: not the paste box again (the feedback form's comment box is part of it).
    assert "<html" not in html and 'name="envelope"' not in html
    assert html.lstrip().startswith('<section id="diagnosis"')
    assert 'name="page" value="diagnosis:1007"' in html
    assert "1007" in html and T1 in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_empty_paste_says_so_with_200(client, headers):
    response = post_page(client, "   \n", **headers)
    assert response.status_code == 200
    assert "empty_input" in response.content.decode()
    assert "Nothing to diagnose" in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_oversized_paste_says_so_with_200(client, headers):
    response = post_page(client, "x" * (MAX_INPUT_BYTES + 1), **headers)
    assert response.status_code == 200
    assert "input_too_large" in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_pasted_html_is_shown_as_text(client, headers):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    paste = envelope(code=2004, status=401, message=payload)
    html = post_page(client, paste, **headers).content.decode()
    assert "<img src=x" not in html and "<script>alert" not in html
    assert (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
        in html
    )


def test_batch_summary_groups_by_code(client):
    html = post_page(client, CASES["NDJSON"].paste).content.decode()
    summary = html[html.index('class="batch-summary"') : html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", summary, re.S)
    assert "2004" in rows[1] and "<td>2</td>" in rows[1] and T1 in rows[1] and T2 in rows[1]
    assert "1007" in rows[2] and "<td>1</td>" in rows[2]
    # The two 401s differ only in their trace ids: one card, seen twice, with both ids.
    assert html.count('class="card diagnosis-card"') == 2
    card = html[html.index('class="card diagnosis-card"') : html.index("</article>")]
    assert "2 times in the paste" in card and T1 in card and T2 in card


def test_findings_are_grouped_by_level(client):
    paste = envelope(code="2004", status=400, message="Nope", trace_id="trace_abc123def456")
    html = post_page(client, paste).content.decode()
    card = html[html.index('class="diagnosis-card__findings"') :]
    assert card.index("badge--warning") < card.index("badge--info")
    for finding_id, words in (
        ("code_not_integer", "Code is not a number"),
        ("status_mismatch", "Status differs from the code's"),
        ("trace_id_malformed", "Trace id malformed"),
    ):
        assert f'<strong class="finding-label" data-finding="{finding_id}">{escape(words)}:' in card
    shown = re.sub(r"<[^>]+>", " ", card.split("</article>")[0])  # the text a reader sees
    assert not {"code_not_integer", "status_mismatch", "trace_id_malformed"} & set(shown.split())


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_every_case_renders(case, headers):
    response = Client().post(PAGE, {"envelope": case.paste}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in html) == (not headers)
    report = diagnose(case.paste)
    for finding in report.findings:
        assert finding_html(finding.id) in html
    for diagnosis in report.diagnoses:
        if diagnosis.code is not None:
            assert f'<span class="code-title__code">{diagnosis.code}</span>' in html
        for finding in diagnosis.findings:
            assert finding_html(finding.id) in html


def finding_html(finding_id: str) -> str:
    """A finding as the page shows it: its words, the id only as a data attribute."""
    label = escape(finding_label(finding_id))
    return f'<strong class="finding-label" data-finding="{finding_id}">{label}:</strong>'


def test_contact_support_is_a_link_and_the_paste_is_offered_masked_to_attach(client):
    html = post_page(client, TOKEN_PASTE).content.decode()
    links = re.findall(r'href="(/support/new/\?[^"]*)"', html)
    assert len(links) == 1  # one card, one link, and no form that posts the paste
    params = dict(parse_qsl(urlsplit(links[0].replace("&amp;", "&")).query))
    assert params == {
        "code": "1007",
        "trace_id": T1,
        "status": "429",
        "from": "diagnosis",
        "endpoint": "GET /api/partner/v3/chats",  # curl -i without -X or a body: a GET
    }
    assert TOKEN not in html.replace("[REDACTED]", "")
    assert 'method="post" action="/support/new/"' not in html
    offer = found(r"(<div class=\"attach-paste\" data-attach-paste-offer hidden>.*?</div>)", html)
    assert 'data-attach-paste-source="masked-paste"' in offer
    offered = found(r'<pre class="masked-paste" id="masked-paste"[^>]*>(.*?)</pre>', offer)
    assert "[REDACTED]" in offered and TOKEN not in offered
    assert "x-trace-id: " + T1 in offered


def test_contact_support_prefills_the_support_form(client):
    token = client.get(PAGE).cookies["csrftoken"].value
    paste = "HTTP/2 429\nretry-after: 30\n\n" + envelope(retry_after=30)
    fields = {"from_diagnosis": "1", "envelope": paste, "csrfmiddlewaretoken": token}
    html = client.post("/support/new/", fields).content.decode()
    assert T1 in html and "1007" in html


def test_nothing_to_attach_without_a_paste(client):
    html = post_page(client, "x" * (MAX_INPUT_BYTES + 1)).content.decode()
    assert 'id="masked-paste"' not in html


def test_page_post_needs_the_csrf_token(client):
    assert client.post(PAGE, {"envelope": "2004"}).status_code == 403


# --- Sharing --------------------------------------------------------------------------------------


def share_link(html: str) -> str:
    href = found(r'href="(/diagnose/shared/\?[^"]*)"[^>]*>Share this diagnosis', html)
    return href.replace("&amp;", "&")


def test_share_link_reproduces_the_diagnosis_from_the_url_alone(client):
    paste = envelope(retry_after=30, message="Slow down, Alice <b>now</b>")
    html = post_page(client, paste).content.decode()
    link = share_link(html)
    params = parse_qsl(urlsplit(link).query)
    assert {name for name, _ in params} <= {"code", "status", "trace_id", "retry_after", "finding"}
    assert ("code", "1007") in params and ("trace_id", T1) in params
    assert ("retry_after", "30") in params and ("finding", "message_mismatch") in params
    assert "Alice" not in link
    shared = Client().get(link)
    shared_html = shared.content.decode()
    assert shared.status_code == 200
    assert '<span class="code-title__code">1007</span> Rate limit exceeded' in shared_html
    assert T1 in shared_html and "Retry after 30 s." in shared_html
    assert finding_html("message_mismatch") in shared_html
    assert "Alice" not in shared_html
    assert '<meta name="robots" content="noindex">' in shared_html
    assert (
        f'href="/support/new/?code=1007&amp;trace_id={T1}&amp;status=429&amp;from=diagnosis"'
        in shared_html
    )


def test_share_link_never_carries_a_secret(client):
    html = post_page(client, TOKEN_PASTE).content.decode()
    assert TOKEN not in share_link(html)


def test_an_empty_share_link_is_a_404():
    response = Client().get("/diagnose/shared/", {"code": "<script>", "finding": "x"})
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_shared_diagnosis_of_an_unknown_code():
    response = Client().get("/diagnose/shared/", {"code": "1999", "finding": "unknown_code"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown code" in html and "1xxx" in html


# --- The API --------------------------------------------------------------------------------------


def api_post(client, body, content_type="application/json", **extra):
    return client.post(API, data=body, content_type=content_type, **extra)


def test_api_answers_the_spec_json_without_csrf(client):
    response = api_post(client, envelope(retry_after=30))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == diagnose(envelope(retry_after=30)).as_dict()
    assert response.json()["diagnoses"][0]["retry"] == {
        "verdict": "yes",
        "after_seconds": 30,
        "schedule_seconds": None,
    }


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_api_reads_the_raw_body_whatever_its_type(client, content_type):
    response = api_post(client, "2004", content_type=content_type)
    assert response.json()["input_kind"] == "code"


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_api_every_case(client, case):
    body = case.paste.encode("utf-8", errors="surrogatepass")
    response = api_post(client, body)
    assert response.status_code == case.status
    assert response.json() == diagnose(case.paste).as_dict()


def test_api_empty_is_400(client):
    response = api_post(client, "")
    assert response.status_code == 400
    assert [f["id"] for f in response.json()["findings"]] == ["empty_input"]


def test_api_too_large_is_413(client):
    response = api_post(client, "x" * (MAX_INPUT_BYTES + 1))
    assert response.status_code == 413
    assert response.json() == {
        "input_kind": "unrecognized",
        "findings": [
            {
                "id": "input_too_large",
                "level": "error",
                "message": FINDINGS["input_too_large"][1],
            }
        ],
        "diagnoses": [],
        "count": 0,
        "error_count": 0,
        "truncated": False,
    }


def test_api_trusts_a_declared_length_past_the_limit(client):
    response = api_post(client, "2004", CONTENT_LENGTH=str(MAX_INPUT_BYTES + 10))
    assert response.status_code == 413


def test_api_exactly_at_the_limit_is_read(client):
    body = "2004" + " " * (MAX_INPUT_BYTES - 4)
    assert api_post(client, body).status_code == 200


def test_api_invalid_utf8_is_read_anyway(client):
    response = api_post(
        client, b'{"error": {"code": 2004, "message": "\xff\xfe"}, "success": false}'
    )
    assert response.status_code == 200
    assert response.json()["diagnoses"][0]["code"] == 2004


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_api_only_accepts_post(client, method):
    response = getattr(client, method)(API)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.json()
    assert body["success"] is False
    assert body["error"]["status"] == 405
    assert body["error"]["code"] == "method_not_allowed"
    assert body["trace_id"] == response["X-Trace-ID"]


# --- Secrets --------------------------------------------------------------------------------------


def test_a_bearer_token_appears_in_no_output(client, caplog):
    caplog.set_level(logging.DEBUG)
    page = post_page(client, TOKEN_PASTE)
    fragment = post_page(client, TOKEN_PASTE, **HTMX)
    api = api_post(client, TOKEN_PASTE)
    shared = Client().get(share_link(page.content.decode()))
    for response in (page, fragment, api, shared):
        assert response.status_code == 200
        assert TOKEN.encode() not in response.content
        assert all(TOKEN not in value for _, value in response.items())
    assert "secret_redacted" in page.content.decode()
    assert "[REDACTED]" in page.content.decode()
    assert json.loads(api.content)["findings"][0]["id"] == "secret_redacted"
    assert caplog.records  # the request log ran, and holds no token
    assert TOKEN not in caplog.text
    assert all(TOKEN not in str(record.__dict__) for record in caplog.records)


@pytest.mark.parametrize("view", ["page", "api"])
def test_an_error_report_never_shows_the_paste(view, settings, monkeypatch):
    settings.DEBUG = False  # what production error e-mails and logs are made from

    def explode(text, **options):
        raise RuntimeError("the diagnosis failed")

    monkeypatch.setattr(views, "diagnose", explode)
    # The API: beneath diagnose_bytes().
    monkeypatch.setattr("diagnose.engine.reader.diagnose", explode)
    factory = RequestFactory()
    request: HttpRequest
    if view == "page":
        request = page_request = cast(SiteRequest, factory.post(PAGE, {"envelope": TOKEN_PASTE}))
        page_request.htmx = HtmxDetails(page_request)
    else:
        request = factory.post(API, TOKEN_PASTE, content_type="text/plain")
    with pytest.raises(RuntimeError) as failure:
        getattr(views, view)(request)
    report = ExceptionReporter(request, failure.type, failure.value, failure.tb)
    assert "the diagnosis failed" in report.get_traceback_text()
    assert TOKEN not in report.get_traceback_text()
    assert TOKEN not in report.get_traceback_html()
