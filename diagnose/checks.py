"""`manage.py check` refuses a DIAGNOSE_RATE_LIMIT it cannot read, instead of a 500 on first use."""

from django.core.checks import Error, register

from linqdocs.ratelimit import configured_rate


@register()
def check_rate_limit(app_configs: object = None, **kwargs: object) -> list[Error]:
    try:
        configured_rate("DIAGNOSE_RATE_LIMIT")
    except ValueError as exc:
        return [
            Error(
                f"DIAGNOSE_RATE_LIMIT: {exc}.",
                hint="Use a count per window such as '300/10m' or '60/m'; '0' turns the limit off.",
                id="diagnose.E001",
            )
        ]
    return []
