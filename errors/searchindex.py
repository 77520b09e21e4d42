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
    """Short texts of many documents in one string, so finding a phrase in all of them is one
    scan in C (str.find) instead of a test per document."""

    def __init__(self, texts: Iterable[tuple[int, str]]):
        self.numbers = array("H")
        self.starts = array("I")
        parts, offset = [], 0
        for number, text in texts:
            self.numbers.append(number)
            self.starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self.text = "\n".join(parts)  # a phrase never holds a line break, so never spans two

    def holding(self, phrase: str) -> set[int]:
        """The documents whose text contains `phrase`."""
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
