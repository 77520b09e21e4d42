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
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from diagnose.engine import (
    MAX_INPUT_BYTES,
    Report,
    diagnose,
    diagnose_bytes,
    oversized_report,
    shared_diagnosis,
)
from diagnose.engine.redaction import redact_secrets
from diagnose.examples import examples
from diagnose.presentation import present_diagnosis, present_report
from linqdocs import ratelimit
from linqdocs.errorpages import JSON_DUMPS, api_envelope
from linqdocs.httppolicy import allow, private, read_body, revalidated, too_large_answer
from linqdocs.requests import SiteRequest


def _rate_limited(request: HttpRequest) -> ratelimit.Decision:
    """Count this diagnosis against DIAGNOSE_RATE_LIMIT, per client, page and API together."""
    rate = ratelimit.configured_rate("DIAGNOSE_RATE_LIMIT")
    return ratelimit.hit("diagnose", ratelimit.client_address(request), rate)


def _limit_message(retry_after: int, now: datetime) -> str:
    wait = f"{retry_after} s" if retry_after < 120 else f"{-(-retry_after // 60)} min"
    at = (now + timedelta(seconds=retry_after)).strftime("%H:%M:%S UTC")
    return (
        "Many pastes were diagnosed from your address in a short time, so this one was not. "
        f"Your paste is still in the box (secrets masked): try again in about {wait}, at {at}."
    )


def _read_paste(request: HttpRequest) -> str | None:
    """The form's paste, or None when the post was too big to read at all."""
    try:
        return request.POST.get("envelope", "")
    except (RequestDataTooBig, UnreadablePostError):
        return None


def _too_large(request: SiteRequest) -> HttpResponse:
    """A form post past DATA_UPLOAD_MAX_MEMORY_SIZE, answered before CSRF would read it: the page
    with the oversized paste's own finding (413; 200 for htmx, which swaps only 2xx)."""
    report = oversized_report()
    context = {
        "section": "diagnose",
        "examples": examples(timezone.now()),
        "envelope": "",
        "report": report,
        "view": present_report(report),
        "max_kib": MAX_INPUT_BYTES // 1024,
    }
    template = "diagnose/page.html#result" if request.htmx else "diagnose/page.html"
    response = render(request, template, context, status=200 if request.htmx else 413)
    patch_vary_headers(response, ["HX-Request"])
    return response


@allow("GET", "POST")
@private  # a CSRF cookie and token on every render, the paste on a POST
@too_large_answer(_too_large)
@sensitive_post_parameters("envelope")
@sensitive_variables()
def page(request: SiteRequest) -> HttpResponse:
    """GET: the paste form (`?example=<slug>` fills it). POST: the diagnosis, as a fragment
    for htmx and as the whole page otherwise; 200 so that htmx swaps it in, or 429 past
    DIAGNOSE_RATE_LIMIT with the paste kept (diagnose.js swaps that answer in too)."""
    now = timezone.now()
    available = examples(now)
    report: Report | None = None
    envelope = ""
    limited: ratelimit.Decision | None = None
    if request.method == "POST":
        paste = _read_paste(request)
        decision = _rate_limited(request)
        if not decision.allowed:
            limited = decision
            envelope = redact_secrets(paste or "")[0]  # kept, as the box always shows it: masked
        else:
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
        "limited": _limit_message(limited.retry_after, now) if limited else None,
        "max_kib": MAX_INPUT_BYTES // 1024,
    }
    template = "diagnose/page.html"
    if request.method == "POST" and request.htmx:
        template += "#result"
    response = render(request, template, context, status=429 if limited else 200)
    patch_vary_headers(response, ["HX-Request"])
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


@csrf_exempt  # a JSON API for tools: no cookies are read, nothing changes on the server
@private  # the answer repeats what was pasted
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
    decision = _rate_limited(request)
    if not decision.allowed:
        response = api_envelope(
            request,
            429,
            "rate_limited",
            f"Too many diagnoses from this client; retry after {decision.retry_after} s.",
            retry_after=decision.retry_after,
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    declared = request.META.get("CONTENT_LENGTH", "")
    if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        report = oversized_report()  # not read at all
    else:
        body = read_body(request, MAX_INPUT_BYTES + 1)
        if body is None:
            return api_envelope(
                request,
                411,
                "length_required",
                "This server could not read a chunked body: send the paste with a Content-Length.",
            )
        report = diagnose_bytes(body)
    return JsonResponse(report.as_dict(), status=report.status_code, json_dumps_params=JSON_DUMPS)


@revalidated()
def shared(request: HttpRequest) -> HttpResponse:
    """A diagnosis rebuilt from its link alone: code, status, trace id, retry_after, finding ids."""
    diagnosis = shared_diagnosis(request.GET, request.GET.getlist("finding"))
    context = {
        "section": "diagnose",
        "diagnosis": diagnosis,
        "card": present_diagnosis(diagnosis, shared=True) if diagnosis else None,
    }
    return render(request, "diagnose/shared.html", context, status=200 if diagnosis else 404)
