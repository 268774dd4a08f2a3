"""Browser tests: Playwright for Python driving Debian's Chromium against a live server, with axe.

No browser is downloaded: Playwright launches /usr/bin/chromium. Each test gets a fresh context;
``page_no_js`` has JavaScript disabled. ``axe_check(page)`` fails on any WCAG 2.0/2.1/2.2 A or AA
violation; axe is JavaScript, so it runs on the JavaScript-enabled journeys (a page with JavaScript
off cannot evaluate it). When a test fails, a screenshot of every open page is saved under var/screenshots/.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser, request, java_script_enabled=True):
    context = browser.new_context(java_script_enabled=java_script_enabled, viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(15000)
    request.node._browser_contexts = [*getattr(request.node, "_browser_contexts", []), context]
    return context


@pytest.fixture
def page(browser, request):
    context = _context(browser, request)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_no_js(browser, request):
    context = _context(browser, request, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser, request):
    """Pages for a second or third person in the same test (each in its own context)."""

    def make(java_script_enabled=True):
        return _context(browser, request, java_script_enabled).new_page()

    return make


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", item.name)
        for i, context in enumerate(getattr(item, "_browser_contexts", [])):
            for j, pg in enumerate(context.pages):
                try:
                    pg.screenshot(path=str(SCREENSHOTS / f"{name}-{i}-{j}.png"), full_page=True)
                except Exception:  # noqa: BLE001 - a closed page has nothing to show
                    pass


def sign_in(page, base_url, email, password=PASSWORD):
    page.goto(f"{base_url}/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button.govuk-button")
    page.wait_for_load_state()


_axe = Axe()


def axe_check(page):
    """Run axe-core on the page: no violations at WCAG 2.0/2.1/2.2 A and AA."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
