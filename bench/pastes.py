"""Crafted pastes for `make bench`: the worst a 64 KiB paste can make the diagnosis and the masking
do, beside realistic pastes of the same size.

Each is cut to at most MAX_INPUT_BYTES, the most the page and the API accept. The diagnosis must
answer every one of them in well under 250 ms of server time; masking a realistic 60 KB paste
should cost a few milliseconds.
"""

import json
from typing import Any

LIMIT = 64 * 1024
TRACE_ID = "2eff5df5c6f688733c007523c4d61cd9"
ENVELOPE: dict[str, Any] = {
    "success": False,
    "error": {"status": 429, "code": 1007, "message": "Rate limit exceeded", "retry_after": 30},
    "trace_id": TRACE_ID,
}


def cut(text: str, limit: int = LIMIT) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a character boundary."""
    return text.encode()[:limit].decode("utf-8", "ignore")


def repeat(unit: str, limit: int = LIMIT) -> str:
    """As many whole copies of `unit` as fit in `limit` bytes."""
    return unit * (limit // len(unit.encode()))


def _json_in_json(levels: int) -> str:
    text = json.dumps(ENVELOPE)
    for _ in range(levels):
        text = json.dumps({"log": text})
    return text


def realistic(limit: int = 60_000) -> str:
    """`curl -v` of a failing call, then application logs with envelopes: about 60 KB, with a
    bearer token in the request and the same key once more in a log line."""
    key = "sk_live_51HqLyjWDarjtT1zdp7dcXZX0FAKEFAKE"
    request = (
        "> POST /api/partner/v3/chats HTTP/2\n> Host: api.linqapp.com\n"
        f"> Authorization: Bearer {key}\n"
        "> Content-Type: application/json\n>\n< HTTP/2 429\n< retry-after: 30\n"
        f"< x-trace-id: {TRACE_ID}\n<\n{json.dumps(ENVELOPE)}\n"
    )
    lines = []
    for i in range(2000):
        trace = f"{i:08x}{TRACE_ID[8:]}"
        error = {"status": 500, "code": 3002, "message": "Server operation failed"}
        body = json.dumps({"success": False, "error": error, "trace_id": trace})
        stamp = f"2026-11-03T14:02:{i % 60:02d}"
        lines.append(f"{stamp}.402Z ERROR chat=ch_{i:06d} failed: {body}")
        if i % 7 == 0:
            lines.append(f"{stamp}.118Z INFO sending message to +1415555{i:04d}")
    lines.insert(100, f"2026-11-03T14:02:37.500Z DEBUG retry with key {key}")
    return cut(request + "\n".join(lines), limit)


def diagnosis_pastes() -> dict[str, str]:
    """The crafted pastes, each at most 64 KiB, by name."""
    tiny_error = '{"error":{"code":1007}}'
    return {
        "one envelope (baseline)": json.dumps(ENVELOPE),
        "realistic: curl -v + 2,000 log lines": realistic(LIMIT),
        "code=1007 repeated": repeat("code=1007 "),
        "tiny error objects, JSON array": cut("[" + ",".join([tiny_error] * 3000) + "]"),
        "tiny envelopes, NDJSON": repeat('{"success":false,"error":{"code":2004}}\n'),
        "HTTP/1.1 500 repeated": repeat("HTTP/1.1 500\n\n"),
        "HTTP/1.1 500 + tiny body": repeat(
            'HTTP/1.1 500\n\n{"success":false,"error":{"status":500,"code":3002}}\n'
        ),
        "JSON inside a JSON string, 6 deep": cut("\n".join([_json_in_json(6)] * 200)),
        "envelopes inside one JSON string": cut(
            json.dumps({"log": "\n".join([json.dumps(ENVELOPE)] * 800)})
        ),
        "distinct trace ids": cut(
            "\n".join(json.dumps({**ENVELOPE, "trace_id": f"{i:032x}"}) for i in range(1, 900))
        ),
        "distinct messages": cut(
            "\n".join(
                json.dumps({**ENVELOPE, "error": {**ENVELOPE["error"], "message": f"m{i}"}})
                for i in range(900)
            )
        ),
        "every code number": cut(" ".join(f"code={c}" for c in list(range(1000, 6000)) * 2)),
        "bare messages, one a line": repeat("Rate limit exceeded\n"),
        "bare trace ids, one a line": repeat(f"{TRACE_ID}\n"),
        "legacy V2 errors": repeat('{"errors":[{"status":404,"code":"not_found"}]}\n'),
        "webhooks": repeat('{"event_type":"message.failed","data":{"code":4002,"message":"x"}}\n'),
        "brackets": "[" * LIMIT,
        "opening strings": repeat('{"a{"a'),
        "Bearer + distinct tokens": cut(
            "".join(f"Authorization: Bearer tok{i:08d}abc\n" for i in range(3000))
        ),
    }


def masking_pastes() -> dict[str, str]:
    """Realistic pastes of about 60 KB, and the worst crafted for the masking itself."""
    return {
        "realistic 60 KB: curl -v + log lines": realistic(),
        "realistic 60 KB: JSON log, no secret": cut(
            "\n".join(json.dumps({**ENVELOPE, "n": i}) for i in range(1000)), 60_000
        ),
        "token= with 5,000 distinct values": cut(
            "".join(f"token=v{i:07d}x " for i in range(5000)), 60_000
        ),
        "Authorization: Bearer, 3,000 distinct": cut(
            "".join(f"Authorization: Bearer tok{i:08d}abc\n" for i in range(3000)), 60_000
        ),
        "PEM BEGIN lines without END": repeat("-----BEGIN A-----", 60_000),
        "JWT-like runs": repeat("eyJaaaa.", 60_000),
        "authorization: prose": repeat("authorization: ", 60_000),
        "token= repeated": repeat("token=", 60_000),
    }
