from django.urls import path, register_converter

from errors import views
from errors.feeds import ChangesFeed
from linqdocs.httppolicy import revalidated


class CodeConverter:
    """Any path segment: unknown and non-numeric codes get the helpful 404 page, not Django's."""

    regex = r"[^/.]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(CodeConverter, "code")

app_name = "errors"
urlpatterns = [
    path("", views.home, name="home"),
    path("errors/", views.catalogue_list, name="catalogue"),
    path("errors/<code:code>/", views.detail, name="detail"),
    path("errors/<code:code>.md", views.code_markdown, name="markdown"),
    path("errors/<code:code>.json", views.code_json, name="json"),
    path("errors/<code:code>/problem.json", views.code_problem, name="problem"),
    path("guides/", views.guide_index, name="guides"),
    path("guides/<slug:slug>/", views.guide, name="guide"),
    path("guides/<slug:slug>.md", views.guide_markdown, name="guide_markdown"),
    # Readers poll the feed: kept and revalidated like every page of the reference.
    path("feeds/changes.atom", revalidated()(ChangesFeed()), name="changes_feed"),
    path("api/errors/", views.api_list, name="api_list"),
    path("api/errors/<code:code>/", views.api_detail, name="api_detail"),
    path("llms.txt", views.llms, name="llms"),
    path("llms-full.txt", views.llms_full, name="llms_full"),
    path("robots.txt", views.robots, name="robots"),
]
