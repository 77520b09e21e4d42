from django.urls import path

app_name = "diagnose"
urlpatterns: list = []
