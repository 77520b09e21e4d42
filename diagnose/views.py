"""The diagnosis page, its JSON API and shared diagnoses (SPEC §5).

The paste is diagnosed in memory by `diagnose.engine` and never stored or logged: the request
log line holds method, path and status only, and responses that show a paste are `no-store`.
Should anything fail, Django's error report shows neither the posted paste nor the local variables
of any frame beneath these views (`sensitive_post_parameters`, `sensitive_variables`).
"""

from datetime import datetime, timedelta

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from diagnose.engine import (
    KIND_LABELS,
    MAX_INPUT_BYTES,
    Report,
    diagnose,
    diagnose_bytes,
    oversized_report,
    shared_diagnosis,
)
from linqdocs.errorpages import JSON_DUMPS, api_envelope


def examples(now: datetime) -> list[dict]:
    """A few realistic pastes, dated now so that their retry times lie ahead."""
    date = now.strftime("%a, %d %b %Y %H:%M:%S GMT")
    stamp = (now - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%S")
    return [
        {
            "slug": "rate-limited",
            "label": "429 from curl -i",
            "text": (
                "HTTP/2 429\n"
                f"date: {date}\n"
                "content-type: application/json\n"
                "retry-after: 30\n"
                "x-trace-id: 2eff5df5c6f688733c007523c4d61cd9\n"
                "\n"
                '{"success":false,"error":{"status":429,"code":1007,'
                '"message":"Rate limit exceeded","retry_after":30,'
                '"doc_url":"https://docs.linqapp.com/error/codes/1xxx/1007/"},'
                '"trace_id":"2eff5df5c6f688733c007523c4d61cd9"}\n'
            ),
        },
        {
            "slug": "unauthorized",
            "label": "401 envelope",
            "text": (
                "{\n"
                '  "success": false,\n'
                '  "error": {\n'
                '    "status": 401,\n'
                '    "code": 2004,\n'
                '    "message": "Unauthorized - missing or invalid authentication token"\n'
                "  },\n"
                '  "trace_id": "0af7651916cd43dd8448eb211c80319c"\n'
                "}\n"
            ),
        },
        {
            "slug": "log-lines",
            "label": "Log lines",
            "text": (
                f"{stamp}.118Z INFO  sending message chat=5f1c… parts=1\n"
                f"{stamp}.402Z ERROR linq request failed: "
                '{"success":false,"error":{"status":500,"code":3002,'
                '"message":"Server operation failed"},'
                '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}\n'
                f"{stamp}.913Z ERROR linq request failed: "
                '{"success":false,"error":{"status":500,"code":3002,'
                '"message":"Server operation failed"},'
                '"trace_id":"7d1e4c2b9a8f4e3d2c1b0a9f8e7d6c5b"}\n'
                f"{stamp}.990Z ERROR linq request failed: "
                '{"success":false,"error":{"status":409,"code":"2009",'
                '"message":"The chat is still being created"}}\n'
            ),
        },
        {
            "slug": "webhook",
            "label": "message.failed webhook",
            "text": (
                "{\n"
                '  "event_id": "evt_01JD2K8Q3V7X",\n'
                '  "event_type": "message.failed",\n'
                f'  "created_at": "{stamp}Z",\n'
                '  "trace_id": "9c2f0e7a5b3d4c1e8f6a2b0d4e6c8a1f",\n'
                '  "data": {\n'
                '    "chat_id": "a6e0b4f2-3c1d-4e5f-8a9b-0c1d2e3f4a5b",\n'
                '    "message_id": "b7f1c5a3-4d2e-4f6a-9b0c-1d2e3f4a5b6c",\n'
                '    "code": 4002,\n'
                '    "message": "Phone not available"\n'
                "  }\n"
                "}\n"
            ),
        },
        {
            "slug": "legacy-v2",
            "label": "Legacy V2 error",
            "text": (
                '{"errors":[{"status":404,"code":"not_found","title":"Not Found",'
                '"detail":"Chat not found"}]}\n'
            ),
        },
        {"slug": "code", "label": "Just a code", "text": "2009"},
    ]


def _read_paste(request: HttpRequest) -> str | None:
    """The form's paste, or None when the post was too big to read at all."""
    try:
        return request.POST.get("envelope", "")
    except (RequestDataTooBig, UnreadablePostError):
        return None


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("envelope")
@sensitive_variables()
def page(request: HttpRequest) -> HttpResponse:
    """GET: the paste form (`?example=<slug>` fills it). POST: the diagnosis, as a fragment
    for htmx and as the whole page otherwise; always 200 so that htmx swaps it in."""
    now = timezone.now()
    available = examples(now)
    report: Report | None = None
    envelope = ""
    if request.method == "POST":
        paste = _read_paste(request)
        report = oversized_report() if paste is None else diagnose(paste, now=now)
        envelope = report.redacted_text  # what the box shows again: secrets masked
    else:
        chosen = next((e for e in available if e["slug"] == request.GET.get("example")), None)
        envelope = chosen["text"] if chosen else ""
    context = {
        "section": "diagnose",
        "examples": available,
        "envelope": envelope,
        "report": report,
        "kind_label": KIND_LABELS.get(report.input_kind, "") if report else "",
        "max_kib": MAX_INPUT_BYTES // 1024,
    }
    template = "diagnose/page.html"
    if request.method == "POST" and request.htmx:
        template += "#result"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if report is not None:
        add_never_cache_headers(response)
    return response


@csrf_exempt  # a JSON API for tools: no cookies are read, nothing changes on the server
@sensitive_variables()
def api(request: HttpRequest) -> JsonResponse:
    """POST the paste as the raw request body; the answer is the JSON of SPEC §5."""
    if request.method != "POST":
        response = api_envelope(
            request,
            405,
            "method_not_allowed",
            "POST the pasted text as the raw request body to diagnose it.",
        )
        response["Allow"] = "POST"
        return response
    declared = request.META.get("CONTENT_LENGTH", "")
    if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        report = oversized_report()  # not read at all
    else:
        report = diagnose_bytes(request.read(MAX_INPUT_BYTES + 1))
    response = JsonResponse(
        report.as_dict(), status=report.status_code, json_dumps_params=JSON_DUMPS
    )
    add_never_cache_headers(response)
    return response


@require_GET
def shared(request: HttpRequest) -> HttpResponse:
    """A diagnosis rebuilt from its link alone: code, status, trace id, retry_after, finding ids."""
    diagnosis = shared_diagnosis(request.GET, request.GET.getlist("finding"))
    context = {"section": "diagnose", "diagnosis": diagnosis}
    return render(request, "diagnose/shared.html", context, status=200 if diagnosis else 404)
