"""axe-core on the main page types, in light and dark colours: no serious or critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
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


@pytest.mark.parametrize(
    "context_options", [{"color_scheme": "light"}, {"color_scheme": "dark"}], ids=["light", "dark"]
)
@pytest.mark.parametrize(("path", "status"), PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violations(
    page: Page, watch, axe: Axe, path: str, status: int
) -> None:
    if status >= 400:
        watch.expect_error_document(path.partition("?")[0])
    response = page.goto(path)
    assert response is not None and response.status == status

    results = axe.run(page)

    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"axe found on {path}:\n{describe(blocking)}"
