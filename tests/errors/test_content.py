"""Every content file: complete, consistent with the source table and SPEC §3, and rendering."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from errors.catalogue import ErrorCode, Guide
from errors.loading import get_catalogue, validate_content
from tests.conftest import entry_for

SOURCE_TABLE = settings.BASE_DIR.parent / "shared" / "source" / "errors-table.md"

TABLE_CODES = [
    *range(1001, 1008),
    *range(2001, 2016),
    *range(3001, 3008),
    *range(4001, 4005),
    *range(5001, 5008),
]
NEWER_CODES = [1008, 2016, 2017, 2018, 2019, 2021, 2022, 4005]

# SPEC §3: the per-code retry verdicts.
VERDICTS = {
    "no": [
        *range(1001, 1007),
        *range(2001, 2007),
        2008,
        *range(2010, 2015),
        *range(5004, 5008),
        *[1008, 2016, 2017, 2018, 2019, 2021, 4005],
    ],
    "yes": [1007, 2007, 2009, *range(3001, 3007), 4001, 4004, 5001, 5003, 2022],
    "sometimes": [2015, 3007, 4002, 4003, 5002],
}


def source_rows() -> dict[int, tuple[str, int, str]]:
    if not SOURCE_TABLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SOURCE_TABLE} is missing")
        pytest.skip(f"{SOURCE_TABLE} is not beside this checkout")
    rows = {}
    for line in SOURCE_TABLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| (\d{4}) \| (.+?) \| (\d{3}) \| (.+?) \|", line.strip())
        if match:
            rows[int(match[1])] = (match[2], int(match[3]), match[4])
    return rows


def test_the_catalogue_has_the_48_codes():
    codes = [entry.code for entry in get_catalogue().codes]
    assert codes == sorted(TABLE_CODES + NEWER_CODES)
    assert len(codes) == 48


def test_every_table_code_matches_the_source_table_exactly():
    rows = source_rows()
    assert sorted(rows) == TABLE_CODES
    catalogue = get_catalogue()
    for code, (message, status, troubleshooting) in rows.items():
        entry = catalogue.get(code)
        assert entry is not None
        assert (entry.message, entry.http_status, entry.troubleshooting) == (
            message,
            status,
            troubleshooting,
        ), code


@pytest.mark.parametrize("verdict", VERDICTS)
def test_retry_verdicts_follow_the_spec(verdict):
    catalogue = get_catalogue()
    assert sorted(e.code for e in catalogue.codes if e.retry.verdict == verdict) == sorted(
        VERDICTS[verdict]
    )


def test_retry_timing_where_the_spec_names_one():
    assert entry_for(1007).retry.strategy == "retry_after"
    assert entry_for(4004).retry.delay_seconds == 30
    for code in (2007, 2009):
        assert entry_for(code).retry.strategy == "delay"
        assert entry_for(code).retry.delay_seconds in range(1, 6)
    for code in range(3001, 3007):
        assert entry_for(code).retry.schedule_seconds == (1, 2, 4, 8, 16, 30)


def test_categories_follow_the_source_table():
    categories = {c.id: (c.name, c.default_retry) for c in get_catalogue().categories}
    assert categories == {
        "1xxx": ("Client/Request Errors", "no"),
        "2xxx": ("Resource Errors", "no"),
        "3xxx": ("Server Errors", "yes"),
        "4xxx": ("Delivery Errors", "sometimes"),
        "5xxx": ("Attachment/File Errors", "sometimes"),
    }


@pytest.mark.parametrize("code", TABLE_CODES + NEWER_CODES)
def test_each_code_page_is_complete(code):
    entry = get_catalogue().get(code)
    assert entry is not None
    headings = entry.guidance.headings
    for needed in ("What triggers it", "How to fix it", "Retrying"):
        assert needed in headings, f"{code}.md has no '## {needed}'"
    assert len(entry.guidance_source.split()) > 120, f"{code}.md guidance is too thin"
    assert not re.search(
        r"\b(TODO|TBD|lorem ipsum|placeholder|FIXME)\b", entry.guidance_source, re.I
    )
    envelope = json.loads(entry.example)
    assert envelope["success"] is False
    assert envelope["error"]["code"] == code
    assert envelope["error"]["status"] == entry.http_status
    assert re.fullmatch(r"[0-9a-f]{32}", envelope["trace_id"])
    assert ("retry_after" in envelope["error"]) == (code == 1007)
    assert entry.related_codes, f"{code}.md names no related codes"


def test_example_trace_ids_are_distinct():
    trace_ids = [json.loads(e.example)["trace_id"] for e in get_catalogue().codes]
    assert len(set(trace_ids)) == len(trace_ids)


def test_the_guides_of_the_spec_exist_and_have_substance():
    guides = get_catalogue().guides
    for slug in (
        "error-envelope",
        "retries",
        "rate-limits",
        "trace-ids",
        "attachments",
        "webhooks",
    ):
        assert slug in guides
        assert len(guides[slug].source.split()) > 300, slug
    assert {"supported-types", "size-limits"} <= set(
        re.findall(r'id="([^"]+)"', guides["attachments"].body.html)
    )


def test_the_shipped_content_has_no_problems():
    assert validate_content(settings.CONTENT_DIR) == []


# --- A broken content folder makes `manage.py check` fail, naming the file and field ----------


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db  # the full `check` run includes the database checks
@pytest.mark.parametrize(
    ("file", "old", "new", "expected_field", "expected_text"),
    [
        ("1007.md", 'message = "Rate limit exceeded"\n', "", "message", "is missing"),
        ("1007.md", "http_status = 429", 'http_status = "429"', "http_status", "must be int"),
        ("2004.md", "code = 2004", "code = 2003", "code", "file is named 2004.md"),
        ("1007.md", "related_codes = [", "related_codes = [9999, ", "related_codes", "9999"),
        ("1007.md", '"status": 429,', '"status": 429,,', "example", "not valid JSON"),
        ("1007.md", '"code": 1007,', '"code": 1008,', "example", "error.code is 1008"),
        ("1007.md", 'retry = "yes"', 'retry = "maybe"', "retry", "must be one of"),
        (
            "1007.md",
            '"rate-limits", "retries"',
            '"no-such-guide", "retries"',
            "related_guides",
            "no-such-guide",
        ),
        (
            "1007.md",
            'sources = ["table"',
            'sources = ["no-such-source"',
            "sources",
            "no-such-source",
        ),
        ("1007.md", "sources = [", "not_sources = [", "sources", "is missing"),
        ("1007.md", "reviewed = 2026-12-01", 'reviewed = "recently"', "reviewed", "must be a date"),
        (
            "4005.md",
            "[2018](/errors/2018/) when the",
            "2018 when the",
            "body",
            "mentions 2018 without a link",
        ),
        (
            "4005.md",
            "related_codes = [2018, ",
            "related_codes = [",
            "related_codes",
            "leaves out 2018",
        ),
        (
            "1007.md",
            "## Where the sources disagree",
            "## Where the sources disagree\n\nx\n\n## More",
            "body",
            "must be the last section",
        ),
    ],
)
def test_a_broken_file_is_reported_with_file_and_field(
    broken_content, settings, file, old, new, expected_field, expected_text
):
    _edit(broken_content / "codes" / file, old, new)
    problems = validate_content(broken_content)
    assert any(
        p.path.name == file and p.field == expected_field and expected_text in p.message
        for p in problems
    ), problems

    settings.CONTENT_DIR = broken_content
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    assert file in str(failure.value)
    assert expected_field in str(failure.value)


def test_a_second_file_for_a_code_is_reported(broken_content):
    shutil.copy(broken_content / "codes" / "1007.md", broken_content / "codes" / "1007-copy.md")
    problems = validate_content(broken_content)
    assert [(p.path.name, p.field) for p in problems] == [("1007-copy.md", "code")]
    assert "each code has one file, 1007.md" in problems[0].message


def test_a_file_without_front_matter_is_reported(broken_content):
    (broken_content / "codes" / "2001.md").write_text("# Chat not found\n", encoding="utf-8")
    problems = validate_content(broken_content)
    assert [(p.path.name, p.message) for p in problems if p.path.name == "2001.md"] == [
        ("2001.md", "has no front matter: start the file with a '+++' line")
    ]


def test_a_guide_without_sources_or_with_an_unlinked_code_is_reported(broken_content):
    _edit(broken_content / "guides" / "webhooks.md", "sources = [", "not_sources = [")
    _edit(broken_content / "guides" / "retries.md", "[2009](/errors/2009/)", "**2009**")
    problems = {(p.path.name, p.field, p.message[:20]) for p in validate_content(broken_content)}
    assert ("webhooks.md", "sources", "is missing: name the") in problems
    assert ("retries.md", "body", "mentions 2009 withou") in problems


def test_a_bad_registry_entry_is_reported(broken_content):
    _edit(broken_content / "sources.toml", 'url = "https://docs.linqapp.com/error"', 'url = "docs"')
    problems = validate_content(broken_content)
    assert any(
        p.path.name == "sources.toml" and p.field == "table" and "https://" in p.message
        for p in problems
    ), problems


def test_every_page_cites_sources_and_a_review_date():
    catalogue = get_catalogue()
    pages: list[ErrorCode | Guide] = [*catalogue.codes, *catalogue.guides.values()]
    assert len(pages) == 55
    for page in pages:
        assert page.sources and page.reviewed, page
    for entry in catalogue.codes:
        cites_table = any(s.key == "table" for s in entry.sources)
        assert cites_table == (entry.code in TABLE_CODES), entry.code
