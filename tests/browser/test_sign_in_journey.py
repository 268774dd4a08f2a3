"""Signing in as a person would, with and without JavaScript, and the pages pass axe."""

import pytest

from tests.browser.conftest import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_lands_on_the_dashboard(page, live_server):
    from tests.conftest import build_world

    build_world()
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    axe_check(page)
    sign_in(page, live_server.url, "csa@example.gov.uk")
    assert page.locator("h1").inner_text() == "Your dashboard"
    assert "Chris Adviser" in page.locator(".app-user-bar").inner_text()
    axe_check(page)


def test_wrong_password_shows_a_linked_error_summary_without_javascript(page_no_js, live_server):
    from tests.conftest import build_world

    build_world()
    sign_in(page_no_js, live_server.url, "csa@example.gov.uk", password="not-the-password")
    summary = page_no_js.locator(".govuk-error-summary")
    assert "Enter a correct email address and password" in summary.inner_text()
    assert summary.locator("a").first.get_attribute("href") == "#id_username"


def test_axe_runs_on_a_page_without_javascript_as_that_page_shows_it(page_no_js, live_server):
    """axe hangs with JavaScript off, so ``axe_check`` checks the page's own HTML (here the form with
    its error summary, the answer to a POST) at the same URL in a JavaScript-enabled twin."""
    from tests.browser.conftest import _js_twin
    from tests.conftest import build_world

    build_world()
    sign_in(page_no_js, live_server.url, "csa@example.gov.uk", password="not-the-password")
    axe_check(page_no_js)
    twin = _js_twin(page_no_js)
    try:
        assert twin.url == page_no_js.url
        assert "Enter a correct email address and password" in twin.locator(".govuk-error-summary").inner_text()
    finally:
        twin.close()


def test_browser_for_signs_each_person_in_to_their_own_browser(browser_for, live_server):
    from tests.conftest import build_world

    build_world()
    csa = browser_for("csa@example.gov.uk", js=False)
    dcs = browser_for("dcs@example.gov.uk")
    assert csa.context is not dcs.context
    assert "Chris Adviser" in csa.locator(".app-user-bar").inner_text()
    assert "Sam Okafor" in dcs.locator(".app-user-bar").inner_text()
    axe_check(csa)
    axe_check(dcs)
