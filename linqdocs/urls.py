from django.contrib import admin
from django.urls import include, path

from linqdocs import openapi, sitemaps

# The admin is the support desk. It goes without the navigation sidebar, whose width the queue
# needs at 1280 px; the breadcrumbs and the admin's home lead everywhere the sidebar did.
admin.site.site_header = "linqdocs support desk"
admin.site.site_title = "linqdocs support desk"
admin.site.index_title = "Support desk"
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi.openapi, name="openapi"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("", include("diagnose.urls")),
    path("support/", include("support.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("errors.urls")),
]

handler400 = "linqdocs.errorpages.bad_request"
handler403 = "linqdocs.errorpages.permission_denied"
handler404 = "linqdocs.errorpages.page_not_found"
handler500 = "linqdocs.errorpages.server_error"
