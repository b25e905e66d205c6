"""Browser journeys: Chromium driven by Playwright against Django's live server."""

import os

import pytest
from django.test.testcases import LiveServerThread
from playwright.sync_api import Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ProductionLikeLiveServer(LiveServer):
    """Django's live server, with static files served by WhiteNoise from the collected,
    hashed files, as in production (Django's own static handler only knows unhashed names)."""

    def __init__(self, addr: str) -> None:
        super().__init__(addr, start=False)
        self.thread = LiveServerThread(
            addr, static_handler=lambda application: application, connections_override={}
        )
        self.thread.daemon = True
        self.start()


@pytest.fixture(scope="session")
def live_server():
    server = ProductionLikeLiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests run on real transactions, from a database with its reference data."""


@pytest.fixture
def page(browser, live_server) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations: list[str] = []
    page_errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    yield page
    context.close()
    assert not csp_violations, f"The page broke its Content Security Policy: {csp_violations}"
    assert not page_errors, f"JavaScript errors on the page: {page_errors}"
