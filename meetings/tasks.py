"""Thin Celery tasks calling meetings' services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def sweep_deadlines():
    """Beat, every 15 minutes: lapse response windows, remind and escalate (idempotent)."""
    return services.sweep_deadlines()


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def send_digests():
    """Beat, 07:00 Europe/London: the daily digests on working days (one per person per day)."""
    from .digest import send_digests as send

    return send()


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def ask_for_feedback():
    """Beat, daily: open the term's request for feedback on the arrangements once it is due."""
    from .feedback import open_round

    round_ = open_round()
    return round_.pk if round_ else None
