"""The catalogue's links come from the URLconf: each one is what reverse() says."""

from django.urls import reverse

from errors.links import link
from errors.loading import get_catalogue
from errors.representations import entry_markdown, llms_index


def test_a_link_is_what_reverse_gives():
    cases: list[tuple[str, int | str]] = [
        ("errors:detail", 1007),
        ("errors:markdown", 2004),
        ("errors:json", 5005),
        ("errors:guide", "rate-limits"),
    ]
    for name, argument in cases:
        assert link(name, argument) == reverse(name, args=[argument])


def test_every_code_and_guide_links_its_page():
    catalogue = get_catalogue()
    for entry in catalogue.codes:
        assert entry.url == reverse("errors:detail", args=[entry.code])
    for guide in catalogue.guides.values():
        assert guide.url == reverse("errors:guide", args=[guide.slug])


def test_the_markdown_files_link_through_the_urlconf():
    catalogue = get_catalogue()
    entry = catalogue.get(1007)
    assert entry is not None
    related = entry.related_codes[0]
    assert f"[{related}]({reverse('errors:detail', args=[related])})" in entry_markdown(entry)
    markdown_url = reverse("errors:markdown", args=[1007])
    assert f"[1007 Rate limit exceeded]({markdown_url})" in llms_index(catalogue)
