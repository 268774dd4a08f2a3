"""Plan services: delivery (docs/architecture.md, Delivery) — the year of delivery of an approved plan.

Each accepted offer on the current signed-off plan of its authority and period has a delivery status
(not started, on track, at risk, delivered, not delivered), set by ``DeliveryUpdate`` entries: the
provider's advisers report progress on their own offers; the lead CSA and the authority's DCS and
officers add an update or a comment (no new status); the lead CSA records a review at a strategic
engagement meeting or a keep-in-touch meeting (the update is linked to it). Each update emails the
other side after commit. ``sweep_delivery_reminders`` reminds the provider of its deliver-by dates.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboundEmail, Role, User
from accounts.permissions import require
from core.digest import sends_immediately
from core.errors import ServiceError
from core.notify import absolute_url, queue_email, queue_emails
from core.working_days import WorkingCalendar, london_date

from ..models import DeliveryUpdate, Offer
from ..queries.delivery import REVIEW_MEETING_KINDS, current_delivery_offers, is_current_plan
from ..urls_cache import pk_reverse
from .offers import provider_advisers

__all__ = ["REMIND_DELIVERY_WORKING_DAYS_BEFORE", "report_delivery", "sweep_delivery_reminders"]

#: Providers are reminded this many working days before the deliver-by date, on the day, and once overdue.
REMIND_DELIVERY_WORKING_DAYS_BEFORE = 2
#: The longest account of what happened.
MAX_NOTE = 5000

D = Offer.DeliveryStatus


def _lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related(
            "priority__jisp__authority__region",
            "priority__jisp__authority__csa",
            "priority__jisp__authority__dcs",
            "priority__jisp__csa",
            "provider",
        )
        .get(pk=offer.pk)
    )


def _clean_status(status: str, offer: Offer) -> str:
    if not status:
        return offer.delivery_status  # a comment: the status stays as it is
    if status not in D.values:
        raise ServiceError("Select how the delivery of the support is going", field="status")
    return status


def _clean_days(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError("Days actually given must be a number, like 2 or 1.5", field="days_given") from None
    if not days.is_finite() or days < 0:
        raise ServiceError("Days actually given must be 0 or more", field="days_given")
    if days >= 10000 or days != days.quantize(Decimal("0.1")):
        raise ServiceError("Days actually given must be under 10,000, to one decimal place", field="days_given")
    return days


def _check_meeting(meeting: Any, offer: Offer) -> None:
    """A review belongs to a strategic engagement (or keep-in-touch) meeting of the offer's authority."""
    if meeting.authority_id != offer.priority.jisp.authority_id or meeting.kind not in REVIEW_MEETING_KINDS:
        raise ServiceError(
            "A delivery review is recorded at a strategic engagement or keep-in-touch meeting with the authority",
            field="__all__",
        )
    if meeting.status != "held":
        raise ServiceError("Record a delivery review once the meeting has been marked as held", field="__all__")


def _check_state(offer: Offer) -> None:
    if offer.status != Offer.Status.ACCEPTED:
        raise ServiceError(
            f"You cannot report on the delivery of this offer: it is {offer.get_status_display().lower()}, "
            "not accepted. Only accepted offers in an approved plan are delivered.",
            field="__all__",
        )
    if not is_current_plan(offer.priority.jisp):
        raise ServiceError(
            "You cannot report on the delivery of this offer: its plan is not the current approved plan. "
            "Report on the offer in the approved version of the plan.",
            field="__all__",
        )


def _recipients(actor: User, offer: Offer) -> list[User]:
    """The other side of an update: the provider's advisers unless the provider wrote it; the lead
    CSA unless the CSA wrote it; the DCS unless the authority wrote it. Never the author."""
    jisp = offer.priority.jisp
    people: list[User] = []
    if actor.role != Role.PROVIDER_ADVISER:
        people.extend(provider_advisers([offer.provider_id]).get(offer.provider_id, []))
    if actor.role != Role.CSA:
        people.extend(u for u in (jisp.authority.csa, jisp.csa) if u is not None)
    if actor.role not in (Role.DCS, Role.LA_OFFICER) and jisp.authority.dcs is not None:
        people.append(jisp.authority.dcs)
    return [u for u in people if u.is_active and u.pk != actor.pk]


def report_delivery(
    *,
    actor: User,
    offer: Offer,
    status: str,
    note: str,
    days_given: object = None,
    meeting: Any = None,
) -> DeliveryUpdate:
    """Record a ``DeliveryUpdate`` on an accepted offer of the current approved plan and make its
    status the offer's delivery status. ``status`` "" is a comment (the status stays). With
    ``meeting`` the update is the lead CSA's review at that meeting. The other side is emailed."""
    require(actor, "plans.review_delivery" if meeting is not None else "plans.report_delivery", offer)
    note = (note or "").strip()
    with transaction.atomic():
        offer = _lock(offer)
        _check_state(offer)
        if meeting is not None:
            _check_meeting(meeting, offer)
        new_status = _clean_status(status, offer)
        if not note:
            raise ServiceError("Enter what happened", field="note")
        if len(note) > MAX_NOTE:
            raise ServiceError(f"What happened must be {MAX_NOTE:,} characters or fewer", field="note")
        update = DeliveryUpdate.objects.create(
            offer=offer,
            author=actor,
            created_at=timezone.now(),
            status=new_status,
            previous_status=offer.delivery_status,
            body=note,
            days_given=_clean_days(days_given),
            meeting=meeting,
        )
        if new_status != offer.delivery_status:
            offer.delivery_status = new_status
            offer._history_user = actor
            offer._change_reason = f"Delivery: {D(new_status).label.lower()}"
            offer.save(update_fields=["delivery_status"])
        _email_update(update, offer, actor)
    return update


def _email_update(update: DeliveryUpdate, offer: Offer, actor: User) -> None:
    jisp = offer.priority.jisp
    what = "a comment on" if update.is_comment else f"“{update.get_status_display()}” on"
    queue_email(
        key=f"delivery-update:{update.pk}",
        recipients=_recipients(actor, offer),
        subject=f"Delivery update: {what} {offer.provider}'s support, {jisp.authority} JISP {jisp.period}",
        template="plans/email/delivery_update.txt",
        context={
            "update": update,
            "offer": offer,
            "priority": offer.priority,
            "jisp": jisp,
            "authority": jisp.authority,
            "actor": actor,
            "delivery_link": absolute_url(pk_reverse("plans:offer_delivery", offer.pk)),
        },
    )


# --- reminders ------------------------------------------------------------------------------------


def _words(left: int) -> tuple[str, str]:
    if left < 0:
        return "overdue", "was due to be delivered and is overdue"
    if left == 0:
        return "due_today", "is due to be delivered today"
    return "due_soon", f"is due to be delivered in {left} working day{'s' if left != 1 else ''}"


def sweep_delivery_reminders(now: datetime | None = None) -> int:
    """Remind each provider's advisers of the deliver-by dates of their accepted offers not yet
    delivered: once when the date is 2 working days away or less, once on the day, once when it has
    passed — those advisers who want each reminder as it happens (the others find it in their daily
    digest). Idempotent: one ``OutboundEmail`` per (offer, deliver-by date, kind) and adviser. A fixed
    number of queries however many offers are due. Returns the number of emails queued."""
    today = london_date(now)
    calendar = WorkingCalendar(today, today)
    horizon = calendar.add(today, REMIND_DELIVERY_WORKING_DAYS_BEFORE)
    with transaction.atomic():
        offers = list(
            current_delivery_offers()
            .filter(deliver_by__lte=horizon)
            .exclude(delivery_status__in=Offer.DELIVERY_DONE)
            .select_related("provider", "priority__jisp__authority")
            .order_by("deliver_by", "pk")
        )
        advisers = provider_advisers({o.provider_id for o in offers}) if offers else {}
        messages = []
        for offer in offers:
            due = offer.deliver_by or today  # the query selects dated offers
            kind, words = _words(calendar.between(today, due) if due >= today else -1)
            jisp = offer.priority.jisp
            for adviser in advisers.get(offer.provider_id, []):
                if not sends_immediately(adviser):
                    continue  # it is in their daily digest
                body = render_to_string(
                    "plans/email/delivery_reminder.txt",
                    {
                        "offer": offer,
                        "priority": offer.priority,
                        "jisp": jisp,
                        "authority": jisp.authority,
                        "recipient": adviser,
                        "words": words,
                        "delivery_link": absolute_url(pk_reverse("plans:offer_delivery", offer.pk)),
                        "site_url": settings.SITE_URL,
                    },
                )
                messages.append(
                    {
                        "key": f"delivery-reminder:{offer.pk}:{due:%Y-%m-%d}:{kind}",
                        "recipient": adviser.email,
                        "subject": f"Support {words}: {jisp.authority}, “{offer.priority.title}”",
                        "body": body,
                    }
                )
        if not messages:
            return 0
        keys = {m["key"] for m in messages}
        before = OutboundEmail.objects.filter(key__in=keys).count()
        queue_emails(messages)
        after = OutboundEmail.objects.filter(key__in=keys).count()
    return after - before
