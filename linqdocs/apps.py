from django.apps import AppConfig


class LinqdocsConfig(AppConfig):
    """The project's own edges (settings, middleware, health, HTTP policy) as an app, so that its
    system checks run with `manage.py check --deploy`."""

    name = "linqdocs"

    def ready(self) -> None:
        from linqdocs import checks  # noqa: F401 - registers the checks
