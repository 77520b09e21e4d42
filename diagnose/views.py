"""The diagnosis page, its JSON API and shared diagnoses (SPEC §5).

The paste is diagnosed in memory by `diagnose.engine` and never stored or logged: the request
log line holds method, path and status only, and responses that show a paste are `no-store`.
Should anything fail, Django's error report shows neither the posted paste nor the local variables
of any frame beneath these views (`sensitive_post_parameters`, `sensitive_variables`).
"""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from diagnose.engine import (
    MAX_INPUT_BYTES,
    Report,
    diagnose,
    diagnose_bytes,
    oversized_report,
    shared_diagnosis,
)
from diagnose.examples import examples
from diagnose.presentation import present_diagnosis, present_report
from linqdocs.errorpages import JSON_DUMPS, api_envelope
from linqdocs.requests import SiteRequest


def _read_paste(request: HttpRequest) -> str | None:
    """The form's paste, or None when the post was too big to read at all."""
    try:
        return request.POST.get("envelope", "")
    except (RequestDataTooBig, UnreadablePostError):
        return None


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("envelope")
@sensitive_variables()
def page(request: SiteRequest) -> HttpResponse:
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
        chosen = next((e for e in available if e.slug == request.GET.get("example")), None)
        envelope = chosen.text if chosen else ""
    context = {
        "section": "diagnose",
        "examples": available,
        "envelope": envelope,
        "report": report,
        "view": present_report(report) if report else None,
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
    context = {
        "section": "diagnose",
        "diagnosis": diagnosis,
        "card": present_diagnosis(diagnosis, shared=True) if diagnosis else None,
    }
    return render(request, "diagnose/shared.html", context, status=200 if diagnosis else 404)
