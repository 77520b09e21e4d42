from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from errors.loading import get_catalogue
from linqdocs import ratelimit
from linqdocs.httppolicy import allow, private, too_large_answer
from linqdocs.unsaved import keeps_input, unsaved_notice
from support import desk, prefill, tickets
from support.forms import FORM_TOKEN, AnswerForm, SupportRequestForm, new_form_token
from support.models import Ticket, TicketMessage, new_reference


def _page(
    request: HttpRequest, form: SupportRequestForm, *, status: int = 200, **context: object
) -> HttpResponse:
    form.mask_echo()  # what the page shows again never holds a secret
    return render(
        request, "support/new.html", {"form": form, "section": "support", **context}, status=status
    )


def _fresh_form(initial: dict) -> SupportRequestForm:
    return SupportRequestForm(initial={**initial, "form_token": new_form_token()})


def _too_large(request: HttpRequest) -> HttpResponse:
    """A post bigger than Django will read: answered before CSRF reads it, nothing kept."""
    return _page(
        request,
        _fresh_form({}),
        status=413,
        page_error=(
            "That was more than this form accepts. Keep the pasted text under 64 KiB and the "
            "description under 10,000 characters, then send it again."
        ),
    )


# What the person typed, in the form's order (SPEC §6 field names).
TYPED_FIELDS = (
    "email",
    "name",
    "trace_id",
    "error_code",
    "http_status",
    "environment",
    "endpoint",
    "subject",
    "description",
    "envelope",
)


def _unsaved(request: HttpRequest) -> HttpResponse:
    """Storage failed while sending: the form again as it was typed (same form token, so sending it
    again cannot make two tickets), and the same text ready to e-mail to support instead."""
    form = SupportRequestForm(request.POST)
    form.mask_echo()  # the text to e-mail is masked as the form is
    fields = [(str(form[name].label), form.data.get(name, "")) for name in TYPED_FIELDS]
    return _page(request, form, unsaved=unsaved_notice("support request", fields))


@allow("GET", "POST")
@private  # a CSRF cookie, and perhaps a pasted error
@too_large_answer(_too_large)
@keeps_input(_unsaved)
def new(request: HttpRequest) -> HttpResponse:
    """The support request form: prefilled (GET with params, or POST of a paste), then sent."""
    if request.method in ("GET", "HEAD"):
        filled = prefill.from_query(request.GET)
        return _page(request, _fresh_form(filled.initial), prefill=filled)

    if request.POST.get("from_diagnosis") == "1" and "form_token" not in request.POST:
        # Arriving from the diagnosis page with the paste: diagnose it again and prefill.
        filled = prefill.from_paste(request.POST.get("envelope", ""))
        return _page(request, _fresh_form(filled.initial), prefill=filled)

    form = SupportRequestForm(request.POST)
    if form.honeypot_filled:
        # Look exactly like success to whatever filled the hidden field; store nothing.
        decoy = Ticket(reference=new_reference(), subject=request.POST.get("subject", "")[:200])
        decoy.mask_secrets()
        return _done_page(request, decoy, decoy=True)

    token = request.POST.get("form_token", "")
    if FORM_TOKEN.fullmatch(token):
        existing = Ticket.objects.filter(form_token=token).only("public_token").first()
        if existing is not None:
            return redirect("support:done", token=existing.public_token)

    if not form.is_valid():
        if "form_token" in form.errors:
            data = request.POST.copy()
            data["form_token"] = new_form_token()
            form.data = data
        return _page(request, form)

    decision = ratelimit.hit(
        "support",
        ratelimit.client_address(request),
        ratelimit.configured_rate("SUPPORT_RATE_LIMIT"),
    )
    if not decision.allowed:
        minutes = -(-decision.retry_after // 60)
        response = _page(
            request,
            form,
            status=429,
            page_error=(
                "You have sent several requests in a short time, so this one was not sent yet. "
                f"Everything you typed is still here: send it again in about {minutes} "
                f"minute{'s' if minutes != 1 else ''}."
            ),
        )
        response["Retry-After"] = str(decision.retry_after)
        return response

    ticket, _created = tickets.submit(form.cleaned_data)
    return redirect("support:done", token=ticket.public_token)


def _done_page(
    request: HttpRequest,
    ticket: Ticket,
    *,
    decoy: bool = False,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    **context: object,
) -> HttpResponse:
    entry = get_catalogue().get(ticket.error_code) if ticket.error_code is not None else None
    category = (
        get_catalogue().category_for_number(ticket.error_code)
        if ticket.error_code is not None
        else None
    )
    response = render(
        request,
        "support/done.html",
        {
            "ticket": ticket,
            "entry": entry,
            "category": category,
            "decoy": decoy,
            "thread": [] if decoy else desk.public_thread(ticket),
            "answer_form": answer_form or AnswerForm(initial={"form_token": new_form_token()}),
            "section": "support",
            **context,
        },
        status=status,
    )
    # The URL is the only key to this page: never send it to another site in a Referer, never
    # index it. "same-origin" rather than "no-referrer": with no referrer at all, browsers post
    # the answer form with "Origin: null", which CSRF protection rightly refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer_unsaved(request: HttpRequest, token: str) -> HttpResponse:
    """Storage failed while answering: the page again, the answer as typed in its form (same
    form token, so sending it again stores it once) and ready to e-mail instead. The page itself
    needs the database; if even that fails, the failure is Django's 500."""
    ticket = get_object_or_404(Ticket, public_token=token)
    form = AnswerForm(request.POST)
    notice = unsaved_notice(
        "answer",
        [("Request", ticket.reference), ("Your answer", request.POST.get("message", ""))],
    )
    return _done_page(request, ticket, answer_form=form, unsaved=notice)


@allow("GET", "POST")
@private  # to whoever holds the URL: what was sent, the thread, a form to answer
@keeps_input(_answer_unsaved)
def done(request: HttpRequest, token: str) -> HttpResponse:
    """The request's own page, at an URL only the person who sent it knows: what was sent, its
    status, support's replies, and a form to answer."""
    ticket = get_object_or_404(Ticket, public_token=token)
    if request.method != "POST":
        return _done_page(request, ticket, answered=request.GET.get("answered") == "1")
    return _answer(request, ticket)


def _answer(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    page_url = reverse("support:done", args=[ticket.public_token])
    form = AnswerForm(request.POST)
    token = request.POST.get("form_token", "")
    if FORM_TOKEN.fullmatch(token) and TicketMessage.objects.filter(form_token=token).exists():
        return redirect(f"{page_url}?answered=1#thread")  # a double submit: stored once
    if not form.is_valid():
        if "form_token" in form.errors:
            data = request.POST.copy()
            data["form_token"] = new_form_token()
            form.data = data
        return _done_page(request, ticket, answer_form=form)
    decision = ratelimit.hit(
        "support-answer",
        ratelimit.client_address(request),
        ratelimit.configured_rate("SUPPORT_RATE_LIMIT"),
    )
    if not decision.allowed:
        minutes = -(-decision.retry_after // 60)
        response = _done_page(
            request,
            ticket,
            answer_form=form,
            status=429,
            answer_error=(
                "You have sent several messages in a short time, so this one was not sent yet. "
                f"Your text is still here: send it again in about {minutes} "
                f"minute{'s' if minutes != 1 else ''}."
            ),
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    desk.add_answer(
        ticket,
        form.cleaned_data["message"],
        form_token=form.cleaned_data["form_token"],
        base_url=request.build_absolute_uri("/"),
    )
    return redirect(f"{page_url}?answered=1#thread")
