"""Reader feedback in the admin: the per-page report, the answers, and the missed searches."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from feedback import pages
from feedback.models import MissedSearch, Vote
from feedback.report import page_report


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["created", "page_title", "helpful", "comment"]
    list_filter = ["helpful", "created"]
    search_fields = ["page", "comment"]
    date_hierarchy = "created"
    change_list_template = "admin/feedback/vote/change_list.html"

    @admin.display(description="page", ordering="page")
    def page_title(self, vote: Vote) -> str:
        return pages.title(vote.page)

    # Answers are what readers said: they are read and deleted here, never edited or made up.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Vote | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        report = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="feedback_vote_report",
        )
        return [report, *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Was this helpful? — by page",
            "rows": page_report(),
            "opts": self.model._meta,
            "answers_url": reverse("admin:feedback_vote_changelist"),
        }
        return TemplateResponse(request, "admin/feedback/report.html", context)


@admin.register(MissedSearch)
class MissedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "count", "last_seen", "first_seen"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MissedSearch | None = None) -> bool:
        return False
