from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Reader feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from errors.signals import search_missed
        from feedback import checks, missed  # noqa: F401  (checks registers the rate-limit check)

        # The catalogue announces a search that found nothing; it does not know who listens.
        search_missed.connect(missed.record_from_signal, dispatch_uid="feedback.missed")
