"""Session expiry as a user meets it: a session past its eight hours is over (back to sign-in), and
the session cookie is a browser-session cookie (no expiry date: closing the browser ends it)."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory

PASSWORD = "a-long-enough-password"


def test_an_expired_session_sends_the_user_to_sign_in(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_the_session_lasts_eight_hours_and_its_cookie_ends_with_the_browser(client, db):
    user = UserFactory(email="expiry@example.gov.uk")
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert not cookie["expires"], "no expiry date: the browser drops it when closed"
    assert not cookie["max-age"]
    assert cookie["httponly"]
    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)
