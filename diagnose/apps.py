from django.apps import AppConfig


class DiagnoseConfig(AppConfig):
    name = "diagnose"
    verbose_name = "Diagnosis"
