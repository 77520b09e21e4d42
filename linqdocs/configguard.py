"""What production refuses to run with, and why: weak secret keys and wildcard hosts.

Plain functions of the values, no Django import, so that linqdocs.settings can refuse to start
(`_refuse_unsafe_production`) and `manage.py check --deploy` can report (linqdocs.checks) from the
same rules.
"""

MIN_KEY_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 10
# In a random key nearly every run of three characters is new; "abcde" repeated has five in 61.
MIN_DISTINCT_TRIGRAM_SHARE = 0.9
KEY_ADVICE = (
    "use 50+ random characters, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(64))'"
)


def secret_key_problems(key: str) -> list[str]:
    """Why `key` is too weak to sign sessions and CSRF tokens; empty when it is fine.

    Never repeats the key itself: the message ends up in logs and terminals.
    """
    problems = []
    if len(key) < MIN_KEY_LENGTH:
        problems.append(f"it has {len(key)} characters, fewer than {MIN_KEY_LENGTH}")
    if len(set(key)) < MIN_DISTINCT_CHARACTERS:
        problems.append(
            f"it uses only {len(set(key))} different characters "
            f"(at least {MIN_DISTINCT_CHARACTERS})"
        )
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    if trigrams and len(set(trigrams)) / len(trigrams) < MIN_DISTINCT_TRIGRAM_SHARE:
        problems.append("it repeats a pattern")
    return problems


def allowed_hosts_problems(hosts: list[str]) -> list[str]:
    if not hosts:
        return ["ALLOWED_HOSTS is empty"]
    if "*" in hosts:
        return [
            "ALLOWED_HOSTS contains '*', which accepts any Host header (forged links in password "
            "e-mails, cache poisoning): list the site's own host names; load balancers' probes "
            "of /healthz by address are answered without it"
        ]
    return []
