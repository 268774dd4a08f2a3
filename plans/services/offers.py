"""Plan services: offers (docs/architecture.md, Workflows: Offers) — the CSA invites providers on a priority, each provider's
adviser writes a tailored offer and submits it, the CSA challenges an undifferentiated offer (the
provider revises and resubmits) or accepts it; a provider withdraws its own, the CSA any open one.

invited ─submit→ submitted ─accept→ accepted; submitted ─challenge→ challenged ─submit→ submitted;
invited, submitted, challenged ─withdraw→ withdrawn.

Offers change only while their plan is in draft or with the authority (a plan goes for approval only
when every offer is accepted or withdrawn: ``workflow.send_for_approval``). Inviting locks the plan
row, as sending for approval does, so no new open offer can slip into a plan on its way to the DCS.
Each step checks the permission (PermissionDenied), then the state (ServiceError), runs in one
transaction, leaves history (``_history_user``) and an ``OfferEvent`` for the offer's timeline, and
queues its emails to go after commit (one per event and recipient: a retry sends nothing twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import OutboundEmail, Role, User
from accounts.permissions import require
from core.digest import sends_immediately
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email, queue_emails
from core.working_days import WorkingCalendar, add_working_days, is_working_day, london_date

from ..models import JISP, Need, Offer, OfferDraft, OfferEvent, Priority
from .contacts import email_invitation_to_contact

if TYPE_CHECKING:
    from providers.models import Provider

__all__ = [
    "RESPOND_WORKING_DAYS",
    "REVISE_WORKING_DAYS",
    "REMIND_WORKING_DAYS_BEFORE",
    "default_respond_by",
    "provider_advisers",
    "invite_providers",
    "revision_of",
    "save_offer_draft",
    "submit_offer",
    "challenge_offer",
    "accept_offer",
    "withdraw_offer",
    "sweep_offer_reminders",
]

#: An invitation's default respond-by date: this many working days ahead.
RESPOND_WORKING_DAYS = 10
#: A challenged offer's default date for the revised offer.
REVISE_WORKING_DAYS = 5
#: Providers are reminded this many working days before the respond-by date, and on it.
REMIND_WORKING_DAYS_BEFORE = 2

O = Offer.Status  # noqa: E741 - the statuses read as O.INVITED, O.SUBMITTED, ...
E = OfferEvent.Kind


def default_respond_by(today: date | None = None) -> date:
    return add_working_days(today or london_date(), RESPOND_WORKING_DAYS)


def provider_advisers(provider_ids: Iterable[int]) -> dict[int | None, list[User]]:
    """Active advisers of the given providers: {provider_id: [users]} (one query)."""
    found: dict[int | None, list[User]] = {}
    for user in User.objects.filter(
        role=Role.PROVIDER_ADVISER, is_active=True, provider_id__in=list(provider_ids)
    ).order_by("email"):
        found.setdefault(user.provider_id, []).append(user)
    return found


# --- helpers --------------------------------------------------------------------------------------


def _lock_plan(jisp_id: int) -> JISP:
    return (
        JISP.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__region", "authority__csa", "csa")
        .get(pk=jisp_id)
    )


def _lock_offer(offer: Offer) -> Offer:
    """The offer, locked, with its priority, plan, authority and provider."""
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related(
            "priority__jisp__authority__region",
            "priority__jisp__authority__csa",
            "priority__jisp__csa",
            "provider",
            "need",
        )
        .get(pk=offer.pk)
    )


def _plan_open_for_offers(jisp: JISP, action: str) -> None:
    if not jisp.is_editable:
        raise ServiceError(
            f"You cannot {action} now: the plan is {jisp.get_status_display().lower()}. Offers can change only "
            "while the plan is in draft or with the authority.",
            field="__all__",
        )


def _expect(offer: Offer, *statuses: str, action: str) -> None:
    if offer.status not in statuses:
        allowed = " or ".join(O(s).label.lower() for s in statuses)
        raise ServiceError(
            f"You cannot {action} now: the offer is {offer.get_status_display().lower()}, not {allowed}.",
            field="__all__",
        )


def _save(offer: Offer, actor: User, reason: str) -> None:
    offer._history_user = actor
    offer._change_reason = reason
    offer.save()


def _event(
    offer: Offer,
    kind: str,
    actor: User,
    *,
    message: str = "",
    snapshot: bool = False,
    respond_by: date | None = None,
) -> OfferEvent:
    fields = {}
    if snapshot:
        fields = {
            "description": offer.description,
            "deliver_by": offer.deliver_by,
            "days": offer.days,
            "funding": offer.funding,
        }
    return OfferEvent.objects.create(
        offer=offer, kind=kind, actor=actor, message=message, respond_by=respond_by, **fields
    )


def _clear_concern(offer: Offer) -> None:
    """The CSA has decided on an offer the authority marked as not tailored: the mark clears."""
    offer.authority_concern, offer.authority_concern_by, offer.authority_concern_at = "", None, None


def _csa_of(jisp: JISP) -> list[User]:
    return [u for u in {jisp.csa, jisp.authority.csa} if u is not None and u.is_active]


def _email_offer(
    offer: Offer, *, key: str, recipients: Iterable[User], subject: str, template: str, **context: Any
) -> None:
    queue_email(
        key=key,
        recipients=recipients,
        subject=subject,
        template=template,
        context={
            "offer": offer,
            "priority": offer.priority,
            "jisp": offer.priority.jisp,
            "authority": offer.priority.jisp.authority,
            "offer_link": absolute_url(offer.get_absolute_url()),
            **context,
        },
    )


def _check_respond_by(respond_by: date | None, today: date) -> None:
    if not isinstance(respond_by, date):
        raise ServiceError("Enter the date providers must respond by", field="respond_by")
    if respond_by <= today:
        raise ServiceError("The respond-by date must be in the future", field="respond_by")
    if not is_working_day(respond_by):
        raise ServiceError(
            "The respond-by date must be a working day (not a weekend, bank holiday or closure day)",
            field="respond_by",
        )


def _period_end(jisp: JISP) -> date:
    return date(int(jisp.period[:4]) + 1, 3, 31)


# --- invitations ----------------------------------------------------------------------------------


def invite_providers(
    *,
    actor: User,
    priority: Priority,
    providers: Iterable[Provider] | None,
    message: str = "",
    need: Need | None = None,
    respond_by: date | None = None,
) -> list[Offer]:
    """The lead CSA invites one or more providers to offer tailored support on a priority (and
    optionally one of its needs). Creates one invited offer per provider and emails each provider's
    advisers a link (a provider with no active adviser: its contact address, with a link to ask for
    access). ``respond_by`` must be a working day (default: 10 working days ahead).

    Refused for a provider that already has an unanswered invitation on the same priority and need.
    Returns the new offers."""
    require(actor, "plans.invite_offer", priority)
    invited = list(providers or [])
    message = (message or "").strip()
    today = london_date()
    with transaction.atomic():
        jisp = _lock_plan(priority.jisp_id)
        _plan_open_for_offers(jisp, "invite providers")
        priority = Priority.objects.get(pk=priority.pk)
        priority.jisp = jisp
        if not invited:
            raise ServiceError("Select at least one provider to invite", field="providers")
        if need is not None and need.priority_id != priority.pk:
            raise ServiceError("Select a need of this priority", field="need")
        if need is not None:
            need = Need.objects.get(pk=need.pk)
        respond_by = respond_by or default_respond_by(today)
        _check_respond_by(respond_by, today)
        pending = set(
            Offer.objects.filter(
                priority=priority, need=need, status=O.INVITED, provider__in=[p.pk for p in invited]
            ).values_list("provider__name", flat=True)
        )
        if pending:
            names = " and ".join(sorted(pending))
            raise ServiceError(
                f"{names} already {'has' if len(pending) == 1 else 'have'} an invitation to answer on this "
                f"{'need' if need else 'priority'}",
                field="providers",
            )
        advisers = provider_advisers(p.pk for p in invited)
        now = timezone.now()
        offers = []
        for provider in invited:
            offer = Offer(
                priority=priority,
                need=need,
                provider=provider,
                status=O.INVITED,
                invitation_message=message,
                respond_by=respond_by,
                invited_by=actor,
                invited_at=now,
            )
            _save(offer, actor, f"{provider} invited to offer support")
            _event(offer, E.INVITED, actor, message=message, respond_by=respond_by)
            _email_offer(
                offer,
                key=f"offer-invited:{offer.pk}",
                recipients=advisers.get(provider.pk, []),
                subject=f"Invitation to offer support to {jisp.authority} by {respond_by:%-d %B %Y}",
                template="plans/email/offer_invited.txt",
                actor=actor,
                message=message,
            )
            if not advisers.get(provider.pk):  # nobody on the portal: its contact address hears instead
                email_invitation_to_contact(offer, actor=actor, message=message)
            offers.append(offer)
    return offers


# --- the provider's offer -------------------------------------------------------------------------

OFFER_FIELDS = ("description", "deliver_by", "days", "funding", "notes")


def _clean_days(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        days = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ServiceError("Enter the days of support as a number, like 2 or 2.5", field="days") from error
    if days < 0:
        raise ServiceError("The days of support cannot be negative", field="days")
    if (days * 2) % 1 != 0:
        raise ServiceError("Enter the days of support in whole or half days, like 2 or 2.5", field="days")
    return days


def _clean_funding(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        funding = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as error:
        raise ServiceError("Enter the funding in pounds, like 1500 or 1500.50", field="funding") from error
    if funding < 0:
        raise ServiceError("The funding cannot be negative", field="funding")
    return funding


def _apply(offer: Offer, data: dict[str, Any] | None, into: Offer | OfferDraft | None = None) -> None:
    """Copy the provider's fields onto the offer (or ``into`` its unsubmitted revision), validated as
    far as a draft needs."""
    data = data or {}
    target = offer if into is None else into
    if "description" in data:
        target.description = (data.get("description") or "").strip()
    if "deliver_by" in data:
        target.deliver_by = data.get("deliver_by") or None
    if "days" in data:
        target.days = _clean_days(data.get("days"))
    if "funding" in data:
        target.funding = _clean_funding(data.get("funding"))
    if "notes" in data:
        target.notes = (data.get("notes") or "").strip()
    if target.deliver_by and target.deliver_by > _period_end(offer.priority.jisp):
        raise ServiceError(
            f"The deliver-by date must be within the plan's period {offer.priority.jisp.period} "
            f"(by {_period_end(offer.priority.jisp):%-d %B %Y})",
            field="deliver_by",
        )


def _check_complete(offer: Offer) -> None:
    if not offer.description:
        raise ServiceError(
            "Enter the support you offer as a concise objective, like “By May 2010, conduct 2 visits to help "
            "develop a new sexual health policy for young people”",
            field="description",
        )
    if offer.deliver_by is None:
        raise ServiceError("Enter the date the support will be delivered by", field="deliver_by")
    if offer.days is None and offer.funding is None:
        raise ServiceError("Enter the days of support, the funding, or both", field="days")


def _writable(actor: User, offer: Offer, action: str) -> Offer:
    require(actor, "plans.write_offer", offer)
    offer = _lock_offer(offer)
    _plan_open_for_offers(offer.priority.jisp, action)
    _expect(offer, O.INVITED, O.CHALLENGED, action=action)
    return offer


def revision_of(offer: Offer) -> OfferDraft | None:
    """The provider's unsubmitted revision of a challenged offer, if it saved one."""
    return OfferDraft.objects.filter(offer=offer).first()


def save_offer_draft(*, actor: User, offer: Offer, data: dict[str, Any] | None, lock_version: int) -> Offer:
    """The provider's adviser saves the offer without submitting it. An invited offer stays a draft
    nobody outside the GO and the provider sees. A challenged offer keeps what was submitted, which
    everyone else goes on seeing: the revision is saved apart (``OfferDraft``), the provider's own
    until it resubmits (``submit_offer``)."""
    with transaction.atomic():
        offer = _writable(actor, offer, "change the offer")
        check_and_bump(offer, lock_version)
        if offer.status != O.CHALLENGED:
            _apply(offer, data)
            _save(offer, actor, "Draft saved")
            return offer
        revision = revision_of(offer) or OfferDraft(
            offer=offer, **{name: getattr(offer, name) for name in OfferDraft.FIELDS}
        )
        _apply(offer, data, into=revision)
        revision.saved_by, revision.saved_at = actor, timezone.now()
        revision.save()
        # The offer's version moves (a stale tab is refused) but not its content, nor its history.
        Offer.objects.filter(pk=offer.pk).update(lock_version=offer.lock_version)
    return offer


def submit_offer(
    *, actor: User, offer: Offer, data: dict[str, Any] | None = None, lock_version: int | None = None
) -> Offer:
    """invited → submitted, or challenged → submitted (revised and resubmitted). Needs the objective,
    the deliver-by date and the days or funding. The lead CSA is emailed."""
    with transaction.atomic():
        offer = _writable(actor, offer, "submit the offer")
        if lock_version is not None:
            check_and_bump(offer, lock_version)
        else:
            offer.lock_version += 1
        revision = revision_of(offer) if offer.status == O.CHALLENGED else None
        if revision is not None:  # the saved revision, then whatever the provider sent with it
            for name in OfferDraft.FIELDS:
                setattr(offer, name, getattr(revision, name))
        _apply(offer, data)
        _check_complete(offer)
        if revision is not None:
            revision.delete()
        resubmitted = offer.status == O.CHALLENGED
        offer.status = O.SUBMITTED
        offer.is_tailored = True
        offer.submitted_at = timezone.now()
        _save(offer, actor, "Offer revised and resubmitted" if resubmitted else "Offer submitted")
        event = _event(offer, E.RESUBMITTED if resubmitted else E.SUBMITTED, actor, snapshot=True)
        jisp = offer.priority.jisp
        _email_offer(
            offer,
            key=f"offer-submitted:{event.pk}",
            recipients=_csa_of(jisp),
            subject=f"{offer.provider} has {'resubmitted' if resubmitted else 'submitted'} an offer for "
            f"{jisp.authority} JISP {jisp.period}",
            template="plans/email/offer_submitted.txt",
            actor=actor,
            resubmitted=resubmitted,
        )
    return offer


# --- the CSA's decisions --------------------------------------------------------------------------


def challenge_offer(*, actor: User, offer: Offer, reason: str, respond_by: date | None = None) -> Offer:
    """submitted → challenged: the lead CSA challenges an undifferentiated offer with a reason (
    required); the provider's advisers are emailed and asked for a revised offer by ``respond_by``
    (a working day; default 5 working days ahead)."""
    require(actor, "plans.decide_offer", offer)
    reason = (reason or "").strip()
    today = london_date()
    with transaction.atomic():
        offer = _lock_offer(offer)
        _plan_open_for_offers(offer.priority.jisp, "challenge the offer")
        _expect(offer, O.SUBMITTED, action="challenge the offer")
        if not reason:
            raise ServiceError("Enter why the offer is not tailored enough", field="reason")
        respond_by = respond_by or add_working_days(today, REVISE_WORKING_DAYS)
        _check_respond_by(respond_by, today)
        offer.status = O.CHALLENGED
        offer.is_tailored = False
        _clear_concern(offer)
        offer.challenge_reason = reason
        offer.respond_by = respond_by
        offer.lock_version += 1
        _save(offer, actor, "Offer challenged as undifferentiated")
        event = _event(offer, E.CHALLENGED, actor, message=reason, respond_by=respond_by)
        _email_offer(
            offer,
            key=f"offer-challenged:{event.pk}",
            recipients=provider_advisers([offer.provider_id]).get(offer.provider_id, []),
            subject=f"Please revise your offer for {offer.priority.jisp.authority} by {respond_by:%-d %B %Y}",
            template="plans/email/offer_challenged.txt",
            actor=actor,
            reason=reason,
        )
    return offer


def accept_offer(*, actor: User, offer: Offer) -> Offer:
    """submitted → accepted: the lead CSA accepts the offer into the plan; the provider is told."""
    require(actor, "plans.decide_offer", offer)
    with transaction.atomic():
        offer = _lock_offer(offer)
        _plan_open_for_offers(offer.priority.jisp, "accept the offer")
        _expect(offer, O.SUBMITTED, action="accept the offer")
        offer.status = O.ACCEPTED
        offer.decided_at = timezone.now()
        _clear_concern(offer)
        offer.lock_version += 1
        _save(offer, actor, "Offer accepted")
        event = _event(offer, E.ACCEPTED, actor)
        _email_offer(
            offer,
            key=f"offer-accepted:{event.pk}",
            recipients=provider_advisers([offer.provider_id]).get(offer.provider_id, []),
            subject=f"Your offer for {offer.priority.jisp.authority} JISP {offer.priority.jisp.period} has been accepted",
            template="plans/email/offer_accepted.txt",
            actor=actor,
        )
    return offer


def withdraw_offer(*, actor: User, offer: Offer, reason: str = "") -> Offer:
    """invited, submitted or challenged → withdrawn: a provider's adviser withdraws (or declines) its
    own offer, or the lead CSA withdraws any; the other side is told."""
    require(actor, "plans.withdraw_offer", offer)
    reason = (reason or "").strip()
    with transaction.atomic():
        offer = _lock_offer(offer)
        _plan_open_for_offers(offer.priority.jisp, "withdraw the offer")
        _expect(offer, *Offer.OPEN_STATUSES, action="withdraw the offer")
        by_provider = actor.role == Role.PROVIDER_ADVISER
        OfferDraft.objects.filter(offer=offer).delete()
        offer.status = O.WITHDRAWN
        offer.decided_at = timezone.now()
        offer.lock_version += 1
        _save(offer, actor, "Withdrawn by the provider" if by_provider else "Withdrawn by the CSA")
        event = _event(offer, E.WITHDRAWN, actor, message=reason)
        jisp = offer.priority.jisp
        if by_provider:
            recipients = _csa_of(jisp)
            subject = f"{offer.provider} has withdrawn its offer for {jisp.authority} JISP {jisp.period}"
        else:
            recipients = provider_advisers([offer.provider_id]).get(offer.provider_id, [])
            subject = f"Your offer for {jisp.authority} JISP {jisp.period} has been withdrawn"
        _email_offer(
            offer,
            key=f"offer-withdrawn:{event.pk}",
            recipients=recipients,
            subject=subject,
            template="plans/email/offer_withdrawn.txt",
            actor=actor,
            reason=reason,
            by_provider=by_provider,
        )
    return offer


# --- reminders ------------------------------------------------------------------------------------

REMINDER_WORDS = {"due_soon": "is due in {n} working days", "due_today": "is due today"}


def sweep_offer_reminders(now: datetime | None = None) -> int:
    """Remind each provider's advisers of an invitation (or a challenged offer) to answer: once when
    the respond-by date is 2 working days away or less, once on the day — those advisers who want
    each reminder as it happens (the others find it in their daily digest, ``core.digest``). Idempotent: each reminder
    is one ``OutboundEmail`` per (offer, status, respond-by date, kind) and adviser, so a second run,
    or a retried task, sends nothing twice; a new respond-by date (a challenge) gets its own reminders.
    A fixed number of queries however many offers are due. Returns the number of emails queued."""
    today = london_date(now)
    calendar = WorkingCalendar(today, today)
    horizon = calendar.add(today, REMIND_WORKING_DAYS_BEFORE)
    with transaction.atomic():
        offers = list(
            Offer.objects.filter(
                status__in=[O.INVITED, O.CHALLENGED],
                respond_by__gte=today,
                respond_by__lte=horizon,
                priority__jisp__status__in=[JISP.Status.DRAFT, JISP.Status.WITH_AUTHORITY],
            )
            .select_related("provider", "need", "priority__jisp__authority")
            .order_by("respond_by", "pk")
        )
        if not offers:
            return 0
        advisers = provider_advisers({o.provider_id for o in offers})
        messages = []
        for offer in offers:
            left = calendar.between(today, offer.respond_by or today)  # the query selects dated offers
            kind = "due_today" if left <= 0 else "due_soon"
            words = REMINDER_WORDS[kind].format(n=left) if left != 1 else "is due in 1 working day"
            what = "Your revised offer" if offer.status == O.CHALLENGED else "Your answer to an invitation"
            jisp = offer.priority.jisp
            for adviser in advisers.get(offer.provider_id, []):
                if not sends_immediately(adviser):
                    continue  # it is in their daily digest
                body = render_to_string(
                    "plans/email/offer_reminder.txt",
                    {
                        "offer": offer,
                        "priority": offer.priority,
                        "jisp": jisp,
                        "authority": jisp.authority,
                        "recipient": adviser,
                        "what": what,
                        "words": words,
                        "offer_link": absolute_url(offer.get_absolute_url()),
                        "site_url": settings.SITE_URL,
                    },
                )
                messages.append(
                    {
                        "key": f"offer-reminder:{offer.pk}:{offer.status}:{offer.respond_by:%Y-%m-%d}:{kind}",
                        "recipient": adviser.email,
                        "subject": f"{what} {words}: {jisp.authority}, “{offer.priority.title}”",
                        "body": body,
                    }
                )
        keys = {m["key"] for m in messages}
        before = OutboundEmail.objects.filter(key__in=keys).count()
        queue_emails(messages)
        after = OutboundEmail.objects.filter(key__in=keys).count()
    return after - before
