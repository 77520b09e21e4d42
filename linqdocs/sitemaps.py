"""/sitemap.xml through django.contrib.sitemaps: the site's pages, every code and every guide.

A code or guide carries its review date as lastmod (as in the Atom feed), the home page and the
catalogue the content's last change; the diagnosis page has none to give.
"""

from datetime import UTC, datetime, time
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from errors.catalogue import ErrorCode, Guide
from errors.loading import get_catalogue
from errors.views import catalogue_page


def _reviewed_or_updated(page: ErrorCode | Guide) -> datetime:
    # Datetimes only: the sitemap view compares every lastmod, and a date and a datetime do not.
    if page.reviewed is None:
        return get_catalogue().updated_at
    return datetime.combine(page.reviewed, time.min, tzinfo=UTC)


class PageSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["errors:home", "errors:catalogue", "diagnose:page"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str) -> datetime | None:
        return get_catalogue().updated_at if item.startswith("errors:") else None


class CodeSitemap(Sitemap):
    def items(self) -> list[ErrorCode]:
        return list(get_catalogue().codes)

    def location(self, item: ErrorCode) -> str:
        return item.url

    def lastmod(self, item: ErrorCode) -> datetime:
        return _reviewed_or_updated(item)


class GuideSitemap(Sitemap):
    def items(self) -> list[Guide]:
        return list(get_catalogue().guides.values())

    def location(self, item: Guide) -> str:
        return item.url

    def lastmod(self, item: Guide) -> datetime:
        return _reviewed_or_updated(item)


@catalogue_page
def sitemap(request: HttpRequest) -> HttpResponse:
    # Annotated here, not at module level: Sitemap is not subscriptable at run time.
    sections: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
        "pages": PageSitemap,
        "codes": CodeSitemap,
        "guides": GuideSitemap,
    }
    response = sitemap_views.sitemap(request, sitemaps=sections)
    # A TemplateResponse renders late; the catalogue's response cache needs the body now.
    response.render()
    return response
