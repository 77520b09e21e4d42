"""Sources, review dates and the Atom feed of changes, as a reader meets them."""

import xml.etree.ElementTree as ET

from errors.loading import get_catalogue

ATOM = "{http://www.w3.org/2005/Atom}"


def child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(f"{ATOM}{tag}")
    assert found is not None, f"no <{tag}>"
    return found


def text(element: ET.Element, tag: str) -> str:
    return child(element, tag).text or ""


def test_a_code_page_shows_its_sources_review_date_and_folded_notes_last(client):
    page = client.get("/errors/1007/").content.decode()
    assert '<h2 id="sources">Sources</h2>' in page
    assert 'href="https://docs.linqapp.com/error"' in page
    assert '<time datetime="2026-12-01">1 December 2026</time>' in page
    notes = page.index('<details class="source-notes">')
    # Folded, after the guidance, the example, the related codes and guides.
    for earlier in ('id="how-to-fix-it"', 'id="example-envelope"', 'id="related-codes"'):
        assert page.index(earlier) < notes
    assert "<summary>Where the sources disagree</summary>" in page
    assert 'href="#where-the-sources-disagree"' not in page  # not in the table of contents


def test_pages_link_the_feed(client):
    for url in ("/errors/2004/", "/guides/webhooks/"):
        page = client.get(url).content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in page
        assert 'href="/feeds/changes.atom"' in page


def test_the_feed_lists_every_page_with_what_changed(client):
    response = client.get("/feeds/changes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    catalogue = get_catalogue()
    assert len(entries) == len(catalogue.codes) + len(catalogue.guides)
    by_link = {child(e, "link").get("href"): e for e in entries}
    entry = by_link["http://testserver/errors/4005/"]
    assert "message.failed" in text(entry, "summary")
    assert text(entry, "updated").startswith("2026-12-01")
    assert text(entry, "id").endswith("#reviewed-2026-12-01")


def test_guides_have_a_markdown_version(client):
    response = client.get("/guides/webhooks.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Webhooks\n")
    assert "## Sources" in text and "Last reviewed 2026-12-01." in text
    assert client.get("/guides/no-such-guide.md").status_code == 404


def test_llms_txt_lists_the_guides_markdown(client):
    text = client.get("/llms.txt").content.decode()
    for guide in get_catalogue().guides.values():
        assert f"]({guide.markdown_url})" in text


def test_a_code_page_shows_snippet_tabs_and_the_sdk_error(client):
    page = client.get("/errors/1007/").content.decode()
    assert '<h2 id="handle-it-in-code">Handle it in code</h2>' in page
    for language in ("curl", "python", "javascript"):
        assert f'id="snippet-tab-{language}" value="{language}"' in page
        assert f'data-copy-target="#snippet-{language}"' in page
    assert "<code>LinqAPIV3.RateLimitError</code>" in page
    assert "<code>linq.RateLimitError</code>" in page
    assert "Not raised by the send call" in client.get("/errors/4005/").content.decode()
    markdown = client.get("/errors/1007.md").content.decode()
    assert "## Handle it in code" in markdown and "### JavaScript" in markdown
