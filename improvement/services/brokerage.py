"""Improvement services: brokerage — after a peer challenge (its letter issued) or an inspection an
administrator recorded, the authority's lead CSA (the broker) agrees a support package with the
authority. It is made with the plans services themselves, so the support plan follows the plans'
drafting, offers and approval machinery from there on:

- ``plans.services.create_jisp`` starts the support plan for the period (the broker must be the
  authority's lead CSA, as for any plan);
- each area for improvement chosen becomes a priority (``add_priority``) with its points as needs
  (``propose_need``);
- the providers chosen from the framework list are invited to offer on every priority
  (``invite_providers``).

The package is agreed when the authority's DCS approves the support plan (``plans.services.approve``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email
from plans.services import drafting as plan_drafting
from plans.services import offers as plan_offers

from ..models import Brokerage, Finding, FrameworkProvider, InspectionRecord, PeerChallenge
from .common import authority_people, clean_text, save

if TYPE_CHECKING:
    from accounts.models import User
    from providers.models import Provider

__all__ = ["broker_support"]


def _ids(values: Iterable[Any] | None, *, field: str, message: str) -> list[int]:
    try:
        return list(dict.fromkeys(int(getattr(v, "pk", v)) for v in values or ()))
    except (TypeError, ValueError) as error:
        raise ServiceError(message, field=field) from error


def _framework_providers(providers: Iterable[Provider | int | str] | None) -> list[Provider]:
    wanted = _ids(providers, field="providers", message="Select providers from the framework list")
    if not wanted:
        raise ServiceError("Select at least one provider from the framework list", field="providers")
    places = {
        fp.provider_id: fp.provider
        for fp in FrameworkProvider.objects.filter(provider_id__in=wanted, is_active=True).select_related("provider")
    }
    if len(places) != len(wanted):
        raise ServiceError("Select providers from the framework list", field="providers")
    return [places[pk] for pk in wanted]


def _challenge_rows(
    peer_challenge: PeerChallenge, findings: Iterable[Finding | int | str] | None
) -> tuple[list[Finding], list[tuple[str, str, list[str]]]]:
    """(the chosen findings, [(priority title, description, needs)]) after a peer challenge."""
    if peer_challenge.status != PeerChallenge.Status.LETTER_ISSUED:
        raise ServiceError("Support is brokered once the peer challenge's letter is issued.", field="__all__")
    wanted = _ids(findings, field="findings", message="Select areas for improvement of this peer challenge")
    chosen = list(
        Finding.objects.filter(peer_challenge=peer_challenge, pk__in=wanted)
        .select_related("area", "judgement")
        .order_by("area__order", "area_id")
    )
    if len(chosen) != len(wanted) or any(not f.improvement_points for f in chosen):
        raise ServiceError("Select areas for improvement of this peer challenge", field="findings")
    if not chosen:
        raise ServiceError("Select at least one area for improvement", field="findings")
    rows = [
        (
            f.area.title,
            f"Peer challenge, {peer_challenge.starts_on:%B %Y}: judged {f.judgement.label.lower()}."
            + (f" {f.reasons}" if f.reasons else ""),
            f.improvement_points,
        )
        for f in chosen
    ]
    return chosen, rows


def _inspection_rows(
    inspection: InspectionRecord, points: Iterable[int | str] | None
) -> list[tuple[str, str, list[str]]]:
    """[(priority title, description, needs)] of the inspection's areas for improvement chosen by index."""
    all_points = inspection.improvement_points
    try:
        indexes = list(dict.fromkeys(int(i) for i in points or ()))
    except (TypeError, ValueError) as error:
        raise ServiceError("Select areas for improvement of this inspection", field="points") from error
    if not indexes:
        raise ServiceError("Select at least one area for improvement", field="points")
    if any(not 0 <= i < len(all_points) for i in indexes):
        raise ServiceError("Select areas for improvement of this inspection", field="points")
    return [
        (
            all_points[i][:300],
            f"{inspection.inspectorate} {inspection.title}, {inspection.published_on:%B %Y}: "
            f"{inspection.get_overall_display().lower()}.",
            [all_points[i]],
        )
        for i in sorted(indexes)
    ]


def broker_support(
    *,
    actor: User,
    period: str,
    peer_challenge: PeerChallenge | None = None,
    inspection: InspectionRecord | None = None,
    findings: Iterable[Finding | int | str] = (),
    points: Iterable[int | str] = (),
    providers: Iterable[Provider | int | str] = (),
    summary: str = "",
    respond_by: date | None = None,
) -> Brokerage:
    """Broker a support package for the authority of ``peer_challenge`` (its letter issued: each chosen
    finding becomes a priority, its areas for improvement the needs) or of ``inspection`` (each chosen
    area for improvement, by its index in ``points``, becomes a priority). Creates the support plan in
    draft with the plans services and invites the chosen framework providers on every priority.
    Returns the Brokerage."""
    source: PeerChallenge | InspectionRecord | None = peer_challenge if inspection is None else inspection
    if source is None or (peer_challenge is not None and inspection is not None):
        raise ServiceError("Broker support after one peer challenge or one inspection", field="__all__")
    authority = source.authority
    require(actor, "improvement.add_brokerage", authority)
    summary = clean_text(summary, field="summary", max_length=5000)
    chosen_providers = _framework_providers(providers)
    chosen: list[Finding] = []
    if isinstance(source, PeerChallenge):
        peer_challenge = PeerChallenge.objects.select_related("authority").get(pk=source.pk)
        chosen, rows = _challenge_rows(peer_challenge, findings)
    else:
        inspection = InspectionRecord.objects.select_related("authority").get(pk=source.pk)
        rows = _inspection_rows(inspection, points)
    with transaction.atomic():
        plan = plan_drafting.create_jisp(actor=actor, authority=authority, period=period)
        for title, description, needs in rows:
            priority = plan_drafting.add_priority(actor=actor, jisp=plan, title=title, description=description)
            for need in needs:
                plan_drafting.propose_need(actor=actor, priority=priority, description=need)
            plan_offers.invite_providers(
                actor=actor,
                priority=priority,
                providers=chosen_providers,
                message=f"Brokered support for {authority}: {title}",
                respond_by=respond_by,
            )
        brokerage = Brokerage(
            authority=authority,
            peer_challenge=peer_challenge,
            inspection=inspection,
            broker=actor,
            support_plan=plan,
            summary=summary,
        )
        save(brokerage, actor, "Support package brokered")
        brokerage.findings.set(chosen)
        brokerage.providers.set(chosen_providers)
        queue_email(
            key=f"support-brokered:{brokerage.pk}",
            recipients=authority_people(authority),
            subject=f"A support package is being brokered for {authority}",
            template="improvement/email/support_brokered.txt",
            context={
                "brokerage": brokerage,
                "authority": authority,
                "plan": plan,
                "actor": actor,
                "link": absolute_url(reverse("improvement:brokerage", kwargs={"pk": brokerage.pk})),
            },
        )
    return brokerage
