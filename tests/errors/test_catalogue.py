"""The catalogue as loaded into memory: look-ups, neighbours, rendering."""

from errors import markdown
from errors.loading import get_catalogue
from tests.conftest import entry_for


def test_the_catalogue_is_loaded_once():
    assert get_catalogue() is get_catalogue()


def test_look_ups():
    catalogue = get_catalogue()
    entry = catalogue.get(1007)
    assert entry is not None
    assert entry.message == "Rate limit exceeded"
    assert entry.reason_phrase == "Too Many Requests"
    assert entry.category.id == "1xxx"
    assert entry.url == "/errors/1007/"
    assert entry.doc_url == "https://docs.linqapp.com/error/codes/1xxx/1007/"
    assert catalogue.get(1009) is None
    assert [getattr(catalogue.category_for_number(n), "id", None) for n in (1999, 5999)] == [
        "1xxx",
        "5xxx",
    ]
    assert catalogue.category_for_number(6000) is None
    assert catalogue.category_for_number(999) is None


def test_lookup_gives_the_entry_or_the_range_an_unknown_number_falls_in():
    catalogue = get_catalogue()
    assert catalogue.lookup(1007) == (entry_for(1007), entry_for(1007).category)
    entry, category = catalogue.lookup(1999)
    assert entry is None and category is not None and category.id == "1xxx"
    assert catalogue.lookup(6000) == (None, None)
    assert catalogue.lookup(None) == (None, None)


def test_number_range_spans_the_categories():
    catalogue = get_catalogue()
    first, last = catalogue.number_range
    assert (first, last) == (1000, 5999)
    assert all(first <= e.code <= last for e in catalogue.codes)


def test_neighbours_and_nearest():
    catalogue = get_catalogue()
    first, last = catalogue.codes[0], catalogue.codes[-1]
    assert catalogue.neighbours(first) == (None, catalogue.get(1002))
    assert catalogue.neighbours(last)[1] is None
    assert catalogue.neighbours(entry_for(2019)) == (catalogue.get(2018), catalogue.get(2021))
    assert [e.code for e in catalogue.nearest(2020, 3)] == [2019, 2021, 2018]


def test_messages_are_matched_loosely():
    catalogue = get_catalogue()
    assert [e.code for e in catalogue.with_message("rate limit exceeded.")] == [1007]
    assert catalogue.with_message("no such message") == []


def test_see_references_in_troubleshooting_link_to_guides():
    assert (
        'See <a href="/guides/rate-limits/">Rate Limits</a>.'
        in entry_for(1007).troubleshooting_html
    )
    assert (
        '<a href="/guides/attachments/#supported-types">supported types</a>'
        in entry_for(5004).troubleshooting_html
    )
    assert (
        '<a href="/guides/attachments/#size-limits">file size limits</a>'
        in entry_for(5005).troubleshooting_html
    )
    assert (
        '<a href="/guides/authentication/">Authentication</a>'
        in entry_for(2004).troubleshooting_html
    )
    assert "<a" not in entry_for(1001).troubleshooting_html


def test_guidance_is_rendered_with_toc_and_highlighting_classes():
    entry = entry_for(1007)
    assert '<h2 id="what-triggers-it">' in entry.guidance.html
    assert 'href="#how-to-fix-it"' in entry.guidance.toc_html
    assert entry.snippet_set is not None
    snippets = [snippet.html for snippet in entry.snippet_set.snippets]
    for html in snippets:
        assert '<div class="highlight">' in html
    assert 'class="highlight"' in entry.example_html
    # Classes, never inline styles: the CSP forbids style attributes.
    for html in [entry.guidance.html, entry.example_html, *snippets]:
        assert "style=" not in html


def test_the_start_up_check_does_the_first_load(monkeypatch, settings):
    from errors import loading as module

    monkeypatch.setattr(module, "_loaded", {})
    assert module.validate_content(settings.CONTENT_DIR) == []

    def render_again(source):
        raise AssertionError("the content was rendered a second time")

    monkeypatch.setattr(markdown, "render", render_again)
    assert entry_for(1007).message == "Rate limit exceeded"


def test_codes_that_share_a_snippet_set_share_one_object():
    # One load reads and highlights each set once, so a snapshot (and a worker) holds it once.
    users: dict[str, list[int]] = {}
    objects: dict[str, set[int]] = {}
    for entry in get_catalogue().codes:
        if entry.snippet_set is not None:
            users.setdefault(entry.snippet_set.name, []).append(entry.code)
            objects.setdefault(entry.snippet_set.name, set()).add(id(entry.snippet_set))
    assert any(len(codes) > 1 for codes in users.values())
    assert all(len(ids) == 1 for ids in objects.values())


def test_a_second_check_in_one_process_does_not_load_again(monkeypatch, settings):
    from errors import loading as module

    monkeypatch.setattr(module, "_loaded", {})
    assert module.validate_content(settings.CONTENT_DIR) == []

    def load_again(folder):
        raise AssertionError("the content was loaded a second time")

    monkeypatch.setattr(module, "_load", load_again)
    assert module.validate_content(settings.CONTENT_DIR) == []  # `check`, then `migrate`
