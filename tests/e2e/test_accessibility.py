"""axe-core on every kind of page, in light and dark colours: no serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PAGES = {
    "home": ("/", 200),
    "catalogue": ("/errors/", 200),
    "search": ("/errors/?q=webhook&retry=sometimes", 200),
    "code": ("/errors/1007/", 200),
    "guide": ("/guides/retries/", 200),
    "unknown code": ("/errors/1999/", 404),
    "not found": ("/no-such-page/", 404),
    "diagnose": ("/diagnose/", 200),
    "support": ("/support/new/?code=1007&status=429", 200),
}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


# Only these rules depend on the colour scheme: in dark mode axe runs just them, to keep the
# suite fast.
COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}


def blocking_violations(axe: Axe, page: Page) -> str | None:
    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    options = {"resultTypes": ["violations"], **(COLOUR_RULES if dark else {})}
    results = axe.run(page, options=options)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    return f"axe found on {page.url}:\n{describe(blocking)}" if blocking else None


def assert_no_blocking_violations(axe: Axe, page: Page) -> None:
    found = blocking_violations(axe, page)
    assert not found, found


def visit(page: Page, watch, path: str, status: int) -> None:
    if status >= 400:
        watch.expect_error_document(path.partition("?")[0])
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path}: {response}"


@pytest.mark.parametrize(("path", "status"), PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violations(
    page: Page, watch, axe: Axe, path: str, status: int
) -> None:
    visit(page, watch, path, status)

    assert_no_blocking_violations(axe, page)


@pytest.mark.parametrize("context_options", [{"color_scheme": "dark"}], ids=["dark"])
def test_no_contrast_violations_in_dark_mode(page: Page, watch, axe: Axe) -> None:
    found = []
    for path, status in PAGES.values():
        visit(page, watch, path, status)
        found.append(blocking_violations(axe, page))

    assert not any(found), "\n".join(filter(None, found))


SCHEMES = pytest.mark.parametrize(
    "context_options", [{"color_scheme": "light"}, {"color_scheme": "dark"}], ids=["light", "dark"]
)


@SCHEMES
def test_no_serious_accessibility_violations_from_diagnosis_to_support(
    page: Page, axe: Axe
) -> None:
    cache.clear()  # the per-client rate limit of support requests lives in the cache
    page.goto("/diagnose/")
    # Several errors: the summary table, findings of every level and a retry countdown.
    page.get_by_role("link", name="Log lines").click()
    page.get_by_role("button", name="Diagnose", exact=True).click()
    page.locator("#diagnosis .batch-summary").wait_for()
    assert_no_blocking_violations(axe, page)

    page.get_by_role("link", name="429 from curl -i").click()
    page.get_by_role("button", name="Diagnose", exact=True).click()
    page.locator("#diagnosis .countdown").wait_for()
    assert_no_blocking_violations(axe, page)

    with page.expect_navigation():
        page.locator("#diagnosis").get_by_role("link", name="Contact support").click()
    assert_no_blocking_violations(axe, page)

    page.locator("form [name=email]").fill("dev@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Send to support").click()
    page.locator(".reference").wait_for()
    assert_no_blocking_violations(axe, page)
