"""Thin Celery tasks calling meetings.services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError, ConnectionError), retry_backoff=True, max_retries=5)
def sweep_deadlines():
    """Beat, every 15 minutes: lapse response windows, remind and escalate (idempotent)."""
    return services.sweep_deadlines()
