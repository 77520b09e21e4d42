from django.urls import path

app_name = "errors"
urlpatterns: list = []
