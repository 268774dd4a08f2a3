import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/")


def test_sign_in_page_is_gov_uk_styled(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-header" in html
    assert "Sign in to the JISP portal" in html
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html


def test_sign_in_with_email_and_password_lands_on_the_dashboard(client):
    UserFactory(email="csa@example.gov.uk", role="csa")
    response = sign_in(client, "CSA@example.gov.uk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    page = client.get("/")
    assert "Your dashboard" in page.content.decode()


def test_wrong_password_is_shown_in_the_error_summary(client):
    UserFactory(email="csa@example.gov.uk")
    response = sign_in(client, "csa@example.gov.uk", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct email address and password" in html
    assert 'href="#id_username"' in html
    assert "<title>Error:" in html


def test_empty_form_says_what_to_enter(client):
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    html = response.content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    UserFactory(email="csa@example.gov.uk")
    for _ in range(5):
        sign_in(client, "csa@example.gov.uk", "wrong")
    response = sign_in(client, "csa@example.gov.uk", PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_session_ends_after_eight_hours_or_when_the_browser_closes(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_inactive_user_cannot_sign_in(client):
    UserFactory(email="gone@example.gov.uk", is_active=False)
    response = sign_in(client, "gone@example.gov.uk", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
