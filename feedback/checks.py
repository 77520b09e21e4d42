"""`manage.py check` refuses a FEEDBACK_RATE_LIMIT it cannot read, instead of a 500 on first use."""

from django.core.checks import Error, register

from linqdocs.ratelimit import configured_rate


@register()
def check_rate_limit(app_configs=None, **kwargs) -> list[Error]:
    try:
        configured_rate("FEEDBACK_RATE_LIMIT")
    except ValueError as exc:
        return [
            Error(
                f"FEEDBACK_RATE_LIMIT: {exc}.",
                hint="Use a count per window such as '20/h' or '5/10m'; '0' turns the limit off.",
                id="feedback.E001",
            )
        ]
    return []
