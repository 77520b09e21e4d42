"""What only a rendered page shows: phone widths and the dark colour scheme."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}

LUMINANCE = """() => {
  const colour = getComputedStyle(document.body).backgroundColor;
  const [r, g, b] = colour.match(/\\d+(\\.\\d+)?/g).map(Number);
  const linear = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}"""


PHONE_PAGES = [
    "/",
    "/errors/",
    "/errors/?q=rate+limit",
    "/errors/1007/",
    "/errors/3002/",
    "/guides/retries/",
    "/diagnose/",
    "/support/new/?code=1007&status=429",
]
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > 360.5)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


def overflow(page: Page) -> str | None:
    """What sticks out past 360 px on the current page, or None when it fits."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= 360:
        return None
    return f"{page.url} is {width}px wide: {page.evaluate(OVERFLOWING)}"


# One page visits every path (a context per path would only make the suite slower); all
# overflowing pages are reported together.
@pytest.mark.parametrize("context_options", [PHONE], ids=["360px"])
def test_no_horizontal_scrolling_on_a_phone(page: Page) -> None:
    too_wide = []
    for path in PHONE_PAGES:
        page.goto(path)
        too_wide.append(overflow(page))

    assert not any(too_wide), "\n".join(filter(None, too_wide))


@pytest.mark.parametrize("context_options", [PHONE], ids=["360px"])
def test_diagnoses_fit_a_phone(page: Page) -> None:
    page.goto("/diagnose/")
    too_wide = []
    for example in ["Log lines", "429 from curl -i", "message.failed webhook", "Legacy V2 error"]:
        page.get_by_role("link", name=example).click()
        # The swap replaces #diagnosis: waiting for one without the mark waits for the new one.
        page.locator("#diagnosis").evaluate("el => el.dataset.old = 'yes'")
        page.get_by_role("button", name="Diagnose", exact=True).click()
        page.locator("#diagnosis:not([data-old]) #diagnosis-title").wait_for()
        problem = overflow(page)
        too_wide.append(f"{example}: {problem}" if problem else None)

    assert not any(too_wide), "\n".join(filter(None, too_wide))


@pytest.mark.parametrize(
    ("context_options", "dark"),
    [({"color_scheme": "dark"}, True), ({"color_scheme": "light"}, False)],
    ids=["dark", "light"],
)
@pytest.mark.parametrize("path", ["/errors/", "/errors/1007/"])
def test_colour_scheme_follows_the_system(page: Page, path: str, dark: bool) -> None:
    page.goto(path)

    luminance = page.evaluate(LUMINANCE)
    if dark:
        assert luminance < 0.05, f"background luminance {luminance:.3f} in dark mode"
    else:
        assert luminance > 0.8, f"background luminance {luminance:.3f} in light mode"
    text = page.evaluate("getComputedStyle(document.body).color")
    assert text != page.evaluate("getComputedStyle(document.body).backgroundColor")
