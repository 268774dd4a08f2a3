"""Browser tests: Playwright for Python driving Debian's Chromium against a live server, with axe.

No browser is downloaded: Playwright launches /usr/bin/chromium. Each test gets fresh contexts
(one per person): ``page`` and ``page_no_js`` for one person, ``new_page`` for more, and
``browser_for(email)`` for a person signed in through the sign-in page. ``axe_check(page)`` fails on
any WCAG 2.0/2.1/2.2 A or AA violation. axe is JavaScript and hangs in a page with JavaScript off,
so for such a page ``axe_check`` opens the same URL in a JavaScript-enabled sibling context (same
cookies) that is served exactly the HTML the no-JavaScript page shows, and runs axe there.
When a test fails, var/screenshots/ gets a screenshot of each step (each page ``axe_check`` saw)
and of every page still open.
"""

import contextlib
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
#: Best-practice rules checked as well: every piece of content inside a landmark.
EXTRA_RULES = ["region"]
AXE_OPTIONS = {
    "resultTypes": ["violations"],  # passes and the rest are not sent back: faster
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
}
PASSWORD = "correct-horse-battery"
VIEWPORT = {"width": 1280, "height": 1000}

#: context -> whether JavaScript is on; a no-JavaScript context -> its JavaScript sibling for axe.
_JS_ENABLED = {}
_AXE_SIBLING = {}
#: (page URL, PNG) of each step of the running test (each page ``axe_check`` saw), kept in memory
#: and written to var/screenshots/ only if the test fails.
_STEPS = []


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_context(browser, request=None, java_script_enabled=True, **options):
    """A new context (a person's own browser profile); remembered for screenshots on failure."""
    context = browser.new_context(java_script_enabled=java_script_enabled, viewport=VIEWPORT, **options)
    context.set_default_timeout(15000)
    _JS_ENABLED[context] = java_script_enabled
    if request is not None:
        request.node._browser_contexts = [*getattr(request.node, "_browser_contexts", []), context]
    return context


def close_context(context):
    sibling = _AXE_SIBLING.pop(context, None)
    if sibling is not None:
        _JS_ENABLED.pop(sibling, None)
        sibling.close()
    _JS_ENABLED.pop(context, None)
    context.close()


@pytest.fixture
def contexts(browser, request):
    """``contexts(java_script_enabled=True, **options)``: new contexts, all closed after the test."""
    made = []

    def make(java_script_enabled=True, **options):
        context = open_context(browser, request, java_script_enabled, **options)
        made.append(context)
        return context

    yield make
    for context in made:
        close_context(context)


@pytest.fixture
def page(contexts):
    return contexts().new_page()


@pytest.fixture
def page_no_js(contexts):
    return contexts(java_script_enabled=False).new_page()


@pytest.fixture
def new_page(contexts):
    """Pages for a second or third person in the same test (each in its own context)."""

    def make(java_script_enabled=True):
        return contexts(java_script_enabled).new_page()

    return make


@pytest.fixture
def browser_for(contexts, live_server):
    """``browser_for(email, js=True)``: a page in a new context of its own, signed in as that person
    through the sign-in page, on their dashboard. One context per person, as in real life."""

    def make(email, js=True, password=PASSWORD):
        pg = contexts(java_script_enabled=js).new_page()
        sign_in(pg, live_server.url, email, password)
        assert "/sign-in/" not in pg.url, f"{email} could not sign in"
        return pg

    return make


def add_session_cookie(context, base_url, user):
    """Sign ``user`` in to ``context`` without the sign-in page (a session made server-side).
    For sweeps that visit many pages; journeys sign in through the page with ``browser_for``."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])


@pytest.fixture(autouse=True)
def _step_screenshots():
    _STEPS.clear()
    yield
    _STEPS.clear()


def record_step(page):
    """Keep a screenshot of the page as this step of the journey left it (saved if the test fails)."""
    with contextlib.suppress(Exception):  # a screenshot is a diagnostic, never a reason to fail
        _STEPS.append((page.url, page.screenshot(full_page=True)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", item.name)
        for k, (_url, png) in enumerate(_STEPS, start=1):
            (SCREENSHOTS / f"{name}-step-{k:02d}.png").write_bytes(png)
        for i, context in enumerate(getattr(item, "_browser_contexts", [])):
            try:
                pages = list(context.pages)
            except Exception:  # noqa: S112 - a closed context has nothing to show
                continue
            for j, pg in enumerate(pages):
                with contextlib.suppress(Exception):  # a closed page has nothing to show
                    pg.screenshot(path=str(SCREENSHOTS / f"{name}-{i}-{j}.png"), full_page=True)


def sign_in(page, base_url, email, password=PASSWORD):
    page.goto(f"{base_url}/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button.govuk-button")
    page.wait_for_load_state()


def click_and_wait(page, selector_or_locator):
    """Click a link or button that loads a new page (with or without JavaScript), and wait for it."""
    locator = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()


_axe = Axe()


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations (and ``EXTRA_RULES``) on the page, as lines."""
    target = page
    if not _JS_ENABLED.get(page.context, True):
        target = _js_twin(page)
    try:
        results = _axe.run(target, options=AXE_OPTIONS)
    finally:
        if target is not page:
            target.close()
    return [
        f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def axe_check(page):
    """Run axe-core on the page: no violations at WCAG 2.0/2.1/2.2 A and AA, nor of ``EXTRA_RULES``.
    Each page checked is a step of the journey: its screenshot is saved if the test fails."""
    record_step(page)
    violations = axe_violations(page)
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(violations)


def _js_twin(page):
    """The same URL in a JavaScript-enabled sibling context with the same cookies, served the HTML
    the no-JavaScript page holds now (so a re-rendered form with its errors is checked as shown)."""
    context = page.context
    sibling = _AXE_SIBLING.get(context)
    if sibling is None:
        sibling = context.browser.new_context(viewport=VIEWPORT)
        sibling.set_default_timeout(15000)
        _AXE_SIBLING[context] = sibling
    sibling.clear_cookies()
    sibling.add_cookies(context.cookies())
    url, html = page.url, page.content()
    twin = sibling.new_page()

    def serve(route):
        if route.request.is_navigation_request():
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.continue_()

    def same_url(candidate):
        return candidate == url

    twin.route(same_url, serve)
    twin.goto(url)
    twin.unroute(same_url)
    return twin
