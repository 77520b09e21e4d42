"""Finding codes by their documented message, without comparing a text to every message.

The diagnosis matches a pasted message to codes in four ways, strictest first: equal, a message
the text starts with, a text inside a message, or a message like the text (difflib ratio). Each
has an index here, so a look-up costs about the same at 9,000 codes as at 48:

- equal and starts-with: the normalised messages in a dict; the text's prefixes that end at a
  word boundary are looked up (a text has far fewer of them than the catalogue has messages);
- inside: every word of the text is a whole word of a message that contains it, so only the
  messages holding all its words (a word index) are tried;
- like: the messages sharing the most character trigrams with the text are the only ones compared
  with difflib. A message that difflib rates highly shares most of its trigrams with the text, so
  the best of them is among those candidates.
"""

import difflib
import heapq
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

from errors.catalogue import Catalogue, ErrorCode, normalise_message

WORD = re.compile(r"\w+")
SIMILAR_CANDIDATES = 64  # messages compared with difflib, best by shared trigrams


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Similar:
    score: float  # difflib's ratio
    entries: tuple[ErrorCode, ...]


class MessageIndex:
    def __init__(self, catalogue: Catalogue):
        by_message: dict[str, list[ErrorCode]] = defaultdict(list)
        for entry in catalogue.codes:
            by_message[normalise_message(entry.message)].append(entry)
        self.by_message = {message: tuple(found) for message, found in by_message.items()}
        self.messages = list(self.by_message)
        words: dict[str, set[int]] = defaultdict(set)
        trigrams: dict[str, list[int]] = defaultdict(list)
        self.sizes = []  # trigrams per message
        for number, message in enumerate(self.messages):
            for word in WORD.findall(message):
                words[word].add(number)
            own = _trigrams(message)
            self.sizes.append(len(own))
            for trigram in own:
                trigrams[trigram].append(number)
        self.words = {word: frozenset(numbers) for word, numbers in words.items()}
        # Message numbers as compact arrays: a catalogue holds at most 9,000 messages.
        self.trigrams = {trigram: array("H", numbers) for trigram, numbers in trigrams.items()}

    def equal(self, wanted: str) -> tuple[ErrorCode, ...]:
        """Codes whose normalised message is `wanted` (already normalised)."""
        return self.by_message.get(wanted, ())

    def longest_prefix(self, wanted: str) -> tuple[ErrorCode, ...]:
        """Codes of the longest message `wanted` starts with, ending at a word boundary."""
        for end in range(len(wanted), 0, -1):
            if end < len(wanted) and _is_word(wanted[end]):
                continue
            found = self.by_message.get(wanted[:end])
            if found:
                return found
        return ()

    def containing(self, wanted: str) -> list[ErrorCode]:
        """Codes whose message holds `wanted` between word boundaries, in code order."""
        words = WORD.findall(wanted)
        if not words:
            return []
        holders = frozenset.intersection(*(self.words.get(w, frozenset()) for w in words))
        pattern = re.compile(rf"\b{re.escape(wanted)}\b")
        found = [
            entry
            for number in sorted(holders)
            if pattern.search(self.messages[number])
            for entry in self.by_message[self.messages[number]]
        ]
        return sorted(found, key=lambda entry: entry.code)

    def similar(self, wanted: str, cutoff: float = 0.0) -> list[tuple[float, ErrorCode]]:
        """(difflib ratio, code) for the messages most like `wanted`, best first; with a
        `cutoff`, only those whose ratio can reach it (the others may be left out)."""
        own = _trigrams(wanted)
        shared: Counter[int] = Counter()
        for trigram in own:
            shared.update(self.trigrams.get(trigram, ()))
        # Dice's coefficient over trigrams: shared ones against both sizes, as difflib's ratio
        # weighs matched characters against both lengths.
        # A message sharing under a quarter of the text's trigrams is far from a 0.75 ratio.
        sizes, size, floor = self.sizes, len(own), len(own) / 4
        dice = [(count / (sizes[n] + size), n) for n, count in shared.items() if count >= floor]
        candidates = [n for _, n in heapq.nlargest(SIMILAR_CANDIDATES, dice)]
        matcher = difflib.SequenceMatcher(None, wanted, "")
        # difflib's quick ratios are upper bounds of its ratio, at a fraction of the cost, and
        # the same either way round: this matcher counts the text's characters once.
        bound = difflib.SequenceMatcher(None, "", wanted)
        scored = []
        for number in candidates:
            message = self.messages[number]
            if cutoff:
                bound.set_seq1(message)
                if bound.real_quick_ratio() < cutoff or bound.quick_ratio() < cutoff:
                    continue
            matcher.set_seq2(message)
            scored += [(matcher.ratio(), entry) for entry in self.by_message[message]]
        return sorted(scored, key=lambda pair: (-pair[0], pair[1].code))


def _is_word(character: str) -> bool:
    return bool(WORD.match(character))


def index_for(catalogue: Catalogue) -> MessageIndex:
    """The catalogue's message index, built on first use and kept with the catalogue."""
    index = catalogue.derived.get("messages")
    if not isinstance(index, MessageIndex):
        index = catalogue.derived["messages"] = MessageIndex(catalogue)
    return index
