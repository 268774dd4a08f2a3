"""A real Celery worker against Redis: the deadline sweep and an email task sent through the broker.

The broker is ``CELERY_BROKER_URL`` when it names Redis (CI: redis://127.0.0.1:6379/15), otherwise
the local Redis, database 14. The worker opens the same test database as this test (committed rows:
``transaction=True``), with the console email backend.
"""

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import redis
from django.db import connection

from accounts.models import OutboundEmail
from accounts.tasks import send_email
from jisp_portal.celery import app as celery_app
from meetings.models import Meeting, MeetingNote, Reminder
from meetings.tasks import sweep_deadlines
from tests.meetings.factories import MeetingNoteFactory, meeting_for

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60


def broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis://") else "redis://127.0.0.1:6379/14"


def database_url():
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] or ""
        if s.get("PASSWORD"):
            auth += f":{s['PASSWORD']}"
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    assert connection.vendor == "sqlite", "the worker needs a file database"
    assert "memory" not in str(s["NAME"]), "the worker needs a file database"
    return f"sqlite:///{s['NAME']}"


def wait_for(check, what):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"the worker did not {what} within {WAIT} s")


@pytest.fixture
def worker(transactional_db, tmp_path):
    url = broker_url()
    client = redis.Redis.from_url(url)
    client.delete("celery", "unacked", "unacked_index")  # nothing left over from an earlier run
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jisp_portal.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": url,
        "EMAIL_URL": "consolemail://",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_ENV": "development",
    }
    log = (tmp_path / "worker.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jisp_portal",
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-n",
            f"integration-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with celery_app.connection_for_write(url) as conn:
            log_path = tmp_path / "worker.log"
            wait_for(lambda: process.poll() is None and " ready." in log_path.read_text(), "start")
            yield conn
    except AssertionError:
        log.seek(0)
        print(log.read()[-5000:])
        raise
    finally:
        celery_app.conf.task_always_eager = previous
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_sweep_and_email_run_on_a_real_worker(worker, world, reminders_as_they_happen):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    note = MeetingNoteFactory(meeting=meeting, status=MeetingNote.Status.AWAITING_DRAFT, draft_due=date(2026, 3, 9))

    sweep_deadlines.apply_async(connection=worker)
    wait_for(
        lambda: Reminder.objects.filter(note=note, recipient=world.go_director, kind="escalation").exists(), "sweep"
    )
    # The sweep's reminders were handed to accounts.tasks.send_email on the same worker and sent.
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(key__startswith=f"note-reminder:{note.pk}:", sent_at__isnull=False).count()
            == 2
        ),
        "send the reminders",
    )

    email = OutboundEmail.objects.create(
        key="integration:test", recipient="someone@example.org", subject="Hello", body="Hi"
    )
    send_email.apply_async((email.pk,), connection=worker)
    wait_for(lambda: OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(), "send the email")
    email.refresh_from_db()
    assert email.attempts == 1
