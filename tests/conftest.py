import json

import pytest
from django.conf import settings

from errors.catalogue import ErrorCode
from errors.loading import get_catalogue
from errors.search import SearchIndex

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


def make_ticket(**fields):
    """A stored support request as the form would have made it; `fields` override."""
    from support.forms import new_form_token
    from support.models import Ticket

    values = {
        "form_token": new_form_token(),
        "email": "dev@example.com",
        "trace_ids": TRACE_ID,
        "error_code": 1007,
        "http_status": 429,
        "environment": "production",
        "endpoint": "POST /v3/chats",
        "subject": "Rate limited",
        "description": "429 on every call.",
        "envelope": '{"error": {"code": 1007}, "note": "<script>alert(1)</script>"}',
        "diagnosis": {
            "input_kind": "envelope",
            "diagnoses": [{"code": 1007, "trace_id": TRACE_ID}],
        },
    }
    values.update(fields)
    return Ticket.objects.create(**values)


@pytest.fixture
def staff_client(client, django_user_model):
    """A staff user with permission to view and change tickets only (no replies or notes)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("engineer", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="support", codename__in=["view_ticket", "change_ticket"]
        )
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def support_agent_group(db):
    """The "Support agent" group exactly as its migration makes it.

    Transactional tests (the browser's live server, the concurrency tests) empty every table when
    they end, and only Django's own content types and permissions come back by themselves, so the
    migration's function is run again here; it leaves an existing group as it is.
    """
    from importlib import import_module

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = import_module("support.migrations.0003_support_agent_group")
    state = MigrationLoader(connection).project_state(("support", "0003_support_agent_group"))
    migration.create_group(state.apps, None)
    return Group.objects.get(name=migration.GROUP)


@pytest.fixture(autouse=True)
def _fresh_response_cache():
    """Each test starts with an empty response cache, whatever the tests before it served."""
    from linqdocs.responsecache import responses

    responses.clear()
    yield
    responses.clear()


@pytest.fixture
def rows_made(monkeypatch):
    """The codes a search made a row (field and snippet) for, in order: a search makes one only
    for a row that is read."""
    made: list[int] = []
    original = SearchIndex.hit

    def hit(self, entry, score, terms):
        made.append(entry.code)
        return original(self, entry, score, terms)

    monkeypatch.setattr(SearchIndex, "hit", hit)
    return made
