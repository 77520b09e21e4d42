"""The pages a reader can rate, named by a short key that a vote stores instead of a URL.

    code:1007        the reference page of code 1007
    guide:retries    a guide
    diagnosis:1007   a diagnosis whose (first) error was 1007
    diagnosis:words  a diagnosis of a description in words (the codes its words match)
    diagnosis:no-answer  a gateway's page, an empty 5xx or a call that got no answer
    diagnosis:trace-id   a trace id alone
    diagnosis        any other diagnosis that named no code

Only keys that name something that exists are accepted, so the report cannot fill with made-up
pages.
"""

import re
from dataclasses import dataclass

from django.urls import reverse

from errors.loading import get_catalogue

KEY = re.compile(r"(?P<kind>code|guide|diagnosis)(?::(?P<name>[a-z0-9-]{1,40}))?")


# Diagnoses that name no code, by what was pasted.
DIAGNOSES_WITHOUT_CODE = {
    "words": "Diagnosis of a description in words",
    "no-answer": "Diagnosis of a gateway page or a call with no answer",
    "trace-id": "Diagnosis of a trace id alone",
}


@dataclass(frozen=True)
class RatedPage:
    key: str
    title: str
    url: str


def resolve(key: str) -> RatedPage | None:
    match = KEY.fullmatch(key or "")
    if match is None:
        return None
    kind, name = match["kind"], match["name"]
    catalogue = get_catalogue()
    if kind == "guide":
        guide = catalogue.guides.get(name or "")
        return RatedPage(key, f"Guide: {guide.title}", guide.url) if guide else None
    entry = catalogue.get(int(name)) if name and name.isdigit() and len(name) <= 6 else None
    if kind == "code":
        return RatedPage(key, f"{entry.code} {entry.message}", entry.url) if entry else None
    if name is None:
        return RatedPage(key, "Diagnosis (no code)", reverse("diagnose:page"))
    if name in DIAGNOSES_WITHOUT_CODE:
        return RatedPage(key, DIAGNOSES_WITHOUT_CODE[name], reverse("diagnose:page"))
    if entry is None:
        return None
    return RatedPage(key, f"Diagnosis of {entry.code} {entry.message}", reverse("diagnose:page"))


def title(key: str) -> str:
    page = resolve(key)
    return page.title if page else key
