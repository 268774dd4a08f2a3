"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered from
each app's ``tasks.py``, and the beat schedule kept here in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisp_portal.settings")

app = Celery("jisp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work. Each app's tasks are idempotent, so a missed or doubled beat does no harm.
app.conf.beat_schedule = {
    "sweep-meeting-note-deadlines": {
        "task": "meetings.tasks.sweep_deadlines",
        "schedule": crontab(minute="*/15"),
    },
    "requeue-missing-jisp-pdfs": {
        "task": "plans.tasks.requeue_missing_pdfs",
        "schedule": crontab(minute="*/10"),
    },
    "requeue-unsent-emails": {
        "task": "accounts.tasks.requeue_unsent_emails",
        "schedule": crontab(minute="*/5"),
    },
    "send-daily-digests": {
        "task": "meetings.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7),  # Europe/London (CELERY_TIMEZONE); working days only
    },
    "ask-for-arrangements-feedback": {
        "task": "meetings.tasks.ask_for_feedback",
        "schedule": crontab(minute=0, hour=9),
    },
    "sweep-peer-challenge-deadlines": {
        "task": "improvement.tasks.sweep_challenge_deadlines",
        "schedule": crontab(minute="7-59/15"),
    },
    "requeue-missing-peer-challenge-letters": {
        "task": "improvement.tasks.requeue_missing_letters",
        "schedule": crontab(minute="3-59/10"),
    },
    "remind-providers-of-invitations": {
        "task": "plans.tasks.sweep_offer_reminders",
        "schedule": crontab(minute=5, hour="*/1"),
    },
    "remind-providers-of-deliver-by-dates": {
        "task": "plans.tasks.sweep_delivery_reminders",
        "schedule": crontab(minute=25, hour="*/1"),
    },
    "purge-expired-annex-imports": {
        "task": "plans.tasks.purge_expired_imports",
        "schedule": crontab(minute=35),
    },
}
