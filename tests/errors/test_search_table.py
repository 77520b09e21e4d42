"""Search judged on what people holding an error type: (query, code expected within the top N)."""

import pytest

from errors.guidesearch import search_guides
from errors.search import search
from errors.searchrequest import SearchRequest


def ranked(q: str) -> list[int]:
    return [hit.entry.code for hit in search(SearchRequest(q=q))]


# (query as typed, the code it is after, how high it must rank: 1 = first)
TABLE = [
    # Pasted message text, whole or in part
    ("Rate limit exceeded", 1007, 1),
    ("rate limit exceeded retry", 1007, 1),
    ("Missing required field", 1001, 1),
    ("Phone number must be in E.164 format", 1002, 1),
    ("must be in E.164", 1002, 1),
    ("Invalid request body", 1003, 1),
    ("Invalid message content", 1004, 1),
    ("Invalid parameter value", 1005, 1),
    ("Cannot update direct message chats", 1006, 1),
    ("Chat not found", 2001, 1),
    ("Message not found", 2002, 1),
    ("Attachment not found", 2003, 1),
    ("Access denied", 2005, 1),
    ("Phone number permission denied", 2006, 1),
    ("Attachment not ready", 2007, 1),
    ("Recipient not allowed", 2008, 1),
    ("The chat is still being created", 2009, 1),
    ("Webhook subscription not found", 2010, 1),
    ("Feature not available", 2011, 1),
    ("Contact card not found", 2012, 1),
    ("This chat is unavailable", 2013, 1),
    ("Operation conflicts with current state", 2015, 1),
    ("iMessage app messages can only be sent over iMessage", 2018, 1),
    ("Server connection error", 3001, 1),
    ("Server operation failed", 3002, 1),
    ("Service connection error", 3003, 1),
    ("Network timeout", 3005, 1),
    ("Internal server error", 3006, 1),
    ("Maximum delivery attempts exceeded", 3007, 1),
    ("Delivery failed", 4001, 1),
    ("Phone not available", 4002, 1),
    ("Webhook delivery failed", 4003, 1),
    ("Recipient does not support this message type", 4005, 1),
    ("File upload failed", 5001, 1),
    ("File download failed", 5002, 1),
    ("Failed to generate file URL", 5003, 1),
    ("Invalid file type", 5004, 1),
    ("File too large", 5005, 1),
    ("Content type mismatch", 5006, 1),
    ("Failed to download image from the provided URL", 5007, 1),
    # Fields, headers and statuses read off a response
    ("retry after", 1007, 1),
    ("Retry-After header", 1007, 3),
    ("retry_after", 1007, 3),
    ("429", 1007, 1),
    ("401", 2004, 1),
    ("409 conflict", 2009, 10),
    ("504 gateway timeout", 3005, 1),
    ("503", 4004, 1),
    ("422", 4005, 1),
    ("1007", 1007, 1),
    ("code 2004", 2004, 1),
    # Words typed while the answer is still half in mind: prefixes and typos
    ("attachment too", 2003, 8),
    ("attachment too", 5005, 1),
    ("atachment", 2003, 2),
    ("unauthoriz", 2004, 1),
    ("ratelimit", 1007, 1),
    ("rate lim", 1007, 1),
    ("E164", 1002, 1),
    ("webhok delivery", 4003, 1),
    ("contact card exists", 2014, 1),
    ("contact card alredy exists", 2014, 1),
    ("chat still creating", 2009, 1),
    ("presigned url expired", 2003, 1),
    ("too big file", 5005, 3),
    ("file too lar", 5005, 1),
    ("sandbox recipient must message first", 2008, 3),
    ("bearer token invalid", 2004, 1),
    ("phone number not assigned", 2006, 1),
    ("group chat only", 2016, 5),
    ("service unavailable retry 30 seconds", 4004, 1),
    # A number among words is a quantity, not the start of a code.
    ("wait 30 seconds", 4004, 1),
    ("30 messages per 60 seconds", 1007, 1),
    ("sandbox 100 messages a day", 1007, 2),
    # The codes whose pages carry the look-up snippets, asked the way their holders would.
    ("Unauthorized - missing or invalid authentication token", 2004, 1),
    ("X-LINQ-INTEGRATION-TOKEN", 2004, 1),
    ("Resource not found", 2001, 1),
    ("left the chat", 2013, 1),
    ("webhook subscription id", 2010, 1),
    ("update app card 409", 2015, 1),
    ("app card update not delivered", 2015, 2),
    ("preferred_service sms app message", 2018, 1),
    ("message.failed 4005", 4005, 1),
    ("recipient not on imessage", 4005, 1),
    ("line id instead of phone number", 2019, 1),
    ("line flagged", 4002, 2),
    ("from number not assigned", 2006, 1),
    ("media url not https", 5002, 1),
    ("ssl certificate media url", 5002, 1),
    ("webp not supported", 5004, 1),
    ("file extension does not match", 5006, 1),
    ("image_url not valid image", 5007, 1),
]


@pytest.mark.parametrize(("q", "code", "within"), TABLE)
def test_search_table(q, code, within):
    result = ranked(q)
    assert code in result[:within], (q, result[: within + 3])


def test_the_table_is_big_enough():
    assert len(TABLE) >= 60


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("webhook", "webhooks"),
        ("webhooks", "webhooks"),
        ("webhook signature", "webhooks"),
        ("retry", "retries"),
        ("backoff", "retries"),
        ("rate limits", "rate-limits"),
        ("trace id", "trace-ids"),
        ("trace", "trace-ids"),
        ("attachments size limit", "attachments"),
        ("authentication", "authentication"),
        ("envelope", "error-envelope"),
    ],
)
def test_guides_are_found_beside_codes(q, slug):
    assert slug in [hit.guide.slug for hit in search_guides(q)[:2]]


def test_guides_show_in_the_results_page(client):
    page = client.get("/errors/", {"q": "webhook"}).content.decode()
    assert '<h2 id="guide-hits">Guides</h2>' in page
    assert page.index('href="/guides/webhooks/"') < page.index('href="/errors/2010/"')


def test_a_phrase_in_the_retry_advice_outranks_scattered_words():
    assert ranked("retry after")[0] == 1007


def test_a_number_on_its_own_is_still_read_as_a_code_being_typed():
    assert ranked("30")[:7] == [3001, 3002, 3003, 3004, 3005, 3006, 3007]
    assert ranked("300")[:2] == [3001, 3002]


def test_not_is_read_in_phrases_but_does_not_outweigh_the_words_around_it():
    # "not" is in a dozen messages: as a word it would put every "... not found" code above the
    # one whose text says "assigned"; as part of a phrase it still counts.
    assert ranked("phone number not assigned")[0] == 2006
    assert ranked("Recipient not allowed")[0] == 2008
    assert ranked("not")[:1] == [2001]  # a query of stop words alone still searches
