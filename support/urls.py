from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("requests/<str:token>/", views.done, name="done"),
]
