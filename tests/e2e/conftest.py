"""Browser tests: Playwright drives the machine's Chromium against pytest-django's live server.

Every page a test opens is watched for console errors, uncaught exceptions, failed or 4xx/5xx
sub-requests and Content-Security-Policy violations; the `page` fixture fails the test at teardown
when any were seen. `test_watch.py` proves the watch can see each kind of problem.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Response,
    expect,
    sync_playwright,
)

# The sync API runs an event loop in this thread; Django's ORM refuses to run beside one
# unless told it may.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous, because the machine may be busy; a passing test never waits for it.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

# Injected by the automation before any script of the page runs (so the page's CSP does not apply
# to it). Violations go into window.__csp and, through a binding, to Python: the binding survives
# navigations, window.__csp does not.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = {
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.href,
  };
  window.__csp.push(violation);
  if (window.__reportCspViolation) window.__reportCspViolation(violation);
}, true);
"""


@dataclass
class Watch:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)
    # Paths a test navigates to on purpose although they answer 4xx (the 404 page).
    expected_error_documents: set[str] = field(default_factory=set)

    def expect_error_document(self, path: str) -> None:
        self.expected_error_documents.add(path)

    def is_expected_error_document(self, url: str) -> bool:
        return urlsplit(url).path in self.expected_error_documents

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error" and "Content Security Policy" not in message.text:
            return
        # Chromium logs every 4xx/5xx document as "Failed to load resource"; a deliberate 404 is
        # not a problem, any other is (and is also caught by on_response).
        url = message.location.get("url", "")
        # A search typed and then submitted replaces the request still in flight
        # (hx-sync="closest form:replace"); htmx logs the abort of the stale one as an error
        # event. A failed response or network error is caught by on_response and
        # on_request_failed, so these two messages carry nothing the watch would miss.
        if message.text.startswith(("htmx:sendAbort", "htmx:afterRequest")) and (
            "/django_htmx/" in url
        ):
            return
        if message.text.startswith("Failed to load resource") and (
            self.is_expected_error_document(url)
            # Chromium asks for /favicon.ico on its own, on some page loads and not others;
            # test_site_has_a_favicon checks it deterministically instead.
            or urlsplit(url).path == "/favicon.ico"
        ):
            return
        self.console_errors.append(f"{message.type}: {message.text} ({url})")

    def on_page_error(self, error: Exception) -> None:
        self.page_errors.append(str(error))

    def on_request_failed(self, request: Request) -> None:
        failure = request.failure or ""
        # Aborted on purpose, not failed: htmx's hx-sync drops a stale search when a newer one
        # starts, and a navigation cancels what the page it leaves was still loading (the
        # favicon). Refused, blocked (ERR_BLOCKED_BY_CSP) and 4xx/5xx requests still count.
        if failure == "net::ERR_ABORTED":
            return
        self.failed_requests.append(f"{request.method} {request.url}: {failure}")

    def on_response(self, response: Response) -> None:
        if response.status < 400:
            return
        request = response.request
        if request.is_navigation_request() and self.is_expected_error_document(response.url):
            return
        self.failed_requests.append(f"{request.method} {response.url}: HTTP {response.status}")

    def on_csp_violation(self, violation: dict) -> None:
        self.csp_violations.append(violation)

    def problems(self) -> list[str]:
        found = [f"console {line}" for line in self.console_errors]
        found += [f"page error: {line}" for line in self.page_errors]
        found += [f"request failed: {line}" for line in self.failed_requests]
        found += [
            "CSP violation: {directive} blocked {blocked!r} at {source}:{line} on {page}"
            " (sample {sample!r})".format(**v)
            for v in self.csp_violations
        ]
        return found

    def clear(self, page: Page) -> None:
        """Forget what was seen so far (for tests that provoke problems on purpose)."""
        page.evaluate("window.__csp = []")
        self.console_errors.clear()
        self.page_errors.clear()
        self.failed_requests.clear()
        self.csp_violations.clear()

    def assert_clean(self, page: Page | None = None) -> None:
        if page is not None and not page.is_closed():
            # A round trip to the page delivers binding calls still in flight; violations of the
            # current document are also read straight from window.__csp as a cross-check.
            try:
                seen_here = page.evaluate("window.__csp || []")
            except Exception:  # a page in the middle of a navigation has no window to ask
                seen_here = []
            for violation in seen_here:
                missing = seen_here.count(violation) - self.csp_violations.count(violation)
                if missing > 0:
                    self.csp_violations.append(violation)
        problems = self.problems()
        assert not problems, "The browser reported problems:\n  " + "\n  ".join(problems)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Makes browser contexts (Playwright's context options as keywords), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context_options() -> dict:
    """Playwright context options for the `page` fixture; a test parametrizes it to change them."""
    return {}


@pytest.fixture
def watch() -> Watch:
    return Watch()


def watch_page(page: Page, watch: Watch) -> Page:
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    page.on("requestfailed", watch.on_request_failed)
    page.on("response", watch.on_response)
    return page


@pytest.fixture
def page(new_context, context_options: dict, watch: Watch) -> Iterator[Page]:
    """A fresh page in a fresh context, watched; fails the test if the browser saw problems."""
    context = new_context(**context_options)
    context.expose_function("__reportCspViolation", watch.on_csp_violation)
    context.add_init_script(CSP_LISTENER)
    page = watch_page(context.new_page(), watch)
    yield page
    watch.assert_clean(page)
