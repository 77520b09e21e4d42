"""What a secret looks like: the patterns `redaction` runs, and the judgement of a value.

Two kinds of evidence, each found by one compiled regular expression run once over the paste:

- `LABELS` finds a name that announces a secret (`Authorization`, `Bearer`, `Cookie`, or any name
  ending in a secret word: `api_key`, `X-Api-Key`, `LINQ_API_V3_API_KEY`, `client_secret`,
  `accessToken`, ...), its separator and the value after it, in one match over the lower-cased
  paste (offsets are the same in both; the value is read from the paste itself).
- `SHAPES` finds secrets that carry their own shape, with or without a label: provider-style
  keys (`sk_live_…`, `whsec_…`, `ghp_…`, `AKIA…`, ...), JSON Web Tokens, passwords in URLs.

Both are written as alternatives that each start with one literal character, grouped by that
character: the regex engine then jumps from one candidate character to the next in C instead of
trying every alternative at every position, which keeps a 60 KB paste at a millisecond or two.
Every quantifier is bounded, so no input can make a pattern backtrack far.

PEM blocks are found with `str.find` (a block runs from `-----BEGIN X-----` to the matching
`-----END X-----`), which keeps a paste full of unmatched BEGIN lines linear.
"""

import re

_SEP = "[_-]?"
# Names that end in one of these words hold secrets (lower case: LABELS reads the lower-cased
# paste).
SECRET_WORDS = (
    rf"a(?:pi{_SEP}key|ccess{_SEP}key|uth{_SEP}key)"
    rf"|c(?:redentials?|lient{_SEP}key)"
    rf"|e(?:ncryption{_SEP}key)"
    rf"|m(?:aster{_SEP}key)"
    rf"|p(?:assw(?:or)?d|assphrase|wd|rivate{_SEP}key)"
    rf"|s(?:ecret(?:{_SEP}key)?|ession{_SEP}id|essid|igning{_SEP}key)"
    r"|t(?:oken)"
)
# After a name: the end of the name (`token_type` and `tokens` are not `token`).
_END_OF_NAME = r"(?![a-z0-9_.-])"
# Quote (maybe escaped), spaces, then a separator: `:`, `=`, `=>` or their percent-escapes.
_SEPARATOR = r"""\\?["']?[ \t]{0,8}(?:=>?|:|%3[AaDd])(?:[ \t]|%20|\+){0,8}+"""
_SEPARATOR_AHEAD = r"""(?=\\?["']?[ \t]{0,8}(?:[:=]|%3[ad]))"""
_TOKEN_CHARS = r"(?:[^\s\"'\\,;&<>(){}\[\]]|\\/)"
_TOKEN = rf"{_TOKEN_CHARS}{{1,4096}}"
SCHEMES = r"bearer|basic|token|digest|apikey|negotiate|ntlm|hmac|aws4-hmac-sha256"


def _value(name: str) -> str:
    """A value as it follows a separator, in a group per way of quoting it."""
    return (
        # Inside a JSON string that is itself inside a JSON string: ends at the next backslash.
        rf"""\\"(?P<{name}_escaped>[^"\\\r\n]{{1,4096}})"""
        rf"""|"(?P<{name}_double>(?:[^"\\\r\n]|\\[^\r\n]){{1,4096}})"""
        rf"""|'(?P<{name}_single>[^'\r\n]{{1,4096}})"""
        rf"|(?P<{name}_bare>{_TOKEN})"
    )


# The name, the separator and the value are one match, so that a paste full of names costs the
# regex engine's time, not Python's.
LABELS = re.compile(
    # Authorization: [scheme] <token>, the scheme left readable.
    rf"a(?P<auth>uthorization){_END_OF_NAME}{_SEPARATOR}\\?[\"']?"
    rf"(?:(?:{SCHEMES})(?:[ \t]|%20|\+){{1,8}}+)?+(?P<auth_token>{_TOKEN})"
    # Bearer <token>, Bearer: <token>
    rf"|b(?P<bearer>earer){_END_OF_NAME}"
    rf"(?:(?:[ \t]{{0,8}}[:=])?(?:[ \t]|%20|\+){{1,8}}|[ \t]{{0,8}}[:=])(?P<bearer_token>{_TOKEN})"
    rf"|c(?P<cookie>ookie){_END_OF_NAME}{_SEPARATOR_AHEAD}"
    rf"|(?:{SECRET_WORDS}){_END_OF_NAME}(?P<named_separator>{_SEPARATOR})(?:{_value('named')})"
    # A command-line flag, whose value follows a space: `--api-key sk_…`.
    r"|-(?P<flag>-[a-z0-9][a-z0-9_-]{0,48}+)[ \t]{1,8}" + f"(?:{_value('flag')})"
)
VALUE_GROUPS = {
    kind: tuple(f"{kind}_{form}" for form in ("escaped", "double", "single", "bare"))
    for kind in ("named", "flag")
}
FLAG_NAME = re.compile(rf"(?:{SECRET_WORDS})\Z")
# What follows `Cookie`: its separator, then a value (`"Cookie": "a=b; c=d"`).
SEPARATOR = re.compile(rf"(?P<sep>{_SEPARATOR})")
VALUE = re.compile(_value("value"))
# A token as it stands in text, for finding known secret values again (`=` padding included).
TOKEN_RUN = re.compile(r"(?:[A-Za-z0-9_.~+/-]|\\/)+=*")
# A Cookie header's value runs to the end of its line (or of the string it sits in).
COOKIE_VALUE = re.compile(r"""[ \t]{0,8}:[ \t]{0,8}(?P<value>[^\s"'\\][^\r\n"'\\]{0,4095})""")

_B64 = r"(?:[A-Za-z0-9+/=]|%2[BbFf]|%3[Dd])"
_AN = "[A-Za-z0-9]"
# Secrets with a shape of their own. Each group is named after what it finds and ends where the
# secret ends; the secret starts at the match (EMBEDDED_SHAPES: at the group).
SHAPES = re.compile(
    # Provider-style live/test keys: sk_live_…, pk_test_…, rk_live_…, and any `xx_live_` key.
    rf"_(?P<keyed>(?:live|test|prod|sandbox)_{_AN}{{8,256}})"
    rf"|w(?P<whsec>hsec_{_B64}{{8,512}})"
    # JSON Web Tokens: base64url segments, the first `eyJ` (a JSON object).
    rf"|e(?P<jwt>yJ[A-Za-z0-9_-]{{4,4096}}\.[A-Za-z0-9_-]{{4,8192}}\.[A-Za-z0-9_-]{{0,4096}})"
    # Tokens of well-known services, by their documented prefixes.
    rf"|g(?:(?P<github>h[pousr]_{_AN}{{30,255}}|ithub_pat_[A-Za-z0-9_]{{30,255}})"
    rf"|(?P<gitlab>lpat-[A-Za-z0-9_-]{{20,64}}))"
    rf"|x(?P<slack>ox[abposr]-[A-Za-z0-9-]{{10,255}}|app-[0-9]-[A-Za-z0-9-]{{10,255}})"
    rf"|A(?:(?P<aws>(?:KIA|SIA)[0-9A-Z]{{16}})(?!{_AN})|(?P<google>Iza[0-9A-Za-z_-]{{35}}))"
    rf"|s(?:(?P<openai>k-(?:proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{{20,255}})"
    rf"|(?P<square>q0(?:atp|csp)-[A-Za-z0-9_-]{{22,64}})"
    rf"|(?P<shopify>hp(?:at|ss|ca|pa)_[a-fA-F0-9]{{32}})(?!{_AN}))"
    rf"|S(?:(?P<sendgrid>G\.[A-Za-z0-9_-]{{16,64}}\.[A-Za-z0-9_-]{{16,64}})"
    rf"|(?P<twilio>K[0-9a-f]{{32}})(?!{_AN}))"
    rf"|n(?P<npm>pm_{_AN}{{36}})(?!{_AN})"
    rf"|p(?P<pypi>ypi-AgE[A-Za-z0-9_-]{{40,512}})"
    rf"|k(?P<mailgun>ey-[0-9a-f]{{32}})(?!{_AN})"
    # Secret webhook URLs: the path is the credential.
    r"|h(?:ooks\.slack\.com/services/(?P<slackhook>[A-Za-z0-9_/-]{20,255}))"
    r"|d(?:iscord(?:app)?\.com/api/webhooks/(?P<discordhook>[0-9]{5,32}/[A-Za-z0-9_-]{20,255}))"
    # user:password@ in URLs: the password goes, the user stays.
    r"""|:(?://[^\s/@:"'\\]{1,256}:(?P<userinfo>[^\s/@"'\\]{1,256})(?=@))"""
)
EMBEDDED_SHAPES = frozenset({"slackhook", "discordhook", "userinfo"})
# `xx_live_…` keys: the letters before `_live_`. Without one of the well-known prefixes the rest
# must be long, so that an identifier such as `run_test_cases1` is not taken for a key.
KEY_PREFIX = re.compile(r"(?<![A-Za-z0-9])[a-z]{2,10}\Z")
SHORT_KEY_PREFIXES = frozenset({"sk", "pk", "rk", "ek"})
LONG_KEY_MINIMUM = len("live_") + 16

PEM_BEGIN = re.compile(r"-----BEGIN (?P<label>[A-Z0-9 ]{1,64})-----")
# A block whose END is missing (a truncated paste) ends where its base64 ends.
PEM_BODY = re.compile(r"(?:[A-Za-z0-9+/=\r\n]|\\[rn]|\\/){0,16384}")


def starts_token(text: str, start: int) -> bool:
    """Whether a name or key starting at `start` is not the tail of a longer word: the text
    before it is no letter or digit, or is a percent-escape (`%20sk_live_…`) or a backslash
    escape inside a JSON string (`\\nAuthorization: …`)."""
    if start == 0 or not text[start - 1].isalnum():
        return True
    if start >= 2 and text[start - 2] == "\\" and text[start - 1] in "nrt":
        return True
    return start >= 3 and text[start - 3] == "%" and text[start - 2 : start].isalnum()


# Values that stand where a secret could but are not one: empty, null, prose.
_NOT_SECRET_WORDS = frozenset(
    {
        "null", "none", "nil", "true", "false", "undefined", "n/a", "na", "yes", "no", "ok",
        "required", "missing", "invalid", "expired", "incorrect", "wrong", "empty", "unset",
        "set", "present", "absent", "hidden", "masked", "redacted", "omitted", "not", "is",
        "was", "the", "a", "an", "in", "and", "or", "for", "must", "should", "header",
        "headers", "scheme", "type", "token", "tokens", "auth", "authentication",
        "authorization", "bearer", "basic", "key", "secret", "password", "credentials",
        "value", "string", "str", "int", "example",
    }
)  # fmt: skip
_PLACEHOLDER = re.compile(
    r"""(?x)
    \$\{?[A-Za-z_][A-Za-z0-9_]*\}?           # $LINQ_API_V3_API_KEY, ${TOKEN}
    | %[a-z] | %\(\w+\)[a-z] | %\w+%          # %s, %(token)s, %TOKEN%
    | \{\{?[^{}]*\}\}? | <[^<>]*>             # {{token}}, {token}, <api-key>
    | [*xX.\u2026\u2022_-]+                   # ****, xxxx, ..., …
    | (?i:your|my|the)[ _-].*                 # YOUR_API_KEY, my-token
    | \[[A-Za-z _-]*\]                        # [REDACTED], [hidden]
    """
)

_PLAIN_PLACEHOLDER = re.compile(r"[xX]+")


def is_secret_value(value: str) -> bool:
    """Whether a value found after a secret-looking name is a credential and not a stand-in."""
    word = value.strip().strip("\"'").rstrip(".,:")
    if word.isalnum():  # the common case: no placeholder is letters and digits alone
        return word.casefold() not in _NOT_SECRET_WORDS and not _PLAIN_PLACEHOLDER.fullmatch(word)
    if not any(c.isalnum() for c in word):
        # Punctuation alone is a password too ("!@#$%^"), unless it is a stand-in: one
        # character repeated ("********", "!!!!"), or too short to be anything ("-", "…").
        return len(word) >= 4 and len(set(word)) >= 2 and _PLACEHOLDER.fullmatch(word) is None
    if word.casefold() in _NOT_SECRET_WORDS:
        return False
    return _PLACEHOLDER.fullmatch(word) is None
