from django.apps import AppConfig


class DiagnoseConfig(AppConfig):
    name = "diagnose"
    verbose_name = "Diagnosis"

    def ready(self) -> None:
        from diagnose import checks  # noqa: F401  (registers the rate-limit check)
