"""An Atom feed of content changes: each code and guide page, newest review first."""

from datetime import UTC, date, datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from errors.catalogue import ErrorCode, Guide
from errors.loading import get_catalogue

Page = ErrorCode | Guide


def _when(page: Page) -> datetime:
    reviewed = page.reviewed or date.min
    return datetime.combine(reviewed, time.min, tzinfo=UTC)


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "linqdocs: changes to the Linq error reference"
    link = reverse_lazy("errors:catalogue")
    subtitle = "Each error code and guide page, newest review first, with what changed."
    author_name = "linqdocs"

    def items(self) -> list[Page]:
        catalogue = get_catalogue()
        pages: list[Page] = [*catalogue.codes, *catalogue.guides.values()]
        return sorted(pages, key=lambda p: (_when(p), _key(p)), reverse=True)

    def item_title(self, item: Page) -> str:
        name = f"{item.code} {item.message}" if isinstance(item, ErrorCode) else item.title
        return f"{name}: reviewed {item.reviewed.isoformat() if item.reviewed else 'never'}"

    def item_description(self, item: Page) -> str:
        summary = item.troubleshooting if isinstance(item, ErrorCode) else item.summary
        return item.change or f"Reviewed without a change to its advice. {summary}"

    def item_link(self, item: Page) -> str:
        return item.url

    def item_guid(self, item: Page) -> str:
        # A new review is a new entry, so readers see it again.
        return f"{item.url}#reviewed-{item.reviewed.isoformat() if item.reviewed else 'never'}"

    def item_pubdate(self, item: Page) -> datetime:
        return _when(item)

    def item_updateddate(self, item: Page) -> datetime:
        return _when(item)


def _key(page: Page) -> str:
    return str(page.code) if isinstance(page, ErrorCode) else page.slug
