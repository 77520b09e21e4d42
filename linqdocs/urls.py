from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("diagnose.urls")),
    path("support/", include("support.urls")),
    path("", include("errors.urls")),
]

handler400 = "linqdocs.errorpages.bad_request"
handler403 = "linqdocs.errorpages.permission_denied"
handler404 = "linqdocs.errorpages.page_not_found"
handler500 = "linqdocs.errorpages.server_error"
