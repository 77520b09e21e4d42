"""What the content audit settled, kept from drifting back: sources that match what each page shows,
and no research phrasing in any page."""

import re

from errors.loading import get_catalogue

# Phrases from research notes that are not the voice of a reference page.
RESEARCH_WORDS = re.compile(
    r"unverified|seen in public code|public code|third-party (?:SDK )?fork|was not found|"
    r"were not found|no per-code page was found|found only on",
    re.IGNORECASE,
)


def test_every_page_that_names_an_sdk_error_cites_both_sdks():
    for entry in get_catalogue().codes:
        keys = {source.key for source in entry.sources}
        if entry.sdk_error:
            assert {"sdk-typescript", "sdk-python"} <= keys, entry.code
        else:  # arrives by webhook: the page says so instead
            assert "webhooks" in keys, entry.code


def test_no_page_speaks_in_research_words():
    catalogue = get_catalogue()
    pages = {f"code {e.code}": e.guidance_source for e in catalogue.codes}
    pages |= {f"guide {slug}": guide.source for slug, guide in catalogue.guides.items()}
    found = {name: RESEARCH_WORDS.findall(text) for name, text in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}
