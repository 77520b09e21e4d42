"""The writers' report: every rated page with its answers, the most "no" first, with comments."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from feedback import pages
from feedback.models import Vote

COMMENTS_PER_PAGE = 20


@dataclass(frozen=True)
class Comment:
    helpful: bool
    text: str
    created: datetime


@dataclass(frozen=True)
class PageRow:
    key: str
    title: str
    url: str | None
    yes: int
    no: int
    comments: tuple[Comment, ...]

    @property
    def total(self) -> int:
        return self.yes + self.no


def page_report() -> list[PageRow]:
    counts = (
        Vote.objects.values("page")
        .annotate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
        .order_by("-no", "yes", "page")
    )
    rows = []
    for row in counts:
        comments = tuple(
            Comment(vote.helpful, vote.comment, vote.created)
            for vote in Vote.objects.filter(page=row["page"])
            .exclude(comment="")
            .order_by("-created")[:COMMENTS_PER_PAGE]
        )
        rated = pages.resolve(row["page"])
        rows.append(
            PageRow(
                key=row["page"],
                title=rated.title if rated else row["page"],
                url=rated.url if rated else None,
                yes=row["yes"],
                no=row["no"],
                comments=comments,
            )
        )
    return rows
