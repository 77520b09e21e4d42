"""Properties of the request check over generated requests: it never raises, and no secret a
request carries comes back in anything it says."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnose.engine import diagnose
from diagnose.engine.request import check_request

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
tokens = st.text(TOKEN_CHARS, min_size=24, max_size=48).map(lambda s: "sk_live_" + s)
phones = st.one_of(
    st.from_regex(r"\+[1-9][0-9]{9,13}", fullmatch=True),
    st.from_regex(r"[0-9]{10}", fullmatch=True),
    st.from_regex(r"\([0-9]{3}\) [0-9]{3}-[0-9]{4}", fullmatch=True),
)
parts = st.lists(
    st.one_of(
        st.fixed_dictionaries({"type": st.just("text"), "value": st.text(max_size=40)}),
        st.fixed_dictionaries({"type": st.just("link"), "value": st.just("https://example.com/x")}),
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["media", "image"]),
                "url": st.sampled_from(
                    ["https://e.com/a.jpg", "http://e.com/a.jpg", "https://10.0.0.1/a.png"]
                ),
            }
        ),
    ),
    max_size=4,
)
bodies = st.fixed_dictionaries(
    {
        "from": phones,
        "to": st.lists(phones, max_size=3),
        "message": st.fixed_dictionaries({"parts": parts}),
    }
)
paths = st.sampled_from(
    [
        "/chats",
        "/chats/8d7f2b6e-3c1a-4f0e-9b5d-2a6c4e8f1b3d/messages",
        "/chats/12/messages",
        "/attachments",
        "/capability/check_imessage",
        "/nowhere",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=tokens, body=bodies, path=paths, scheme=st.sampled_from(["Bearer ", "Bearer: ", ""]))
def test_a_token_sent_with_a_request_is_never_echoed(
    token: str, body: dict, path: str, scheme: str
) -> None:
    body["message"]["parts"].append({"type": "text", "value": f"my key is {token}"})
    paste = (
        f"curl -X POST https://api.linqapp.com/api/partner/v3{path} "
        f"-H 'Authorization: {scheme}{token}' -H 'Content-Type: application/json' "
        f"-d '{json.dumps(body)}'"
    )
    report = diagnose(paste)
    assert token not in json.dumps(report.as_dict())
    assert token not in report.redacted_text
    assert report.request is not None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_checked_without_raising(text: str) -> None:
    check_request(text)
    check_request("curl " + text)
    check_request("POST /v3/chats HTTP/1.1\n" + text)


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(
                st.sampled_from(
                    [
                        "from",
                        "to",
                        "message",
                        "parts",
                        "type",
                        "value",
                        "url",
                        "app",
                        "team_id",
                        "address",
                        "size_bytes",
                        "content_type",
                        "target_url",
                    ]
                ),
                children,
                max_size=5,
            ),
        ),
        max_leaves=20,
    )
)
def test_any_body_shape_is_checked_without_raising(body: object) -> None:
    for path in ("/chats", "/attachments", "/webhook-subscriptions", "/contact_card"):
        check_request(
            f"curl -X POST https://api.linqapp.com/api/partner/v3{path} "
            f"-H 'Content-Type: application/json' -d '{json.dumps(body)}'"
        )
    check_request(json.dumps(body))
