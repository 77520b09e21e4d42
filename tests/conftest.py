import json

import pytest
from django.conf import settings

from errors.catalogue import ErrorCode, get_catalogue

# Test data several modules share (import it from here): a trace id and the 1007 envelope the
# Linq API sends, as a developer would paste it.
TRACE_ID = "2eff5df5c6f688733c007523c4d61cd9"
ENVELOPE = json.dumps(
    {
        "success": False,
        "error": {
            "status": 429,
            "code": 1007,
            "message": "Rate limit exceeded",
            "retry_after": 30,
            "doc_url": "https://docs.linqapp.com/error/codes/1xxx/1007/",
        },
        "trace_id": TRACE_ID,
    },
    indent=2,
)


def entry_for(code: int) -> ErrorCode:
    """The catalogue's entry for a code the test knows is there."""
    entry = get_catalogue().get(code)
    assert entry is not None, f"{code} is not in the catalogue"
    return entry


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Test on a SQLite file, not in memory, unless SQLITE_TEST_NAME names one.

    WAL, the busy timeout and concurrent writers only behave as in production on a file; an
    in-memory database shares one cache between threads and fails them with "table is locked".
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(autouse=True)
def _no_diagnose_rate_limit(settings):
    """The suite posts hundreds of pastes from one address; the tests of the limit set it."""
    settings.DIAGNOSE_RATE_LIMIT = "0"
