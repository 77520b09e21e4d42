"""The support request form. Field names are public (SPEC §6): links and tools post to them."""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from diagnose.engine import MAX_INPUT_BYTES
from errors.loading import get_catalogue
from errors.traceids import INVALID_TRACE_ID, TRACE_ID, normalise_trace_id
from support.models import Ticket

MAX_DESCRIPTION_CHARS = 10_000
MAX_TRACE_IDS = 20

FORM_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
TRACE_ID_HELP = (
    "32 hexadecimal characters, e.g. 2eff5df5c6f688733c007523c4d61cd9. It is in the X-Trace-ID "
    "response header and in the trace_id field of the error body. Several? Separate them with "
    "commas or spaces."
)


# What support needs answered: the description's placeholder and help, never its text.
DESCRIPTION_QUESTIONS = (
    "What happened, and what you expected instead.\n"
    "When it happened (UTC), as exact as you have it.\n"
    "The endpoint and what you sent (method, path, body; leave out the API key).\n"
    "What changed recently: a deploy, configuration, traffic volume, a phone line, or nothing.\n"
    "What you already tried."
)


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def parse_trace_ids(text: str) -> list[str]:
    """Trace ids from what a person typed: lower-cased, de-duplicated, in the order given.

    A pasted `traceparent` value (00-<trace id>-<span id>-01) is accepted and reduced to its
    trace id, because that is where many tracing tools show it. Raises ValidationError naming
    the first thing that is not a trace id.
    """
    found: list[str] = []
    for item in re.split(r"[\s,;]+", text.strip()):
        item = normalise_trace_id(item)
        if not item:
            continue
        if not TRACE_ID.fullmatch(item):
            shown = item if len(item) <= 48 else item[:45] + "…"
            raise ValidationError(
                "“%(value)s” is not a trace id. A Linq trace id is exactly 32 characters of "
                "0-9 and a-f (%(length)s given). Copy it from the X-Trace-ID response header "
                "or the trace_id field of the error body.",
                code="trace_id_malformed",
                params={"value": shown, "length": len(item)},
            )
        if item == INVALID_TRACE_ID:
            raise ValidationError(
                "An all-zero trace id is never issued by Linq; copy the X-Trace-ID header of "
                "the failing response.",
                code="trace_id_zero",
            )
        if item not in found:
            found.append(item)
    if len(found) > MAX_TRACE_IDS:
        raise ValidationError(
            "At most %(max)s trace ids, please; pick those of the failures that matter most.",
            code="trace_id_too_many",
            params={"max": MAX_TRACE_IDS},
        )
    return found


def normalise_newlines(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF; store and read them as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class SupportRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail",
        max_length=254,
        help_text="Support answers here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter the e-mail address support should answer to.",
            "invalid": "Enter an e-mail address such as dev@example.com.",
        },
    )
    name = forms.CharField(
        label="Your name",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    trace_id = forms.CharField(
        label="Trace id",
        max_length=2000,
        required=False,
        help_text=TRACE_ID_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    error_code = forms.CharField(
        label="Error code",
        max_length=20,
        required=False,
        help_text="The number in error.code, e.g. 1007.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    http_status = forms.CharField(
        label="HTTP status",
        max_length=20,
        required=False,
        help_text="e.g. 429.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    environment = forms.ChoiceField(
        label="Environment",
        required=False,
        choices=[("", "Not sure"), *Ticket.Environment.choices],
        error_messages={"invalid_choice": "Choose sandbox, production or not sure."},
    )
    endpoint = forms.CharField(
        label="Endpoint",
        max_length=200,
        required=False,
        help_text="Method and path, e.g. POST /v3/chats.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        error_messages={"required": "Give the request a short subject."},
    )
    description = forms.CharField(
        label="What happened",
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "placeholder": DESCRIPTION_QUESTIONS}),
        help_text=(
            "Say when it happened, what you sent, what changed recently (a deploy, "
            "configuration, traffic, a phone line) and what you already tried. Never include "
            "your API key."
        ),
        error_messages={
            "required": "Describe what happened, so support can reproduce it.",
            "max_length": (
                f"Keep the description under {MAX_DESCRIPTION_CHARS:,} characters (it has "
                "%(show_value)d); paste long logs into the error box instead."
            ),
        },
    )
    envelope = forms.CharField(
        label="Pasted error (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=(
            "The error response or log lines, up to 64 KiB (from a diagnosis, paste it here "
            "again). API keys and bearer tokens are masked before anything is stored."
        ),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # A field people never see; bots that fill every input give themselves away.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_trace_id(self) -> list[str]:
        return parse_trace_ids(self.cleaned_data["trace_id"])

    def clean_error_code(self) -> int | None:
        text = self.cleaned_data["error_code"].strip()
        if not text:
            return None
        if not re.fullmatch(r"\d{1,6}", text):
            raise ValidationError(
                "Enter the code as a number, such as 1007 (the error.code of the response). "
                "Leave it empty if you have none.",
                code="error_code_not_number",
            )
        code = int(text)
        first, last = get_catalogue().number_range
        if not first <= code <= last:
            raise ValidationError(
                "Linq error codes run from %(first)s to %(last)s, so %(code)s is not one. Is it "
                "the HTTP status? That goes in the field below.",
                code="error_code_out_of_range",
                params={"first": first, "last": last, "code": code},
            )
        return code

    def clean_http_status(self) -> int | None:
        text = self.cleaned_data["http_status"].strip()
        if not text:
            return None
        if not re.fullmatch(r"\d{3}", text) or not 100 <= int(text) <= 599:
            raise ValidationError(
                "An HTTP status is a number from 100 to 599, such as 429.",
                code="http_status_invalid",
            )
        return int(text)

    def clean_endpoint(self) -> str:
        return _one_line(self.cleaned_data["endpoint"])

    def clean_subject(self) -> str:
        # One line: the subject becomes an e-mail subject header.
        return _one_line(self.cleaned_data["subject"])

    def clean_name(self) -> str:
        return _one_line(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return normalise_newlines(self.cleaned_data["description"])

    def clean_envelope(self) -> str:
        text = normalise_newlines(self.cleaned_data["envelope"])
        size = len(text.encode("utf-8"))
        if size > MAX_INPUT_BYTES:
            raise ValidationError(
                "The pasted text is %(size)s KiB; the limit is %(limit)s KiB. Keep the error "
                "response and the lines around it.",
                code="envelope_too_large",
                params={"size": -(-size // 1024), "limit": MAX_INPUT_BYTES // 1024},
            )
        return text

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        if not FORM_TOKEN.fullmatch(token):
            raise ValidationError(
                "This form could not be matched to a page we sent. Check the fields and send "
                "it again.",
                code="form_token_invalid",
            )
        return token

    def mask_echo(self) -> None:
        """Mask secrets in what a re-rendered form shows again (after an error, a 429): the
        same masking, across the same fields, as a stored ticket gets."""
        if not self.is_bound:
            return
        echo = Ticket(**{name: self.data.get(name, "") for name in Ticket.MASKED_FIELDS})
        if echo.mask_secrets():
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            for name in Ticket.MASKED_FIELDS:
                if name in data:
                    data[name] = getattr(echo, name)
            self.data = data

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())


class AnswerForm(forms.Form):
    """The developer's answer on their request's page."""

    message = forms.CharField(
        label="Your answer",
        max_length=MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Support gets it by e-mail. Never include your API key: keys are masked anyway.",
        error_messages={
            "required": "Write your answer before sending it.",
            "max_length": (
                f"Keep the answer under {MAX_DESCRIPTION_CHARS:,} characters (it has "
                "%(show_value)d)."
            ),
        },
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def clean_message(self) -> str:
        return normalise_newlines(self.cleaned_data["message"]).strip()

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        if not FORM_TOKEN.fullmatch(token):
            raise ValidationError(
                "This answer could not be matched to the page we sent; send it again.",
                code="form_token_invalid",
            )
        return token
