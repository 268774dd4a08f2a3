"""The calendar feed's token: stored only as its hash, shown once, kept out of the logs."""

import datetime
import hashlib
import importlib
import logging
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import reverse
from gunicorn.config import Config

from jisp_portal.log_redaction import RedactingLogger
from meetings.models import ICalToken, hash_token
from meetings.services import create_ical_token

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_the_token_is_stored(world):
    row = create_ical_token(actor=world.csa)
    plain = row.plain_token
    assert len(plain) >= 43
    stored = ICalToken.objects.filter(pk=row.pk).values().get()
    assert plain not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == hashlib.sha256(plain.encode()).hexdigest()
    assert ICalToken.objects.for_token(plain).get() == row
    assert not ICalToken.objects.for_token(stored["token_hash"]).exists(), "the hash is not a token"


def test_the_migration_hashes_old_tokens_which_keep_working_but_are_not_shown(world, client):
    migration = importlib.import_module("meetings.migrations.0004_ical_token_hashed")
    legacy = SimpleNamespace(pk=1, token="an-old-plain-token-from-before", token_hash=None)
    legacy.save = lambda update_fields: None
    apps = SimpleNamespace(
        get_model=lambda app, name: SimpleNamespace(
            objects=SimpleNamespace(all=lambda: SimpleNamespace(only=lambda *f: [legacy]))
        )
    )
    migration.hash_existing(apps, None)
    assert legacy.token_hash == hash_token("an-old-plain-token-from-before")
    ICalToken.objects.create(user=world.csa, token_hash=legacy.token_hash)
    assert client.get(reverse("meetings:ical_feed", args=["an-old-plain-token-from-before"])).status_code == 200
    client.force_login(world.csa)
    page = client.get(reverse("meetings:ical_settings")).content.decode()
    assert "an-old-plain-token-from-before" not in page
    assert "To see an address again, replace it with a new one" in page


def test_gunicorns_access_log_masks_the_token(tmp_path):
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    logger = RedactingLogger(config)
    secret = "Zq8vL2mX9pR4tY7wB1nC6dF3gH5jK0sAbCdEfGhIjKl"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/meetings/ical/{secret}.ics?x=1",
        "PATH_INFO": f"/meetings/ical/{secret}.ics",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": f"https://jisp.example.gov.uk/meetings/ical/{secret}.ics",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=120)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, request, environ, datetime.timedelta(seconds=0, microseconds=5000))
    for handler in logger.access_log.handlers:
        handler.flush()
    written = log.read_text()
    assert "GET /meetings/ical/[redacted].ics?x=1 HTTP/1.1" in written
    assert secret not in written
    errors = tmp_path / "error.log"
    config.set("errorlog", str(errors))
    logger = RedactingLogger(config)
    logger.error("Error handling request %s", f"/meetings/ical/{secret}.ics")
    for handler in logger.error_log.handlers:
        handler.flush()
    assert "Error handling request /meetings/ical/[redacted].ics" in errors.read_text()
    assert secret not in errors.read_text()


def test_djangos_request_log_masks_the_token(world, client, caplog):
    handler = logging.StreamHandler()
    from jisp_portal.log_redaction import RedactSecrets

    handler.addFilter(RedactSecrets())
    records = []
    handler.emit = records.append
    logging.getLogger("django.request").addHandler(handler)
    try:
        with override_settings(DEBUG=False):
            assert client.get("/meetings/ical/a-wrong-or-revoked-token-1234567890.ics").status_code == 404
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    messages = [r.getMessage() for r in records]
    assert any("/meetings/ical/[redacted].ics" in m for m in messages), messages
    assert not any("a-wrong-or-revoked-token" in m for m in messages)


def test_the_deployment_files_use_the_redacting_access_log():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (root / name).read_text()
        assert "jisp_portal.log_redaction.RedactingLogger" in text, name


def test_every_log_line_django_writes_goes_through_the_redacting_filter(settings):
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_secrets"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
    assert settings.LOGGING["root"]["handlers"] == ["console"]
