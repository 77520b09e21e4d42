"""Filter options: names and counts that say what ticking them would show."""

from errors.facets import facets
from errors.loading import get_catalogue
from errors.search import search
from errors.searchrequest import Filters, SearchRequest


def by_value(options) -> dict[str, int]:
    return {option.value: option.count for option in options}


def test_without_words_or_filters_the_counts_are_the_catalogue_s():
    catalogue = get_catalogue()
    found = facets(SearchRequest(), catalogue)

    assert by_value(found.categories) == {
        c.id: len(catalogue.in_category(c)) for c in catalogue.categories
    }
    assert sum(by_value(found.verdicts).values()) == len(catalogue.codes)
    assert found.active == 0
    assert found.categories[0].label == "1xxx Client/Request Errors"


def test_every_count_is_what_ticking_the_option_would_show():
    catalogue = get_catalogue()
    wanted = SearchRequest(q="not found", filters=Filters(categories=("2xxx",), verdicts=("no",)))
    found = facets(wanted, catalogue)

    for option in found.options:
        group = {"category": "categories", "retry": "verdicts", "http": "statuses"}[option.group]
        value = int(option.value) if option.group == "http" else option.value
        # Ticking an option adds it to its group; the count is with that one value alone.
        alone = Filters(**{**wanted.filters.__dict__, group: (value,)})
        expected = len(search(SearchRequest(q=wanted.q, filters=alone), catalogue))
        assert option.count == expected, option
    assert found.active == 2
    assert {o.value for o in found.options if o.checked} == {"2xxx", "no"}
    # Ticking 2xxx does not zero the other categories: each counts the words and "no" alone
    # (without words, so the check does not hang on what the content's wording matches).
    ticked = facets(
        SearchRequest(filters=Filters(categories=("2xxx",), verdicts=("no",))), catalogue
    )
    catalogue_no = {c.id: 0 for c in catalogue.categories}
    for entry in catalogue.codes:
        if entry.retry.verdict == "no":
            catalogue_no[entry.category.id] += 1
    assert by_value(ticked.categories) == catalogue_no
    assert by_value(ticked.categories)["1xxx"] > 0


def test_the_words_narrow_the_counts():
    catalogue = get_catalogue()
    everything = by_value(facets(SearchRequest(), catalogue).categories)
    words = by_value(facets(SearchRequest(q="webhook"), catalogue).categories)

    assert sum(words.values()) < sum(everything.values())
    assert 0 in words.values()


def test_words_that_every_code_holds_count_like_no_words():
    """ "the" finds every code: its counts come from the whole catalogue's, kept once, and are
    still what ticking each option would show."""
    catalogue = get_catalogue()
    wanted = SearchRequest(q="the", filters=Filters(verdicts=("no",)))
    assert len(search(SearchRequest(q="the"), catalogue)) == len(catalogue.codes)
    found = facets(wanted, catalogue)
    for option in found.options:
        group = {"category": "categories", "retry": "verdicts", "http": "statuses"}[option.group]
        value = int(option.value) if option.group == "http" else option.value
        alone = Filters(**{**wanted.filters.__dict__, group: (value,)})
        assert option.count == len(search(SearchRequest(q="the", filters=alone), catalogue))
    assert facets(SearchRequest(q="the"), catalogue) == facets(SearchRequest(), catalogue)
