"""The daily digest: at 07:00 Europe/London on working days, one email to each person who chose it
(the default), listing everything due, overdue or waiting on them across the portal, grouped by
authority, each with its link. The items come from every app's ``queries.digest_items``
(``core.digest``).

One digest per person per day, whatever the number of workers or retries: each run inserts a
``Digest`` row per person for the day, tagged with its own ``claim``, skipping rows that exist
(the unique constraint on person and day), and emails only the people whose row carries its claim —
in the same transaction, so a run that fails sends nothing and leaves nothing claimed. A second run,
or a second worker racing the first, finds every row taken and sends nothing. A fixed number of
queries however many people and items.
"""

import uuid

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core import digest
from core.errors import ServiceError
from core.notify import queue_emails
from core.working_days import is_working_day, london_date

from .models import Digest

BATCH = 2000


def digest_subject(items, day):
    overdue = sum(1 for i in items if i.state == digest.OVERDUE)
    due = sum(1 for i in items if i.state == digest.DUE)
    parts = [f"{overdue} overdue"] if overdue else []
    if due:
        parts.append(f"{due} due soon")
    waiting = len(items) - overdue - due
    if waiting:
        parts.append(f"{waiting} waiting")
    return f"Your JISP portal digest for {day:%A} {day.day} {day:%B %Y}: {', '.join(parts)}"


def _line(item):
    mark = "OVERDUE: " if item.state == digest.OVERDUE else "DUE: " if item.state == digest.DUE else ""
    when = f" ({item.when}, {item.due.day} {item.due:%B %Y})" if item.when and item.due else ""
    return f"- {mark}{item.title}{when}\n  {item.link}\n"


def render_digest(user, items, day):
    """The digest's text: the items listed by group (built here rather than in the template's loops:
    thousands are rendered at once), inside ``meetings/email/digest.txt``."""
    listing = "\n".join(
        f"{group or 'Other'}\n" + "".join(_line(i) for i in group_items) for group, group_items in digest.grouped(items)
    )
    return render_to_string(
        "meetings/email/digest.txt",
        {"user": user, "day": day, "count": len(items), "listing": listing, "site_url": settings.SITE_URL},
    )


def send_digests(now=None):
    """Send today's digests (nothing on a day that is not a working day). Returns how many this run
    sent."""
    now = now or timezone.now()
    today = london_date(now)
    if not is_working_day(today):
        return 0
    users = {
        u.pk: u
        for u in User.objects.filter(is_active=True, reminder_emails=digest.DIGEST)
        .exclude(digests__day=today)
        .only("pk", "email", "full_name", "role", "provider_id", "authority_id", "region_id", "reminder_emails")
    }
    if not users:
        return 0
    found = digest.collect(users, today)
    if not found:
        return 0
    claim = uuid.uuid4().hex
    with transaction.atomic():
        Digest.objects.bulk_create(
            [
                Digest(user_id=user_id, day=today, items=len(items), claim=claim, created_at=now)
                for user_id, items in sorted(found.items())  # one order for every run: no deadlock
            ],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        mine = set(Digest.objects.filter(day=today, claim=claim).values_list("user_id", flat=True))
        messages = [
            {
                "key": f"digest:{today:%Y-%m-%d}:{user_id}",
                "recipient": users[user_id].email,
                "subject": digest_subject(items, today),
                "body": render_digest(users[user_id], items, today),
            }
            for user_id, items in found.items()
            if user_id in mine
        ]
        queue_emails(messages)
    return len(messages)


def set_reminder_emails(*, actor, choice):
    """The person chooses how reminders reach them: each as it happens, or one daily digest."""
    if choice not in (digest.IMMEDIATE, digest.DIGEST):
        raise ServiceError("Select how you want to get reminders", field="reminder_emails")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        user.reminder_emails = choice
        user.save(update_fields=["reminder_emails"])
    actor.reminder_emails = choice
    return user


__all__ = ["render_digest", "send_digests", "set_reminder_emails"]
