"""Queue emails from services: recorded in the service's transaction, sent by Celery after commit.

``queue_email(key=..., recipients=..., subject=..., template=..., context=...)`` renders the text body
from a template, records one ``OutboundEmail`` per new (key, recipient) and, once the transaction
commits, hands each to ``accounts.tasks.send_email``. If the broker is down the rows stay unsent and
``accounts.tasks.requeue_unsent_emails`` (beat) sends them later: nothing is lost, nothing doubled.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .sanitise import one_line

log = logging.getLogger(__name__)

#: The rows of the queue and the task that sends one: the accounts app owns both (named, not imported,
#: so that ``core`` depends on no app).
EMAIL_MODEL = "accounts.OutboundEmail"
SEND_TASK = "accounts.tasks.send_email"


def _outbound() -> Any:  # accounts.OutboundEmail, named rather than imported
    return apps.get_model(EMAIL_MODEL)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def queue_email(
    *, key: str, recipients: Iterable[Any], subject: str, template: str, context: dict[str, Any] | None = None
) -> list[Any]:
    """Record and (after commit) send one email per recipient for the event ``key``.

    ``recipients`` may hold users or addresses; blanks and duplicates are dropped. Returns the new
    OutboundEmail rows (an event already emailed to a recipient is not queued again)."""
    addresses = []
    for r in recipients:
        address = getattr(r, "email", r)
        if address and address not in addresses:
            addresses.append(address)
    body = render_to_string(template, {**(context or {}), "site_url": settings.SITE_URL})
    created = []
    for address in addresses:
        email, was_created = _outbound().objects.get_or_create(
            key=key, recipient=address, defaults={"subject": one_line(subject, 300), "body": body}
        )
        if was_created:
            created.append(email)
    if created:
        ids = [e.pk for e in created]
        transaction.on_commit(lambda: dispatch(ids))
    return created


def queue_emails(messages: list[dict[str, str]]) -> list[int]:
    """Record many emails in two queries, once per (key, recipient), and send them after commit: for
    sweeps that email many people at once. ``messages``: dicts with key, recipient (an address),
    subject and body. Returns the ids of the rows still unsent."""
    if not messages:
        return []
    _outbound().objects.bulk_create(
        [
            _outbound()(
                key=m["key"][:200], recipient=m["recipient"], subject=one_line(m["subject"], 300), body=m["body"]
            )
            for m in messages
        ],
        ignore_conflicts=True,
    )
    ids = list(
        _outbound()
        .objects.filter(key__in={m["key"][:200] for m in messages}, sent_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: dispatch(ids))
    return ids


def dispatch(ids: list[int]) -> None:
    """Hand emails to the worker; a broker outage leaves them for the periodic re-queue."""
    send_email = import_string(SEND_TASK)
    for pk in ids:
        try:
            send_email.delay(pk)
        except Exception:  # noqa: BLE001 - the broker is down; requeue_unsent_emails will retry
            log.warning("Could not queue email %s; it will be re-queued", pk, exc_info=True)
