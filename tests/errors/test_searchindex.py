"""The compact search index: what it holds, and that a search does only the work a page shows."""

import pickle
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from errors import search as module
from errors.facets import facets
from errors.loading import get_catalogue
from errors.search import SearchIndex, search
from errors.searchindex import JoinedTexts, WordIndex
from errors.searchrequest import Filters, SearchRequest


def test_a_word_holds_flat_arrays_of_codes_grouped_by_field():
    index = SearchIndex(get_catalogue())
    groups = index.words.documents("limit")
    assert groups and all(isinstance(codes, array) for _, codes in groups)
    masks = [mask for mask, _ in groups]
    assert masks == sorted(set(masks))
    # 1007's message is "Rate limit exceeded": the message field is bit 0.
    assert any(mask & 1 and 1007 in codes for mask, codes in groups)
    assert index.words.documents("no-such-word") == ()


def test_prefixes_and_typos_come_from_the_vocabulary():
    words = WordIndex([(1, [["webhook", "webhooks"]]), (2, [["attachment"]])])
    assert list(words.starting_with("webh")) == ["webhook", "webhooks"]
    assert list(words.starting_with("webhook")) == ["webhooks"]
    assert words.one_typo_from("webhok") == {"webhook"}
    assert words.one_typo_from("attachmnet") == {"attachment"}  # two letters swapped
    assert words.one_typo_from("atachmnt") == set()  # two letters missing
    assert words.one_typo_from("atachment") == {"attachment"}
    assert words.one_typo_from("web") == set()  # too short to guess


def test_weights_are_the_scorers_not_the_index():
    assert module.best_weights((100, 10)) == [0, 100, 10, 100]


def test_a_search_makes_hits_only_for_what_is_read(rows_made):
    results = search(SearchRequest(q="the"))
    assert len(results) > 20 and rows_made == []
    shown = results[:5]
    assert [hit.entry.code for hit in shown] == results.ranked[:5]
    assert len(rows_made) == 5
    assert results[0].entry.code == results.ranked[0]


def test_the_catalogue_page_makes_hits_for_its_rows_only(client, rows_made):
    response = client.get("/errors/", {"q": "the"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 0 < len(rows_made) <= 50


def test_without_filters_the_facets_reuse_the_search(client, monkeypatch):
    calls = []
    original = SearchIndex.search

    def counting(self, q, *args):
        calls.append(q)
        return original(self, q, *args)

    monkeypatch.setattr(SearchIndex, "search", counting)
    client.get("/errors/", {"q": "webhook"}, headers={"HX-Request": "true"})
    assert len(calls) == 1
    calls.clear()
    client.get("/errors/", {"q": "webhook", "retry": "no"}, headers={"HX-Request": "true"})
    assert len(calls) == 2  # the filtered hits, and the words alone for the counts


def test_facet_counts_are_one_pass_but_the_same_as_searching():
    catalogue = get_catalogue()
    wanted = SearchRequest(q="failed", filters=Filters(verdicts=("no",), statuses=(404, 500)))
    found = facets(wanted, catalogue)
    for option in found.categories:
        alone = Filters(categories=(option.value,), verdicts=("no",), statuses=(404, 500))
        assert option.count == len(search(SearchRequest(q="failed", filters=alone), catalogue))


def test_the_snapshot_keeps_the_compact_index():
    catalogue = get_catalogue()
    index = module.index_for(catalogue)
    again = pickle.loads(pickle.dumps(index))
    assert again.words.vocabulary == index.words.vocabulary
    assert again.words.documents("webhook") == index.words.documents("webhook")
    assert again.guidance == index.guidance


def test_a_phrase_is_found_in_every_text_that_holds_it_once_each():
    texts = JoinedTexts([(1007, "rate limit exceeded"), (2001, "chat not found"), (3005, "limit")])
    assert texts.holding("limit") == {1007, 3005}
    assert texts.holding("rate limit") == {1007}
    assert texts.holding("exceeded chat") == set()  # never across two texts
    assert texts.holding("found") == {2001}
    assert texts.holding("nowhere") == set()


def test_a_phrase_may_start_inside_a_word_and_end_inside_one_as_a_substring_does():
    texts = JoinedTexts(
        [
            (1, "do not retry after a 400"),
            (2, "retry afterwards"),
            (3, "then retry later after the retry_after value"),
            (4, "send the message to the chat again"),
            (5, "message to the"),
            (6, "send it then it fails"),
        ]
    )
    assert texts.holding("retry after") == {1, 2}
    assert texts.holding("try aft") == {1, 2}
    assert texts.holding("retry after a") == {1}
    assert texts.holding("message to the") == {4, 5}
    assert texts.holding("age to the ch") == {4}
    # Every pair of the phrase is in text 3, but never one after the other.
    assert texts.holding("retry later after the retry") == {3}
    assert texts.holding("later retry after") == set()
    assert texts.holding("send it fails") == set()  # "send it", "it fails": apart


def _phrases_from(text: str, data) -> str:
    words = text.split(" ")
    start = data.draw(st.integers(0, len(words) - 2))
    end = data.draw(st.integers(start + 2, len(words)))
    phrase = words[start:end]
    phrase[0] = phrase[0][data.draw(st.integers(0, len(phrase[0]) - 1)) :]
    phrase[-1] = phrase[-1][: data.draw(st.integers(1, len(phrase[-1])))]
    return " ".join(phrase)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_pairs_find_what_reading_every_text_finds(data):
    """holding() answers from the pairs of adjacent words; scan() reads every text. A phrase cut
    from one of the catalogue's texts, starting and ending anywhere inside words, is found in the
    same texts by both."""
    index = module.index_for(get_catalogue())
    texts = data.draw(st.sampled_from([index.heads, index.troubleshooting]))
    lines = [line for line in texts.text.split("\n") if line.count(" ") >= 1]
    phrase = _phrases_from(data.draw(st.sampled_from(lines)), data)
    found = texts.holding(phrase)
    assert found == texts.scan(phrase)
    assert found


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_scoring_the_rarest_word_first_gives_the_scores_of_scoring_every_word_in_full(data):
    """The AND of several words scores the rarest in full and the others only among the codes
    left; the result is the same as scoring every word over the whole catalogue."""
    index = module.index_for(get_catalogue())
    vocabulary = index.words.vocabulary
    terms = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=5, unique=True))
    # Prefixes and typos too: a word cut short, or with a letter dropped.
    terms = [t[: data.draw(st.integers(3, max(3, len(t))))] for t in terms]
    found_by = [index._term_groups(term, among_words=True) for term in terms]
    found_by = [groups for groups in found_by if groups]
    if not found_by:
        return
    expected = module.combine([module._best_scores(groups) for groups in found_by])
    assert module.combine(module._scores_rarest_first(found_by)) == expected
