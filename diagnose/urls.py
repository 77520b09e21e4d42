from django.urls import path

from diagnose import views

app_name = "diagnose"
urlpatterns = [
    path("diagnose/", views.page, name="page"),
    path("diagnose/shared/", views.shared, name="shared"),
    path("api/diagnose/", views.api, name="api"),
]
