from django.apps import AppConfig


class ErrorsConfig(AppConfig):
    name = "errors"
    verbose_name = "Error catalogue"

    def ready(self) -> None:
        from errors import checks  # noqa: F401  (registers the content checks)
