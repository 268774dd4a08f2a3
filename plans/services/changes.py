"""Plan services: in-year change (docs/architecture.md, In-year change) — the authority's change
requests on an approved plan and the CSA's answer, the changes a revision may make to accepted
support, the authority's own challenge of an offer, the notes of a row and the authority's own
choices of support.

ChangeRequest: awaiting_dcs ─confirm→ open (raised by an officer); open (raised by the DCS);
open ─start_revision→ revising ─(the revision is approved)→ done; awaiting_dcs, open ─decline→ declined.

In a draft plan the lead CSA may vary an accepted offer (it goes back to the provider as invited, the
accepted text kept in an ``OfferEvent``); in a draft revision (version 2 or later) also withdraw it
with a reason, or
remove a priority whose offers are all accepted, with a reason (kept in its history). Each function
checks the permission (PermissionDenied), then the state (ServiceError), works in one transaction,
leaves history and queues its emails to go after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email
from core.working_days import add_working_days, london_date

from ..models import JISP, ChangeRequest, DeploymentPlan, Offer, OfferEvent, OwnSupport, Priority
from . import drafting
from .offers import REVISE_WORKING_DAYS, _check_respond_by, _event, _lock_offer, provider_advisers
from .workflow import _authority_users, _csa_of, _locked, revise

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

__all__ = [
    "raise_change_request",
    "confirm_change_request",
    "start_revision",
    "decline_change_request",
    "vary_offer",
    "withdraw_accepted_offer",
    "remove_accepted_priority",
    "flag_offer_not_tailored",
    "write_row_notes",
    "add_own_support",
    "remove_own_support",
    "upload_offer_deployment_plan",
]

C = ChangeRequest.Status
O = Offer.Status  # noqa: E741


def _text(value: str | None, *, field: str, message: str, max_length: int = 5000) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, field=field)
    if len(value) > max_length:
        raise ServiceError(f"Enter no more than {max_length} characters", field=field)
    return value


def _lock_request(change_request: ChangeRequest) -> ChangeRequest:
    return (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("jisp__authority__dcs", "jisp__authority__csa", "jisp__csa", "raised_by")
        .get(pk=change_request.pk)
    )


def _save(obj: Any, actor: User, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _email_request(change_request: ChangeRequest, *, key: str, recipients: Iterable[User], subject: str) -> None:
    jisp = change_request.jisp
    queue_email(
        key=key,
        recipients=recipients,
        subject=subject,
        template="plans/email/change_request.txt",
        context={
            "change_request": change_request,
            "jisp": jisp,
            "request_link": absolute_url(change_request.get_absolute_url()),
        },
    )


# --- change requests ------------------------------------------------------------------------------


def raise_change_request(
    *,
    actor: User,
    jisp: JISP,
    body: str,
    priorities: Iterable[Priority] = (),
    offers: Iterable[Offer] = (),
) -> ChangeRequest:
    """The DCS (open) or an officer (awaiting_dcs: the DCS confirms it) asks for an in-year change to
    the approved plan: what should change and why, optionally pointing at its priorities or offers.
    The lead CSA is emailed, or the DCS when it waits for them."""
    require(actor, "plans.raise_change_request", jisp)
    body = _text(body, field="body", message="Enter what should change and why")
    priorities, offers = list(priorities or ()), list(offers or ())
    with transaction.atomic():
        jisp = _locked(jisp)
        if jisp.status != JISP.Status.APPROVED:
            raise ServiceError(
                f"You can ask for a change only to the approved plan in use; this one is "
                f"{jisp.get_status_display().lower()}.",
                field="__all__",
            )
        if any(p.jisp_id != jisp.pk for p in priorities):
            raise ServiceError("Select priorities of this plan", field="priorities")
        if any(o.priority.jisp_id != jisp.pk or o.status != O.ACCEPTED for o in offers):
            raise ServiceError("Select accepted offers of this plan", field="offers")
        by_dcs = actor.pk == jisp.authority.dcs_id
        change_request = ChangeRequest(
            jisp=jisp,
            raised_by=actor,
            body=body,
            status=C.OPEN if by_dcs else C.AWAITING_DCS,
            confirmed_by=actor if by_dcs else None,
        )
        _save(change_request, actor, "Change requested")
        change_request.priorities.set(priorities)
        change_request.offers.set(offers)
        if by_dcs:
            _email_request(
                change_request,
                key=f"change-request-open:{change_request.pk}",
                recipients=_csa_of(jisp),
                subject=f"{jisp.authority} asks for an in-year change to its JISP {jisp.period}",
            )
        else:
            dcs = jisp.authority.dcs
            _email_request(
                change_request,
                key=f"change-request-raised:{change_request.pk}",
                recipients=[dcs] if dcs and dcs.is_active else [],
                subject=f"Please confirm a change request on the {jisp.authority} JISP {jisp.period}",
            )
    return change_request


def confirm_change_request(*, actor: User, change_request: ChangeRequest) -> ChangeRequest:
    """awaiting_dcs → open: the DCS confirms an officer's request; the lead CSA is emailed."""
    require(actor, "plans.confirm_change_request", change_request)
    with transaction.atomic():
        change_request = _lock_request(change_request)
        if change_request.status != C.AWAITING_DCS:
            raise ServiceError(
                f"This request is {change_request.get_status_display().lower()}: there is nothing to confirm.",
                field="__all__",
            )
        if change_request.jisp.status != JISP.Status.APPROVED:
            raise ServiceError("The plan has been revised since: raise a new request on it.", field="__all__")
        change_request.status, change_request.confirmed_by = C.OPEN, actor
        _save(change_request, actor, "Confirmed by the DCS")
        jisp = change_request.jisp
        _email_request(
            change_request,
            key=f"change-request-open:{change_request.pk}",
            recipients=_csa_of(jisp),
            subject=f"{jisp.authority} asks for an in-year change to its JISP {jisp.period}",
        )
    return change_request


def link_open_requests(*, actor: User, old: JISP, new: JISP) -> list[ChangeRequest]:
    """A revision answers every open request on the plan it revises: they are revising, linked to it.
    Called by ``workflow.revise`` inside its transaction."""
    linked = list(ChangeRequest.objects.select_for_update(of=("self",)).filter(jisp=old, status=C.OPEN))
    now = timezone.now()
    for change_request in linked:
        change_request.status, change_request.revision = C.REVISING, new
        change_request.answered_by, change_request.answered_at = actor, now
        change_request.answer = change_request.answer or f"Version {new.version} has been started to make the change."
        _save(change_request, actor, f"Revision started: version {new.version}")
        _email_request(
            change_request,
            key=f"change-request-revising:{change_request.pk}",
            recipients=_authority_users(old),
            subject=f"Your change request: version {new.version} of the {old.authority} JISP {old.period} has been started",
        )
    return linked


def finish_change_requests(*, actor: User, jisp: JISP) -> int:
    """The revision has been approved: the requests it answers are done."""
    done = 0
    for change_request in ChangeRequest.objects.filter(revision=jisp, status=C.REVISING):
        change_request.status = C.DONE
        _save(change_request, actor, f"Done: version {jisp.version} approved")
        done += 1
    return done


def start_revision(*, actor: User, change_request: ChangeRequest, answer: str = "") -> JISP:
    """open → revising: the lead CSA starts version n+1 of the plan to make the change (the revision
    service); the request is linked to it and the authority told. Returns the new version."""
    require(actor, "plans.answer_change_request", change_request)
    with transaction.atomic():
        change_request = _lock_request(change_request)
        if change_request.status != C.OPEN:
            raise ServiceError(
                f"You cannot start a revision for this request: it is {change_request.get_status_display().lower()}.",
                field="__all__",
            )
        change_request.answer = (answer or "").strip()
        change_request.save(update_fields=["answer"])
        return revise(actor=actor, jisp=change_request.jisp)


def decline_change_request(*, actor: User, change_request: ChangeRequest, reason: str) -> ChangeRequest:
    """awaiting_dcs or open → declined: the lead CSA declines with a reason; the authority is told."""
    require(actor, "plans.answer_change_request", change_request)
    reason = _text(reason, field="reason", message="Enter why you are declining the request")
    with transaction.atomic():
        change_request = _lock_request(change_request)
        if not change_request.is_waiting:
            raise ServiceError(
                f"You cannot decline this request: it is {change_request.get_status_display().lower()}.",
                field="__all__",
            )
        change_request.status, change_request.answer = C.DECLINED, reason
        change_request.answered_by, change_request.answered_at = actor, timezone.now()
        _save(change_request, actor, "Declined by the CSA")
        jisp = change_request.jisp
        _email_request(
            change_request,
            key=f"change-request-declined:{change_request.pk}",
            recipients=_authority_users(jisp),
            subject=f"Your change request on the {jisp.authority} JISP {jisp.period} has been declined",
        )
    return change_request


# --- a revision changes accepted support ----------------------------------------------------------


def _expect_revision(jisp: JISP, action: str) -> None:
    if jisp.status != JISP.Status.DRAFT or jisp.version < 2:
        raise ServiceError(
            f"You can {action} only in a draft revision of an approved plan; this plan is "
            f"{jisp.get_status_display().lower()} (version {jisp.version}).",
            field="__all__",
        )


def _accepted_offer(actor: User, offer: Offer, action: str, *, any_draft: bool = False) -> Offer:
    require(actor, "plans.decide_offer", offer)
    offer = _lock_offer(offer)
    jisp = offer.priority.jisp
    if any_draft and jisp.status != JISP.Status.DRAFT:
        raise ServiceError(
            f"You can {action} only while the plan is in draft; this plan is {jisp.get_status_display().lower()}.",
            field="__all__",
        )
    if not any_draft:
        _expect_revision(jisp, action)
    if offer.status != O.ACCEPTED:
        raise ServiceError(
            f"You can {action} only an accepted offer; this one is {offer.get_status_display().lower()}.",
            field="__all__",
        )
    return offer


def _tell_about_offer(
    offer: Offer, event: OfferEvent, kind: str, *, recipients: Any, subject: str, actor: User, reason: str, **extra: Any
) -> None:
    """Email the other side of a change to an offer after commit: ``plans/email/offer_<kind>.txt``,
    once per event."""
    queue_email(
        key=f"offer-{kind.replace('_', '-')}:{event.pk}",
        recipients=recipients,
        subject=subject,
        template=f"plans/email/offer_{kind}.txt",
        context={
            "offer": offer,
            "jisp": offer.priority.jisp,
            "reason": reason,
            "actor": actor,
            "offer_link": absolute_url(offer.get_absolute_url()),
            **extra,
        },
    )


def vary_offer(*, actor: User, offer: Offer, reason: str, respond_by: date | None = None) -> Offer:
    """accepted → invited, while the plan is in draft (a revision, or a first version not yet sent to
    the authority): the lead CSA asks the provider to vary its accepted offer (reason required); the accepted text is kept in the ``varied`` event and shown to the
    provider, who writes and submits the varied offer by ``respond_by`` (default 5 working days)."""
    reason = _text(reason, field="reason", message="Enter what should change in the offer")
    today = london_date()
    with transaction.atomic():
        offer = _accepted_offer(actor, offer, "vary an offer", any_draft=True)
        respond_by = respond_by or add_working_days(today, REVISE_WORKING_DAYS)
        _check_respond_by(respond_by, today)
        event = _event(offer, OfferEvent.Kind.VARIED, actor, message=reason, snapshot=True, respond_by=respond_by)
        offer.status, offer.respond_by, offer.decided_at = O.INVITED, respond_by, None
        offer.lock_version += 1
        _save(offer, actor, "Variation asked for in a revision")
        jisp = offer.priority.jisp
        _tell_about_offer(
            offer,
            event,
            "varied",
            recipients=provider_advisers([offer.provider_id]).get(offer.provider_id, []),
            subject=f"Please vary your offer for {jisp.authority} by {respond_by:%-d %B %Y}",
            actor=actor,
            reason=reason,
        )
    return offer


def withdraw_accepted_offer(*, actor: User, offer: Offer, reason: str) -> Offer:
    """accepted → withdrawn, in a draft revision, with a reason (kept in the offer's timeline and
    history, and shown when the versions are compared); the provider is told."""
    reason = _text(reason, field="reason", message="Enter why the offer is withdrawn from the plan")
    with transaction.atomic():
        offer = _accepted_offer(actor, offer, "withdraw an accepted offer")
        offer.status, offer.decided_at = O.WITHDRAWN, timezone.now()
        offer.lock_version += 1
        _save(offer, actor, f"Accepted offer withdrawn in a revision: {reason}")
        event = _event(offer, OfferEvent.Kind.WITHDRAWN, actor, message=reason)
        jisp = offer.priority.jisp
        _tell_about_offer(
            offer,
            event,
            "withdrawn",
            recipients=provider_advisers([offer.provider_id]).get(offer.provider_id, []),
            subject=f"Your offer for {jisp.authority} JISP {jisp.period} has been withdrawn from the plan",
            actor=actor,
            reason=reason,
            priority=offer.priority,
            authority=jisp.authority,
            by_provider=False,
        )
    return offer


def remove_accepted_priority(*, actor: User, priority: Priority, reason: str) -> None:
    """In a draft revision, remove a priority whose offers are all accepted (or withdrawn), with a
    reason kept in the history of the priority and its offers (the comparison of versions shows it)."""
    require(actor, "plans.change_jisp", priority.jisp)
    reason = _text(reason, field="reason", message="Enter why the priority is removed from the plan")
    with transaction.atomic():
        jisp = _locked(priority.jisp)
        _expect_revision(jisp, "remove a priority with accepted offers")
        priority = Priority.objects.select_for_update(of=("self",)).get(pk=priority.pk)
        open_offers = priority.offers.filter(status__in=Offer.OPEN_STATUSES).count()
        if open_offers:
            raise ServiceError(
                "This priority has offers still open. Withdraw them, or wait for the providers, before you "
                "remove the priority.",
                field="__all__",
            )
        for offer in priority.offers.all():
            offer._history_user, offer._change_reason = actor, f"Priority removed: {reason}"
            offer.delete()
        for need in priority.needs.all():
            need._history_user, need._change_reason = actor, f"Priority removed: {reason}"
            need.delete()
        priority._history_user, priority._change_reason = actor, f"Removed: {reason}"
        priority.delete()
        for position, pk in enumerate(
            Priority.objects.filter(jisp=jisp).order_by("order", "pk").values_list("pk", flat=True), 1
        ):
            Priority.objects.filter(pk=pk).update(order=position)


# --- the authority's challenge of an offer --------------------------------------------------------


def flag_offer_not_tailored(*, actor: User, offer: Offer, reason: str) -> Offer:
    """While the plan is with the authority, its DCS or an officer marks a submitted offer as not
    tailored, with a reason; the lead CSA is told and challenges the provider or accepts the offer
    (either clears the mark)."""
    require(actor, "plans.flag_offer", offer)
    reason = _text(reason, field="reason", message="Enter why the offer is not tailored to the authority")
    with transaction.atomic():
        offer = _lock_offer(offer)
        jisp = offer.priority.jisp
        if jisp.status != JISP.Status.WITH_AUTHORITY:
            raise ServiceError(
                f"You can mark an offer only while the plan is with the authority; it is "
                f"{jisp.get_status_display().lower()}.",
                field="__all__",
            )
        if offer.status != O.SUBMITTED:
            raise ServiceError(
                f"You can mark only a submitted offer; this one is {offer.get_status_display().lower()}.",
                field="__all__",
            )
        offer.authority_concern, offer.authority_concern_by = reason, actor
        offer.authority_concern_at = timezone.now()
        offer.lock_version += 1
        _save(offer, actor, "Marked not tailored by the authority")
        event = _event(offer, OfferEvent.Kind.NOT_TAILORED, actor, message=reason)
        _tell_about_offer(
            offer,
            event,
            "not_tailored",
            recipients=_csa_of(jisp),
            subject=f"{jisp.authority} says the {offer.provider} offer is not tailored",
            actor=actor,
            reason=reason,
        )
    return offer


# --- the notes of a row ---------------------------------------------------------------------------


def write_row_notes(*, actor: User, priority: Priority, notes: str, lock_version: int) -> Priority:
    """The lead CSA or the authority's DCS and officers write the Notes of an Annex 2 row (local use;
    the provider's own notes stay on its offer). Open while the plan can change."""
    require(actor, "plans.write_row_notes", priority)
    notes = (notes or "").strip()
    if len(notes) > 5000:
        raise ServiceError("Enter no more than 5000 characters", field="notes")
    with transaction.atomic():
        jisp = _locked(priority.jisp)
        if not jisp.is_editable:
            raise ServiceError(
                f"You cannot change the notes now: the plan is {jisp.get_status_display().lower()}.", field="__all__"
            )
        priority = Priority.objects.select_for_update(of=("self",)).get(pk=priority.pk)
        check_and_bump(priority, lock_version)
        priority.notes = notes
        _save(priority, actor, "Notes changed")
    return priority


# --- the authority's own choices ------------------------------------------------------------------


def _expect_before_sign_off(jisp: JISP) -> None:
    if jisp.status in (JISP.Status.APPROVED, JISP.Status.SUPERSEDED):
        raise ServiceError(
            f"You cannot change the authority's own support now: the plan is {jisp.get_status_display().lower()}. "
            "Ask for an in-year change instead.",
            field="__all__",
        )


def add_own_support(
    *, actor: User, jisp: JISP, source: str, description: str, cost: Decimal | None = None
) -> OwnSupport:
    """The DCS records support the authority takes up or buys itself, before the plan is signed off."""
    require(actor, "plans.record_own_support", jisp)
    if source not in OwnSupport.Source.values:
        raise ServiceError("Select where the support comes from", field="source")
    description = _text(description, field="description", message="Enter the support the authority takes up")
    if cost is not None and cost < 0:
        raise ServiceError("The cost cannot be negative", field="cost")
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect_before_sign_off(jisp)
        own = OwnSupport(jisp=jisp, source=source, description=description, cost=cost, recorded_by=actor)
        _save(own, actor, "Own support recorded")
    return own


def remove_own_support(*, actor: User, own_support: OwnSupport) -> None:
    require(actor, "plans.record_own_support", own_support.jisp)
    with transaction.atomic():
        jisp = _locked(own_support.jisp)
        _expect_before_sign_off(jisp)
        own_support._history_user = actor
        own_support.delete()


# --- deployment plans of a provider's own offers --------------------------------------------------


def upload_offer_deployment_plan(*, actor: User, offer: Offer, upload: UploadedFile | None) -> DeploymentPlan:
    """A provider's adviser (or the lead CSA) holds the deployment plan of an offer with its plan,
    while the offer is open or accepted and the plan takes deployment plans."""
    require(actor, "plans.upload_offer_deployment_plan", offer)
    if offer.status == O.WITHDRAWN:
        raise ServiceError("The offer has been withdrawn: there is nothing to deploy.", field="__all__")
    return drafting.store_deployment_plan(actor=actor, jisp=offer.priority.jisp, provider=offer.provider, upload=upload)
