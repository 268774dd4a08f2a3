"""Rotating SECRET_KEY with SECRET_KEY_FALLBACKS keeps people signed in; dropping the old key ends
the sessions it signed (as SECURITY.md describes)."""

import pytest

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
OLD = "old-key-" + "a" * 50
NEW = "new-key-" + "b" * 50


def test_sessions_survive_a_rotation_with_the_old_key_as_fallback(client, settings):
    settings.SECRET_KEY = OLD
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert client.get("/").status_code == 200


def test_without_the_fallback_the_old_sessions_end(client, settings):
    settings.SECRET_KEY = OLD
    client.force_login(UserFactory())
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, []
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
