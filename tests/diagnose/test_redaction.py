"""Secret masking (diagnose.engine.redaction): shapes that must be masked, near-misses that must
stay readable, and the properties every masking keeps (idempotent, JSON stays JSON, reported)."""

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnose.engine import diagnose
from diagnose.engine.redaction import (
    MASK,
    known_secrets,
    original_offset,
    redact_json,
    redact_secrets,
    redact_with_positions,
)

NOW = datetime(2026, 11, 3, 14, 2, 37, tzinfo=UTC)
TRACE = "2eff5df5c6f688733c007523c4d61cd9"

# Made-up credentials in the shapes real ones have (none of them works anywhere).
STRIPE_LIVE = "sk_live_51HqLyjWDarjtT1zdp7dcXZX0FAKEFAKE"
STRIPE_TEST = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
PUBLISHABLE = "pk_live_51HqLyjWDarjtT1zdFAKEFAKE00"
RESTRICTED = "rk_test_51HqLyjWDarjtT1zdFAKEFAKE00"
WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
LINQ_STYLE = "lq_live_8f3a9c2e7b1d4f6a0c5e9b2d7f1a3c6e"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUiLCJpYXQiOjE1MTYyMzkwMjJ9"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
OPAQUE = "9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZQ"  # a token with no shape of its own
GITHUB = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
PEM_BODY = "MIIEowIBAAKCAQEAsjtGIk8SxD+OEiBpP2/T\nJUAF0upwuKGMk6wH8Rwov88VvzJr\n"


def pem(label: str, body: str = PEM_BODY) -> str:
    return f"-----BEGIN {label}-----\n{body}-----END {label}-----"


def envelope(details: str = "") -> str:
    error = {"status": 401, "code": 2004, "message": "Unauthorized"}
    if details:
        error["details"] = details
    return json.dumps({"success": False, "error": error, "trace_id": TRACE})


# (paste, the secret in it). Every one must come back without the secret, masked once more
# changing nothing, and diagnosed with a secret_redacted finding.
DIGEST_RESPONSE = "6629fae49393a05397450978507c4ef1"
DIGEST = (
    'Digest username="ada", realm="linq", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", '
    f'uri="/v3/chats", response="{DIGEST_RESPONSE}", cnonce="0a4f113b"'
)
AWS_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
AWS = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
    f"SignedHeaders=content-type;host;x-amz-date, Signature={AWS_SIGNATURE}"
)

MASKED = [
    # -- a scheme with parameters: every parameter after the scheme ------------------------------
    (f"Authorization: {DIGEST}\nContent-Type: application/json", DIGEST_RESPONSE),
    (f"Authorization: {DIGEST}", "dcd98b7102dd2f0e8b11d0f600bfb0c093"),
    (json.dumps({"headers": {"Authorization": DIGEST}}), DIGEST_RESPONSE),
    (f"curl -H 'Authorization: {DIGEST}' https://api.linqapp.com/x", DIGEST_RESPONSE),
    (f"Authorization: {AWS}\r\nHost: api.linqapp.com", AWS_SIGNATURE),
    (f"Proxy-Authorization: {DIGEST}", "0a4f113b"),
    # -- by shape, with no label beside them ----------------------------------------------------
    (f"my key is {STRIPE_LIVE}", STRIPE_LIVE),
    (f"tried {STRIPE_TEST} in sandbox", STRIPE_TEST),
    (f"publishable: {PUBLISHABLE}", PUBLISHABLE),
    (f"restricted {RESTRICTED}.", RESTRICTED),
    (f"ek_live_{'A1b2C3d4E5f6'}", "ek_live_A1b2C3d4E5f6"),
    (f"webhook secret {WHSEC}", WHSEC),
    (f"our key {LINQ_STYLE} stopped working", LINQ_STYLE),
    (f"acme_prod_{'Zx9Yw8Xv7Wu6Vt5Us4'}", "acme_prod_Zx9Yw8Xv7Wu6Vt5Us4"),
    (f"bare {JWT}", JWT),
    (f"{JWT}", JWT),
    (f'{{"id_cookie": "x", "note": "{JWT}"}}', JWT),
    (f"gh token {GITHUB}", GITHUB),
    ("gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a"),
    (
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    ),
    ("glpat-xxxxXXXX1234abcd5678", "glpat-xxxxXXXX1234abcd5678"),
    ("SLACK=xoxb-123456789012-1234567890123-AbCdEfGh", "xoxb-123456789012-1234567890123-AbCdEfGh"),
    ("xoxp-1234567890-abcdefABCDEF", "xoxp-1234567890-abcdefABCDEF"),
    ("xapp-1-A0123456789-abcdefabcdef", "xapp-1-A0123456789-abcdefabcdef"),
    ("aws AKIAIOSFODNN7EXAMPLE in logs", "AKIAIOSFODNN7EXAMPLE"),
    ("ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A"),
    ("maps AIzaSyA-1234567890abcdefghijklmnopqrstu", "AIzaSyA-1234567890abcdefghijklmnopqrstu"),
    ("sk-proj-abcdefghijklmnopqrstuvwxyz012345", "sk-proj-abcdefghijklmnopqrstuvwxyz012345"),
    ("sk-ant-api03-abcdefghijklmnopqrstuvwx", "sk-ant-api03-abcdefghijklmnopqrstuvwx"),
    ("sk-abcdefghijklmnopqrstuvwxyz0123", "sk-abcdefghijklmnopqrstuvwxyz0123"),
    (
        "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",
        "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",
    ),
    ("npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm_abcdefghijklmnopqrstuvwxyz0123456789"),
    (
        "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0",
        "pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0",
    ),
    ("shpat_0123456789abcdef0123456789abcdef", "shpat_0123456789abcdef0123456789abcdef"),
    ("sq0atp-abcdefghijklmnopqrstuv", "sq0atp-abcdefghijklmnopqrstuv"),
    ("twilio SK0123456789abcdef0123456789abcdef", "SK0123456789abcdef0123456789abcdef"),
    ("mailgun key-0123456789abcdef0123456789abcdef", "key-0123456789abcdef0123456789abcdef"),
    (
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXabcdXXXXabcd",
        "T00000000/B00000000/XXXXabcdXXXXabcd",
    ),
    (
        "https://discord.com/api/webhooks/123456789012/abcdefghijklmnopqrstuvwxyz",
        "abcdefghijklmnopqrstuvwxyz",
    ),
    ("https://bot:hunter2hunter2@example.com/hook", "hunter2hunter2"),
    ("postgres://linqdocs:s3cr3t-pw@db:5432/linqdocs", "s3cr3t-pw"),
    # -- PEM blocks, the whole block -------------------------------------------------------------
    (pem("RSA PRIVATE KEY"), "MIIEowIBAAKCAQEAsjtGIk8SxD"),
    (pem("PRIVATE KEY"), "JUAF0upwuKGMk6wH8Rwov88VvzJr"),
    (pem("EC PRIVATE KEY"), "MIIEowIBAAKCAQEAsjtGIk8SxD"),
    (pem("OPENSSH PRIVATE KEY"), "MIIEowIBAAKCAQEAsjtGIk8SxD"),
    (pem("ENCRYPTED PRIVATE KEY"), "JUAF0upwuKGMk6wH8Rwov88VvzJr"),
    (f"key.pem:\n{pem('RSA PRIVATE KEY')}\nthen it failed", "MIIEowIBAAKCAQEAsjtGIk8SxD"),
    ("-----BEGIN PRIVATE KEY-----\n" + PEM_BODY, "JUAF0upwuKGMk6wH8Rwov88VvzJr"),  # cut off
    (json.dumps({"private_key": pem("PRIVATE KEY")}), "JUAF0upwuKGMk6wH8Rwov88VvzJr"),
    (json.dumps({"pem": pem("RSA PRIVATE KEY")}), "MIIEowIBAAKCAQEAsjtGIk8SxD"),
    # -- Authorization and Bearer, however written -----------------------------------------------
    (f"Authorization: Bearer {OPAQUE}", OPAQUE),
    (f"authorization: bearer {OPAQUE}", OPAQUE),
    (f"> Authorization: Bearer {OPAQUE}\r\n", OPAQUE),
    (f'curl -H "Authorization: Bearer {OPAQUE}" https://api.linqapp.com', OPAQUE),
    (f"curl -H 'authorization:Bearer {OPAQUE}'", OPAQUE),
    (f'{{"headers": {{"Authorization": "Bearer {OPAQUE}"}}}}', OPAQUE),
    (f'{{"headers": {{"authorization": "{OPAQUE}"}}}}', OPAQUE),
    (json.dumps({"log": json.dumps({"Authorization": f"Bearer {OPAQUE}"})}), OPAQUE),
    (f"Authorization%3A%20Bearer%20{OPAQUE}", OPAQUE),
    (f"Authorization%3a+Bearer+{OPAQUE}%3D%3D", OPAQUE),
    (f"Authorization=Bearer+{OPAQUE}&x=1", OPAQUE),
    (f"Bearer: {OPAQUE}", OPAQUE),
    (f"Bearer:{OPAQUE}", OPAQUE),
    (f"Token: {OPAQUE}", OPAQUE),
    (f"the token is Bearer {OPAQUE}.", OPAQUE),
    ("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    (f'{{"name": "Authorization", "value": "Bearer {OPAQUE}"}}', OPAQUE),
    (f'{{"raw": "HTTP/1.1 401\\r\\nAuthorization: Bearer {OPAQUE}\\r\\nHost: x"}}', OPAQUE),
    # -- names ending in a secret word: headers, JSON at any depth, env, query, form, flags --------
    (f"X-Api-Key: {OPAQUE}", OPAQUE),
    (f"x-api-key:{OPAQUE}", OPAQUE),
    ("X-LINQ-INTEGRATION-TOKEN: 6b1f0c3e5e3a4f0a", "6b1f0c3e5e3a4f0a"),
    (f'-H "X-Auth-Token: {OPAQUE}"', OPAQUE),
    (f'{{"api_key": "{OPAQUE}"}}', OPAQUE),
    (f'{{"apiKey":"{OPAQUE}"}}', OPAQUE),
    (f'{{"a": {{"b": [{{"c": {{"client_secret": "{OPAQUE}"}}}}]}}}}', OPAQUE),
    (f'{{"webhook": {{"signing_secret": "{OPAQUE}"}}}}', OPAQUE),
    (f'{{"auth": {{"accessToken": "{OPAQUE}", "refresh_token": "r-{OPAQUE}"}}}}', OPAQUE),
    (f'{{"x-api-key": "{OPAQUE}"}}', OPAQUE),
    ('{"password": 8675309123}', "8675309123"),
    ('{"password": "!@#$%^&*()"}', "!@#$%^&*()"),
    ("password=!@#$%^", "!@#$%^"),
    ("secret: ~!?~!?~!?", "~!?~!?~!?"),
    (f'{{"private_key": "{OPAQUE}"}}', OPAQUE),
    (f'{{\\"api_key\\": \\"{OPAQUE}\\"}}', OPAQUE),
    (f'"{{\\"password\\":\\"{OPAQUE}\\"}}"', OPAQUE),
    (f"LINQ_API_V3_API_KEY={OPAQUE}", OPAQUE),
    (f'export LINQ_API_V3_API_KEY="{OPAQUE}"', OPAQUE),
    (f"DB_PASSWORD='{OPAQUE}'", OPAQUE),
    (f"PGPASSWORD={OPAQUE} psql", OPAQUE),
    (f"GET /v3/chats?api_key={OPAQUE}&page=2", OPAQUE),
    (f"https://api.example.com/cb?token={OPAQUE}", OPAQUE),
    (f"grant_type=refresh&refresh_token={OPAQUE}&client_id=abc", OPAQUE),
    (f"client_secret={OPAQUE}", OPAQUE),
    (f"next=%2Fcb%3Fapi_key%3D{OPAQUE}", OPAQUE),
    (f"linq --api-key {OPAQUE} chats list", OPAQUE),
    (f"linq --token={OPAQUE}", OPAQUE),
    (f"api_key: {OPAQUE}", OPAQUE),
    (f"signing_secret: '{OPAQUE}'", OPAQUE),
    (f"'api_key' => '{OPAQUE}',", OPAQUE),
    (f"secret_key = {OPAQUE}", OPAQUE),
    (f"SESSIONID={OPAQUE}", OPAQUE),
    (f"credentials: {OPAQUE}", OPAQUE),
    (f"passphrase={OPAQUE}", OPAQUE),
    ("Cookie: sessionid=abc123def456; csrftoken=zzz999yyy888", "csrftoken=zzz999yyy888"),
    ("Set-Cookie: session=abc123def456; Path=/; HttpOnly", "abc123def456"),
    (f'{{"cookie": "sessionid={OPAQUE}"}}', OPAQUE),
    # -- once known, everywhere ------------------------------------------------------------------
    (f"Authorization: Bearer {OPAQUE}\n\n" + envelope(f"key {OPAQUE} is revoked"), OPAQUE),
    (f"token={OPAQUE}\nlater the same key {OPAQUE} again", OPAQUE),
    (f"X-Api-Key: {OPAQUE}\nGET /v3/chats?k={OPAQUE}", OPAQUE),
    (f'password: "ab/cd{OPAQUE}"\n{{"echo": "ab\\/cd{OPAQUE}"}}', OPAQUE),
]

# Near-misses: look a little like secrets, are not, and must stay readable.
KEPT = [
    f"X-Trace-ID: {TRACE}",
    f'{{"trace_id": "{TRACE}"}}',
    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    '{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}',
    '{"chat_id": "a6e0b4f2-3c1d-4e5f-8a9b-0c1d2e3f4a5b"}',
    '{"message_id": "b7f1c5a3-4d2e-4f6a-9b0c-1d2e3f4a5b6c"}',
    '{"event_id": "evt_01JD2K8Q3V7X", "event_type": "message.failed"}',
    '{"idempotency_key": "retry-2026-11-03-0001"}',
    '{"token_type": "bearer", "expires_in": 3600}',
    '{"max_tokens": 256, "token_count": 12}',
    '{"api_key": null, "token": "", "password": true}',
    '{"error": {"status": 401, "code": 2004, "message": "Unauthorized"}}',
    "code=1007 status=429 retry_after=30",
    "Date: Tue, 03 Nov 2026 14:02:37 GMT",
    "X-RateLimit-Reset: 1762178557",
    '{"created_at": "2026-11-03T14:02:37.402Z"}',
    '{"to": "+14155550123", "from": "+14155550199"}',
    '{"phone_number": "+44 20 7946 0958"}',
    "Include valid Bearer token in Authorization header.",
    "Authorization: Bearer $LINQ_API_V3_API_KEY",
    "Authorization: Bearer <token>",
    "Authorization: Bearer YOUR_API_KEY",
    "Authorization: Bearer ${LINQ_TOKEN}",
    'curl -H "Authorization: Bearer {{token}}"',
    "api_key=%s",
    "password: ********",
    "password=***",
    '{"password": "!!!!!!!!"}',
    "password: -",
    "password: ...",
    "token: xxxxxxxx",
    "the token expired yesterday",
    "Bearer tokens are issued by a Linq representative.",
    "The Authorization header is required",
    "authorization: missing",
    "X-Webhook-Signature: t=1762178557,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff53",
    'ETag: W/"5f1c-8a9b0c1d2e3f"',
    '{"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d28c0e5d4f3a1"}',
    "https://api.linqapp.com:443/api/partner/v3/chats",
    "https://user@example.com/path",
    "http://localhost:8000/diagnose/",
    "eyJzdWIiOiIxMjM0NTY3ODkwIn0",  # one base64 segment (a cursor), not a token
    '{"cursor": "eyJwYWdlIjoyfQ"}',
    '{"keyword": "token", "key": "value"}',
    "pk_12 is the primary key of row 12",
    "task-1234567890abcdefghijklmnop is still running",
    "run_test_cases1 passed",
    "-----BEGIN of the log----- nothing secret here",
    "Content-Length: 183",
    "X-Request-Id: 5c1e0a9b-3f4d-4e8a-9b2c-7d6e5f4a3b2c",
    '{"secret_redacted": false}',
    "sandbox_mode=true",
    '{"doc_url": "https://docs.linqapp.com/error/codes/2xxx/2004/"}',
]


@pytest.mark.parametrize(("paste", "secret"), MASKED)
def test_secret_is_masked(paste, secret):
    masked, count = redact_secrets(paste)
    assert secret not in masked
    assert count >= 1
    assert MASK in masked
    assert redact_secrets(masked) == (masked, 0)  # masking twice changes nothing


@pytest.mark.parametrize("paste", KEPT)
def test_near_miss_is_kept(paste):
    assert redact_secrets(paste) == (paste, 0)


def test_the_tables_are_as_large_as_promised():
    assert len(MASKED) >= 80
    assert len(KEPT) >= 40
    assert len({p for p, _ in MASKED}) == len(MASKED) and len(set(KEPT)) == len(KEPT)


@pytest.mark.parametrize(("paste", "secret"), MASKED)
def test_masking_never_breaks_json(paste, secret):
    try:
        original = json.loads(paste)
    except ValueError:
        return
    masked = json.loads(redact_secrets(paste)[0])
    assert type(masked) is type(original)
    assert secret not in json.dumps(masked)


@pytest.mark.parametrize(("paste", "secret"), MASKED)
def test_every_masked_shape_is_reported_by_the_diagnosis(paste, secret):
    report = diagnose(paste, now=NOW)
    assert "secret_redacted" in [f.id for f in report.findings]
    assert secret not in json.dumps(report.as_dict())
    assert secret not in report.redacted_text


def test_the_envelope_is_still_read_after_masking():
    paste = (
        "HTTP/1.1 401 Unauthorized\n"
        f"Authorization: Bearer {STRIPE_LIVE}\n"
        f"X-Trace-ID: {TRACE}\n\n" + envelope(f"key {STRIPE_LIVE} rejected")
    )
    report = diagnose(paste, now=NOW)
    assert [d.code for d in report.diagnoses] == [2004]
    assert report.diagnoses[0].trace_id == TRACE
    assert report.secrets_masked == 2
    assert STRIPE_LIVE not in json.dumps(report.as_dict()) + report.redacted_text


def test_a_quoted_number_keeps_the_json_valid():
    masked, count = redact_secrets('{"pin": 1, "password": 12345678, "x": [1]}')
    assert count == 1
    assert json.loads(masked) == {"pin": 1, "password": MASK, "x": [1]}


def test_a_value_found_in_one_text_is_masked_in_another():
    known = known_secrets(f"Authorization: Bearer {OPAQUE}")
    assert redact_secrets(f"I pasted {OPAQUE} by mistake", known) == (
        f"I pasted {MASK} by mistake",
        1,
    )
    assert redact_secrets("nothing", known) == ("nothing", 0)


def test_json_values_are_masked_string_by_string():
    value = {"a": [f"Bearer {OPAQUE}", 3, None], "b": {"c": f"x {STRIPE_LIVE}"}}
    masked, count = redact_json(value)
    assert masked == {"a": [f"Bearer {MASK}", 3, None], "b": {"c": f"x {MASK}"}}
    assert count == 2


def test_short_or_plain_values_are_masked_where_found_but_not_everywhere():
    masked, count = redact_secrets('{"token": "message", "message": "hi"}\npassword=1234 code 1234')
    assert masked == '{"token": "[REDACTED]", "message": "hi"}\npassword=[REDACTED] code 1234'
    assert count == 2


def test_many_distinct_secrets_are_all_masked():
    values = [f"tok{i:05d}XYZ" for i in range(300)]
    paste = "\n".join(f"token={v}" for v in values) + "\n" + " ".join(values)
    masked, _count = redact_secrets(paste)
    assert not any(v in masked for v in values)


def test_positions_map_back_to_the_original():
    paste = f"a Bearer {OPAQUE} b {STRIPE_LIVE} c"
    masked, replacements = redact_with_positions(paste)
    assert masked == f"a Bearer {MASK} b {MASK} c"
    c_masked = masked.index(" c") + 1
    assert original_offset(c_masked, replacements) == paste.index(" c") + 1
    assert original_offset(masked.index(MASK) + 3, replacements) == paste.index(OPAQUE)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from(MASKED), st.text(max_size=200))
def test_a_secret_survives_no_surrounding_text(before, case, after):
    paste, secret = case
    masked, _count = redact_secrets(f"{before}\n{paste}\n{after}")
    assert secret not in masked


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_masking_is_idempotent_on_any_text(text):
    masked, _count = redact_secrets(text)
    assert redact_secrets(masked) == (masked, 0)
