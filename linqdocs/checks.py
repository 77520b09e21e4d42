"""`manage.py check --deploy`: the secret key and ALLOWED_HOSTS by the rules production starts with
(linqdocs.configguard), so a staging run in DEBUG learns what production would refuse."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from linqdocs.configguard import KEY_ADVICE, allowed_hosts_problems, secret_key_problems


@register(Tags.security, deploy=True)
def check_secret_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    weaknesses = secret_key_problems(settings.SECRET_KEY)
    if weaknesses:
        errors.append(
            Error(
                f"DJANGO_SECRET_KEY is too weak: {', '.join(weaknesses)}.",
                hint=KEY_ADVICE,
                id="linqdocs.E101",
            )
        )
    for position, key in enumerate(settings.SECRET_KEY_FALLBACKS, start=1):
        weaknesses = secret_key_problems(key)
        if weaknesses:
            errors.append(
                Error(
                    f"Key {position} of DJANGO_SECRET_KEY_FALLBACKS is too weak: "
                    f"{', '.join(weaknesses)}.",
                    hint="Signatures made with it can be forged; remove it.",
                    id="linqdocs.E102",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_allowed_hosts(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Error(f"{problem}.", id="linqdocs.E103")
        for problem in allowed_hosts_problems(settings.ALLOWED_HOSTS)
    ]
