from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_is_up_without_signing_in(client, settings):
    settings.CELERY_BROKER_CONFIGURED = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "up"}}


def test_healthz_names_the_database_when_it_is_down(client, settings):
    settings.CELERY_BROKER_CONFIGURED = False
    with mock.patch("accounts.health.connection.ensure_connection", side_effect=OperationalError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_healthz_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_BROKER_CONFIGURED = True
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["database"] == "up"
