"""The compact word index behind search: which documents hold a word, and in which fields.

At 9,000 codes the words of every code's texts make a few million (word, code) pairs; kept as a
dict of dicts they would cost a worker tens of megabytes and a snapshot seconds to read. Here a
word holds a few flat arrays instead: the numbers of the documents that contain it, grouped by the
fields it appears in (a bit mask: bit i = field i, in the order the documents were given). Grouped
that way, a scorer gives a whole array one weight at once (`dict.fromkeys`), with no Python loop
over thousands of documents.

The index knows nothing of scores: how much each field counts, prefixes and typos are weighed in
errors/search.py, so a change of weights needs no new index. What it answers fast, whatever the
size of the catalogue: a word's documents, the words that start with a prefix (the vocabulary is
sorted), and the words one typo away (a single-deletion table, so no query scans the vocabulary).
"""

from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

# (field mask, numbers of the documents with the word in exactly those fields ("H": < 65,536))
Postings = tuple[tuple[int, array], ...]
TYPO_MIN_LENGTH = 4  # shorter words are matched exactly or by prefix only


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _grouped(masks: dict[int, int]) -> Postings:
    groups: dict[int, list[int]] = defaultdict(list)
    for number, mask in masks.items():
        groups[mask].append(number)
    return tuple((mask, array("H", numbers)) for mask, numbers in sorted(groups.items()))


class WordIndex:
    def __init__(self, documents: Iterable[tuple[int, Sequence[Iterable[str]]]]):
        """`documents`: (number, fields), each field the words of one text of the document."""
        masks: dict[str, dict[int, int]] = defaultdict(dict)
        for number, fields in documents:
            for bit, found in enumerate(fields):
                for word in found:
                    held = masks[word]
                    held[number] = held.get(number, 0) | 1 << bit
        self.postings: dict[str, Postings] = {word: _grouped(held) for word, held in masks.items()}
        self.vocabulary = tuple(sorted(self.postings))
        variants: dict[str, list[str]] = defaultdict(list)
        for word in self.vocabulary:
            if len(word) >= TYPO_MIN_LENGTH and not word.isdigit():
                for variant in deletions(word):
                    variants[variant].append(word)
        self.deletions = {variant: tuple(words) for variant, words in variants.items()}

    def __contains__(self, word: str) -> bool:
        return word in self.postings

    def documents(self, word: str) -> Postings:
        return self.postings.get(word, ())

    def starting_with(self, prefix: str) -> Iterator[str]:
        """Words of the vocabulary that start with `prefix`, longer than it, in order."""
        for position in range(bisect_left(self.vocabulary, prefix), len(self.vocabulary)):
            word = self.vocabulary[position]
            if not word.startswith(prefix):
                return
            if word != prefix:
                yield word

    def one_typo_from(self, term: str) -> set[str]:
        """Words one deletion, insertion or substitution away from `term` (not `term` itself)."""
        if len(term) < TYPO_MIN_LENGTH or term.isdigit():
            return set()
        found = set(self.deletions.get(term, ()))
        for variant in deletions(term):
            found.update(self.deletions.get(variant, ()))
            if variant in self.postings:
                found.add(variant)
        found.discard(term)
        return found


class JoinedTexts:
    """Short texts of many documents, each a run of words joined by single spaces (as
    errors.search.phrase_text writes them), and which documents hold each pair of adjacent words.

    A phrase is found as a substring, as `phrase in text` would find it: its first word may be the
    end of a longer word and its last word the start of one ("try after" is in "retry afterwards").
    A scan of every text costs a pass over all of them (a megabyte at 9,000 codes) and a step per
    document that holds the phrase; the pairs instead answer a phrase of two words with a few
    look-ups, and narrow a longer one to the few documents worth reading.
    """

    def __init__(self, texts: Iterable[tuple[int, str]]):
        self.numbers = array("H")
        self.starts = array("I")
        parts, offset = [], 0
        pairs: dict[str, list[int]] = defaultdict(list)
        for number, text in sorted(texts):
            self.numbers.append(number)
            self.starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
            words = text.split(" ")
            for pair in dict.fromkeys(f"{a} {b}" for a, b in pairwise(words) if a and b):
                pairs[pair].append(number)
        self.text = "\n".join(parts)  # a phrase never holds a line break, so never spans two
        self.pairs = {pair: array("H", numbers) for pair, numbers in pairs.items()}
        self.sorted_pairs = tuple(sorted(self.pairs))  # for the pairs whose 2nd word starts with…
        # First words of pairs, spelled backwards and sorted: the words that end with a given end.
        self.reversed_firsts = tuple(sorted({pair.split(" ")[0][::-1] for pair in self.pairs}))

    def holding(self, phrase: str) -> set[int]:
        """The documents whose text contains `phrase`."""
        words = phrase.split(" ")
        if len(words) < 2 or not all(words) or "\n" in phrase:
            return self.scan(phrase)
        first, *middle, last = words
        ends = self._words_ending_with(first)
        if not middle:  # exact: a word ending in `first`, then one starting with `last`
            return self._documents(p for end in ends for p in self._pairs_from(f"{end} {last}"))
        found = self._documents(f"{end} {middle[0]}" for end in ends)
        for before, after in pairwise(middle):
            found &= self._documents([f"{before} {after}"])
        found &= self._documents(self._pairs_from(f"{middle[-1]} {last}"))
        # Each pair is in the text, but maybe not one after the other: read those few texts.
        return {number for number in found if phrase in self._text_of(number)}

    def scan(self, phrase: str) -> set[int]:
        """holding(), by reading every text: for what is not a phrase of two or more words."""
        found: set[int] = set()
        if not phrase or "\n" in phrase:
            return found
        at = self.text.find(phrase)
        while at != -1:
            position = bisect_right(self.starts, at) - 1
            found.add(self.numbers[position])
            following = position + 1
            if following == len(self.starts):
                break
            at = self.text.find(phrase, self.starts[following])
        return found

    def _words_ending_with(self, end: str) -> list[str]:
        backwards, words = end[::-1], self.reversed_firsts
        found = []
        for position in range(bisect_left(words, backwards), len(words)):
            word = words[position]
            if not word.startswith(backwards):
                break
            found.append(word[::-1])
        return found

    def _pairs_from(self, start: str) -> Iterator[str]:
        """The pairs that start with `start` (a first word, a space, the start of a second)."""
        for position in range(bisect_left(self.sorted_pairs, start), len(self.sorted_pairs)):
            pair = self.sorted_pairs[position]
            if not pair.startswith(start):
                return
            yield pair

    def _documents(self, pairs: Iterable[str]) -> set[int]:
        return set().union(*(self.pairs.get(pair, ()) for pair in pairs))

    def _text_of(self, number: int) -> str:
        position = bisect_left(self.numbers, number)
        end = self.starts[position + 1] - 1 if position + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[position] : end]
