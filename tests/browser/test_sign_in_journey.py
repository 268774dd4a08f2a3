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
