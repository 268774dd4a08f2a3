"""Settings come from the environment: embedded defaults in development, real parts when set, and
production — any DJANGO_ENV but an explicit ``development`` — has DEBUG off, refuses to start without a
secret key and passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'broker': s.CELERY_BROKER_URL, 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'media': str(s.MEDIA_ROOT), 'tz': s.TIME_ZONE, 'hosts': s.ALLOWED_HOSTS}))"
)
SWITCHES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ENV",
    "CELERY_TASK_ALWAYS_EAGER",
    "DEBUG",
    # set by the browser tests' conftest for Playwright's sync API; never in a deployment
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
REAL_KEY = "k" * 20 + "-Zq8vL2mX9pR4tY7wB1nC6dF3gH5jK0s"


def run(env_overrides, code=PROBE, args=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    env["DJANGO_SETTINGS_MODULE"] = "jisp_portal.settings"
    if tmp_path is not None:
        env["JISP_VAR_DIR"] = str(tmp_path)
    env.update(env_overrides)
    cmd = [sys.executable, *(args or ["-c", code])]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def probe(env, tmp_path):
    result = run(env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_set_explicitly_gives_the_embedded_default(tmp_path):
    s = probe({"DJANGO_ENV": "development"}, tmp_path)
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "db.sqlite3")
    assert s["broker"] == "filesystem://"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["debug"] is True
    assert s["media"] == str(tmp_path / "media")
    assert s["tz"] == "Europe/London"


def test_environment_switches_to_real_parts(tmp_path):
    s = probe(
        {
            "DATABASE_URL": "postgres://jisp:secret@db.internal:5432/jisp",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
            "EMAIL_URL": "smtp://mail.internal:25",
            "ALLOWED_HOSTS": "jisp.example.gov.uk",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "DJANGO_ENV": "development",
        },
        tmp_path,
    )
    assert s["db"] == "django.db.backends.postgresql"
    assert s["name"] == "jisp"
    assert s["broker"] == "redis://cache.internal:6379/0"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["hosts"] == ["jisp.example.gov.uk"]
    assert s["eager"] is True


@pytest.mark.parametrize("value", [None, "", "production", "prod", "staging", "Development", "dev"])
def test_debug_is_off_unless_development_is_set_explicitly(value, tmp_path):
    """ASVS 14.3.2: unset, misspelt or any other DJANGO_ENV is production: it refuses the development
    key, and with a real one DEBUG is off even when DEBUG=true is set."""
    env = {} if value is None else {"DJANGO_ENV": value}
    refused = run(env, tmp_path=tmp_path)
    assert refused.returncode != 0
    assert "needs a real SECRET_KEY" in refused.stderr
    s = probe({**env, "SECRET_KEY": REAL_KEY, "DEBUG": "true"}, tmp_path)
    assert s["debug"] is False
    assert s["hosts"] == []


def test_development_may_turn_debug_off(tmp_path):
    assert probe({"DJANGO_ENV": "development", "DEBUG": "false"}, tmp_path)["debug"] is False


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run({"DJANGO_ENV": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key(tmp_path):
    result = run({"DJANGO_ENV": "production", "SECRET_KEY": "django-insecure-short"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_passes_check_deploy(tmp_path):
    result = run(
        {"DJANGO_ENV": "production", "SECRET_KEY": REAL_KEY, "ALLOWED_HOSTS": "jisp.example.gov.uk"},
        args=["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "env",
    [{}, {"DJANGO_ENV": "development"}, {"DJANGO_ENV": "production", "SECRET_KEY": REAL_KEY}],
    ids=["unset", "development", "production"],
)
def test_migrations_match_models(env, tmp_path):
    """manage.py with nothing set is a developer's tool (development); the settings imported by the
    web server or the worker with nothing set are production (``test_anything_but_development...``)."""
    result = run(env, args=["manage.py", "makemigrations", "--check", "--dry-run"], tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
