"""Text a reader typed, made safe to keep: secrets masked, e-mail addresses and tokens too.

`diagnose.engine.redaction` masks secrets it recognises by their name (`Authorization:`,
`api_key=`...). A token typed alone into a search box or a comment has no name beside it, so
anything shaped like a credential is masked as well: a long run of letters and digits mixed,
a long hex or base64 string, an e-mail address.
"""

import re

from diagnose.engine.redaction import MASK, redact_secrets

_EMAIL = re.compile(r"[^\s@]{1,64}@[^\s@]{1,255}\.[A-Za-z]{2,24}")
# 20+ characters of a token alphabet with at least one digit and one letter, or 32+ of hex.
_TOKEN = re.compile(r"(?<![\w-])(?=[\w.+/=-]*\d)(?=[\w.+/=-]*[A-Za-z])[\w.+/=-]{20,}(?![\w-])")
_HEX = re.compile(r"\b[0-9a-fA-F]{32,}\b")


def mask(text: str) -> str:
    masked, _ = redact_secrets(text)
    masked = _EMAIL.sub(MASK, masked)
    masked = _HEX.sub(MASK, masked)
    return _TOKEN.sub(MASK, masked)
