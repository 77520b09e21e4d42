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


@pytest.mark.parametrize("context_options", [PHONE], ids=["360px"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/errors/",
        "/errors/?q=rate+limit",
        "/errors/1007/",
        "/errors/3002/",
        "/guides/retries/",
        "/diagnose/",
        "/support/new/?code=1007&status=429",
    ],
)
def test_no_horizontal_scrolling_on_a_phone(page: Page, path: str) -> None:
    page.goto(path)

    assert_fits_360(page)


@pytest.mark.parametrize("context_options", [PHONE], ids=["360px"])
@pytest.mark.parametrize("example", ["Log lines", "429 from curl -i", "message.failed webhook"])
def test_a_diagnosis_fits_a_phone(page: Page, example: str) -> None:
    page.goto("/diagnose/")
    page.get_by_role("link", name=example).click()
    page.get_by_role("button", name="Diagnose", exact=True).click()
    page.locator("#diagnosis .diagnosis-card").first.wait_for()

    assert_fits_360(page)


def assert_fits_360(page: Page) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > 360:
        widest = page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > 360.5)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""
        )
        pytest.fail(f"{page.url} is {scroll_width}px wide at 360px; overflowing: {widest}")


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
