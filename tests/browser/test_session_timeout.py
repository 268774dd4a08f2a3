"""GOV.UK's timeout warning in the browser (short timeouts for the test): the modal warns before the
idle timeout, "Stay signed in" keeps the session, and when the time runs out the page signs out and
says so. axe runs with the dialog open. Without JavaScript the server signs the session out alone
(tests/accounts/test_own_account.py)."""

import pytest

from tests.browser.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_offers_to_stay_signed_in_then_signs_out(browser_for, settings):
    from tests.conftest import build_world

    build_world()
    settings.SESSION_IDLE_TIMEOUT = 10
    settings.SESSION_IDLE_WARNING = 6
    page = browser_for("csa@example.gov.uk")
    dialog = page.locator("#session-timeout")
    dialog.wait_for(state="visible", timeout=15000)
    assert "You’re about to be signed out" in dialog.inner_text()
    axe_check(page)
    page.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden", timeout=5000)
    assert page.locator("h1").inner_text() == "Your dashboard"

    # The warning comes back; this time nobody answers and the page signs out.
    dialog.wait_for(state="visible", timeout=15000)
    page.wait_for_url("**/signed-out/", timeout=20000)
    assert page.locator("h1").inner_text() == "You have been signed out"
    axe_check(page)
    page.goto(page.url.replace("/signed-out/", "/"))
    assert "/sign-in/" in page.url
