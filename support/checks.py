"""`manage.py check` refuses a SUPPORT_RATE_LIMIT it cannot read, instead of a 500 on first use."""

from django.core.checks import Error, register

from linqdocs.ratelimit import configured_rate


@register()
def check_rate_limit(app_configs: object = None, **kwargs: object) -> list[Error]:
    try:
        configured_rate("SUPPORT_RATE_LIMIT")
    except ValueError as exc:
        return [
            Error(
                f"SUPPORT_RATE_LIMIT: {exc}.",
                hint="Use a count per window such as '5/10m', '20/h' or '10/30s'; '0' turns "
                "the limit off.",
                id="support.E001",
            )
        ]
    return []
