"""Markup the Nu Html Checker (vnu) refuses, kept from coming back on every page type.

The checker itself needs Java, which the suite does not; these tests read the same attributes with
the standard library's parser.
"""

import re
from html.parser import HTMLParser

import pytest

from support.models import TicketMessage
from tests.conftest import ENVELOPE, TRACE_ID, make_ticket

# HTML's valid global date and time string: seconds optional, at most three digits of a fraction.
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2}))?"
)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            # Only data-* names are open to scripts; htmx reads data-hx-* as it reads hx-*.
            if name.startswith("hx-"):
                self.problems.append(f"<{tag} {name}>")
            if tag == "time" and name == "datetime" and not HTML_DATETIME.fullmatch(value or ""):
                self.problems.append(f'<time datetime="{value}">')


def problems(response) -> list[str]:
    assert response.status_code < 500
    parser = _Attributes()
    parser.feed(response.content.decode())
    return parser.problems


PAGES = [
    ("get", "/", {}),
    ("get", "/errors/", {}),
    ("get", "/errors/?q=rate+limit&category=1xxx", {}),
    ("get", "/errors/2004/", {}),
    ("get", "/guides/retries/", {}),
    ("get", "/diagnose/", {}),
    ("post", "/diagnose/", {"envelope": ENVELOPE}),
    ("post", "/diagnose/", {"envelope": "messages just dont go out"}),
    ("get", "/support/new/?code=2004&trace_id=" + TRACE_ID + "&status=401", {}),
    ("get", "/nope/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "data"), PAGES)
def test_pages_use_only_attributes_html_allows(client, method, url, data):
    assert problems(getattr(client, method)(url, data)) == []


def test_htmx_fragments_use_only_attributes_html_allows(client):
    response = client.get("/errors/", {"q": "webhook"}, headers={"HX-Request": "true"})
    assert "swap-oob" in response.content.decode()
    assert problems(response) == []


@pytest.mark.django_db
def test_times_on_a_request_page_and_in_the_desk_are_valid_html(admin_client, client):
    ticket = make_ticket()
    TicketMessage.objects.create(ticket=ticket, kind="reply", body="Looking into it.")
    pages = [
        client.get(f"/support/requests/{ticket.public_token}/"),
        admin_client.get("/admin/support/ticket/"),
        admin_client.get(f"/admin/support/ticket/{ticket.pk}/change/"),
    ]
    for page in pages:
        assert "<time datetime=" in page.content.decode()
        assert problems(page) == []
