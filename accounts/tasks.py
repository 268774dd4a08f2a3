"""Email sending: idempotent by ``OutboundEmail`` (a sent row is never sent again), acks late,
retried with backoff."""

from datetime import timedelta

from celery import Task, shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.sanitise import one_line

from .models import OutboundEmail


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(self: Task, email_id: int) -> str:
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return "already sent"
        email.attempts += 1
        send_mail(one_line(email.subject), email.body, None, [email.recipient], fail_silently=False)
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at", "attempts"])
    return "sent"


@shared_task(acks_late=True)
def requeue_unsent_emails(older_than_minutes: int = 2) -> int:
    """Beat: queue again any email still unsent (the broker was down when it was first queued)."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lte=cutoff).values_list("pk", flat=True))
    for pk in ids:
        send_email.delay(pk)
    return len(ids)
