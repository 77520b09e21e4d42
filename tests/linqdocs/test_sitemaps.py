"""/sitemap.xml (linqdocs/sitemaps.py): every page worth indexing, with lastmod where known."""

from xml.etree import ElementTree

from errors.catalogue import ErrorCode, Guide
from errors.loading import get_catalogue

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_the_pages_codes_and_guides(client):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    catalogue = get_catalogue()
    paths = ["/", "/errors/", "/diagnose/"]
    paths += [f"/errors/{entry.code}/" for entry in catalogue.codes]
    paths += [f"/guides/{slug}/" for slug in catalogue.guides]
    assert list(urls) == [f"http://testserver{path}" for path in paths]
    assert len(urls) == 3 + 48 + len(catalogue.guides)
    # A code or guide: its review date; the home page and catalogue: the content's last change;
    # the diagnosis page has no date to give.
    updated = catalogue.updated_at.date().isoformat()
    expected = {"http://testserver/": updated, "http://testserver/errors/": updated}
    pages: list[ErrorCode | Guide] = [*catalogue.codes, *catalogue.guides.values()]
    for page in pages:
        expected[f"http://testserver{page.url}"] = (
            page.reviewed.isoformat() if page.reviewed else updated
        )
    assert {loc: lastmod for loc, lastmod in urls.items() if lastmod} == expected
    assert response["Last-Modified"]
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
