"""Catalogue codes for a paste that is only words: "messages just dont go out".

Such a paste holds no JSON, code or trace id, but its words still say what the person is
fighting with. The catalogue's own search (`errors.search`) needs every word of a query to
match, which a sentence rarely does, so each word is searched alone and a code's scores are
added up. Only matches in a code's message, retry advice, status or troubleshooting count: a
word found somewhere in the guidance ("there", "api") says nothing about the code. A few
everyday phrasings are given the catalogue's word beside them first.
"""

import re

from errors.catalogue import Catalogue, ErrorCode
from errors.search import GUIDANCE, STOP_WORDS, search, words
from errors.searchrequest import SearchRequest

MAX_WORDS = 12
MAX_CODES = 5
MIN_WORDS = 2  # one word alone is a search, or a message the reader already tried
MAX_PROSE = 1000  # characters: a longer text is a log to read, not a description
# Everyday words beside the catalogue's: "go out" is a delivery.
EVERYDAY = {
    "go out": "delivery",
    "goes out": "delivery",
    "not sent": "delivery",
    "arrive": "delivery",
    "deliver": "delivery",
    "api key": "unauthorized",
    "login": "unauthorized",
    "logged": "unauthorized",
    "throttl": "rate limit",
    "slow": "timeout",
    "hang": "timeout",
    "image": "attachment",
    "photo": "attachment",
    "picture": "attachment",
    "video": "attachment",
    "callback": "webhook",
}
# Words of a complaint that say nothing about which code it is.
NOISE = STOP_WORDS | frozenset(
    "just dont doesnt didnt wont cant not no any all get got out go goes going never ever "
    "stopped stop working work works anymore still keep keeps help please why hello hi anyone "
    "someone something message messages thing happens happening problem issue our we".split()
)
# Marks of a response, a log line or code: such a paste is not a sentence.
NOT_PROSE = re.compile(r"[{}\[\]<>=:;|\\]|https?://")


def reads_as_prose(text: str) -> bool:
    """Words, with nothing of a response in them: a description of the problem, not a paste."""
    if len(text) > MAX_PROSE or len(text.split()) < MIN_WORDS:
        return False
    return NOT_PROSE.search(text) is None


def _with_everyday_words(text: str) -> str:
    text = text.casefold()
    for phrase, meaning in EVERYDAY.items():
        text = re.sub(rf"\b({re.escape(phrase)}\w*)", rf"\1 {meaning}", text)
    return text


def codes_for_words(text: str, catalogue: Catalogue) -> tuple[ErrorCode, ...]:
    """The codes whose entries match the words of `text` best, best first (at most MAX_CODES)."""
    terms = [
        w
        for w in dict.fromkeys(words(_with_everyday_words(text[:500])))
        if w not in NOISE and len(w) > 2
    ][:MAX_WORDS]
    scores: dict[int, float] = {}
    for term in terms:
        # The scores alone: a hit (its field and snippet) is made only for a row that is shown,
        # and a common word finds thousands of codes in a large catalogue.
        for code, score in search(SearchRequest(q=term), catalogue, rank=False).scores.items():
            if score > GUIDANCE:
                scores[code] = scores.get(code, 0.0) + score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        entry for code, _ in ranked[:MAX_CODES] if (entry := catalogue.get(code)) is not None
    )
