"""POST /feedback/: one "Was this helpful?" answer.

Without JavaScript the form posts and is redirected back to the page it came from, which thanks
the reader (post/redirect/get: reloading or going Back never posts again). With htmx the answer
replaces the form in place. A rejected answer keeps what the reader typed; so does a failed
save (`linqdocs.unsaved.keeps_input`: 503, logged with the trace id, never a 500).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from feedback import pages
from feedback.forms import VoteForm
from feedback.masking import mask
from feedback.models import Vote
from linqdocs import ratelimit
from linqdocs.requests import SiteRequest
from linqdocs.unsaved import keeps_input, unsaved_notice

THANKS_PARAM = "feedback"


def _answer(request: SiteRequest, context: dict, status: int) -> HttpResponse:
    # htmx swaps only 2xx answers: in place, a refusal is a form with its message, status 200.
    if request.htmx:
        response = render(request, "feedback/_form.html", context)
    else:
        response = render(request, "feedback/page.html", context, status=status)
    add_never_cache_headers(response)
    return response


def _from_another_site(request: HttpRequest) -> bool:
    return request.headers.get("Sec-Fetch-Site", "") == "cross-site"


def _unsaved(request: SiteRequest) -> HttpResponse:
    """Storage (the database, or the cache that counts answers) failed: the form again with the
    comment as typed, and the answer as text to e-mail instead. keeps_input logs the failure
    and makes this a 503; site.js swaps that answer in place too."""
    form = VoteForm(request.POST)
    page = pages.resolve(request.POST.get("page", ""))
    fields = [
        ("Page", page.title if page else ""),
        ("Was this helpful?", request.POST.get("helpful", "")),
        ("Comment", mask(request.POST.get("comment", ""))),  # echoed as it would be stored
    ]
    context = {
        "form": form,
        "rated": page,
        "feedback_page": page.key if page else "",
        "unsaved": unsaved_notice("feedback", fields),
    }
    return _answer(request, context, 503)


# No CSRF token: the answer is anonymous and acts on no one's behalf, so there is nothing to forge
# that a direct POST could not do; and a token in the markup would make every code page and guide
# uncacheable. Browsers that say so (Sec-Fetch-Site) may not answer from another site's form.
@csrf_exempt
@require_POST
@keeps_input(_unsaved)
def vote(request: SiteRequest) -> HttpResponse:
    if _from_another_site(request):
        return HttpResponse(
            "Answers are accepted from this site's own pages only.",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    form = VoteForm(request.POST)
    page = pages.resolve(request.POST.get("page", ""))
    context = {"form": form, "rated": page, "feedback_page": page.key if page else ""}
    if page is None:
        context["problem"] = "This answer does not name a page that can be rated."
        return _answer(request, context, 400)
    if not form.is_valid():
        return _answer(request, context, 400)

    decision = ratelimit.hit(
        "feedback",
        ratelimit.client_address(request),
        ratelimit.configured_rate("FEEDBACK_RATE_LIMIT"),
    )
    if not decision.allowed:
        minutes = max(1, round(decision.retry_after / 60))
        context["problem"] = (
            f"Thank you, but that is a lot of answers from here: try again in about "
            f"{minutes} minute{'s' if minutes != 1 else ''}."
        )
        response = _answer(request, context, 429)
        response["Retry-After"] = str(decision.retry_after)
        return response

    Vote.objects.create(
        page=page.key,
        helpful=form.cleaned_data["helpful"] == "yes",
        comment=mask(form.cleaned_data["comment"]).strip(),
    )

    if request.htmx:
        return render(request, "feedback/_thanks.html", {"rated": page})
    return redirect(f"{page.url}?{THANKS_PARAM}=thanks#feedback")
