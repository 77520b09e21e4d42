"""`manage.py check` refuses a DIAGNOSE_RATE_LIMIT it cannot read, instead of a 500 on first use."""

from pathlib import Path

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


@register()
def check_request_rules(app_configs: object = None, **kwargs: object) -> list[Error]:
    """Every request rule states a documented fact, so each names at least one source, and every
    source it names is in the content's registry (errors/content/sources.toml)."""
    from django.conf import settings

    from diagnose.engine.request import RULES
    from errors.sources import REGISTRY_FILE, load_registry

    registry, _problems = load_registry(Path(settings.CONTENT_DIR))
    errors = []
    for rule in RULES:
        unknown = [key for key in rule.sources if key not in registry]
        if not rule.sources or unknown:
            errors.append(
                Error(
                    f"Request rule {rule.id!r} ({rule.check.__module__}."
                    f"{rule.check.__name__}) "
                    + (f"names unknown sources {unknown}." if unknown else "names no source."),
                    hint=f"Name the keys of {REGISTRY_FILE} its fact comes from: "
                    "@rule(..., sources=('attachments',)).",
                    id="diagnose.E002",
                )
            )
    return errors
