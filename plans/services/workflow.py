"""Plan services: workflow (docs/architecture.md, Workflows: Plans) — the authority's review, the DCS's decision, the signed-off
PDF with its copies to partners, and in-year revision.

draft ─send_to_authority→ with_authority ─send_for_approval→ awaiting_approval ─approve→ approved ─revise→ n+1
with_authority ─return_to_draft→ draft; awaiting_approval ─request_changes→ with_authority.

Each function checks the permission (PermissionDenied), then the state (ServiceError), works in one
transaction, leaves history (``_history_user``) and queues its emails to go after commit.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from accounts.permissions import require
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email

from ..models import (
    JISP,
    Decision,
    DeploymentPlan,
    GoodPractice,
    Need,
    Offer,
    OwnSupport,
    PlanComment,
    PlanCopy,
    Priority,
)

if TYPE_CHECKING:
    from providers.models import Provider

__all__ = [
    "send_to_authority",
    "return_to_draft",
    "send_for_approval",
    "request_changes",
    "approve",
    "revise",
    "add_plan_comment",
    "resolve_plan_comment",
    "open_offers_of",
    "publish_jisp_pdf",
    "copy_approved_plan",
    "queue_pdf_render",
]

log = logging.getLogger(__name__)
S = JISP.Status


def _locked(jisp: JISP) -> JISP:
    return (
        JISP.objects.select_for_update(of=("self",))
        .select_related("authority", "authority__dcs", "authority__csa", "authority__region", "csa")
        .get(pk=jisp.pk)
    )


def _expect(jisp: JISP, *statuses: str, action: str) -> None:
    if jisp.status not in statuses:
        allowed = " or ".join(JISP.Status(s).label.lower() for s in statuses)
        raise ServiceError(
            f"You cannot {action} now: the plan is {jisp.get_status_display().lower()}, not {allowed}.",
            field="__all__",
        )


def _move(jisp: JISP, actor: User, status: str, reason: str) -> None:
    jisp.status = status
    jisp.lock_version += 1
    jisp._history_user = actor
    jisp._change_reason = reason
    jisp.save()


def _authority_users(jisp: JISP) -> list[User]:
    authority = jisp.authority
    users = list(User.objects.filter(authority=authority, is_active=True, role__in=[Role.DCS, Role.LA_OFFICER]))
    if authority.dcs and authority.dcs not in users and authority.dcs.is_active:
        users.insert(0, authority.dcs)
    return users


def _csa_of(jisp: JISP) -> list[User]:
    return [u for u in {jisp.csa, jisp.authority.csa} if u is not None and u.is_active]


def _email(
    jisp: JISP, *, key: str, recipients: Iterable[User | str], subject: str, template: str, **context: Any
) -> None:
    queue_email(
        key=key,
        recipients=recipients,
        subject=subject,
        template=template,
        context={"jisp": jisp, "plan_link": absolute_url(jisp.get_absolute_url()), **context},
    )


def open_offers_of(jisp: JISP) -> list[Offer]:
    """Offers still invited, submitted or challenged: a plan goes for approval only without them."""
    return list(
        Offer.objects.filter(priority__jisp=jisp, status__in=Offer.OPEN_STATUSES)
        .select_related("provider", "priority")
        .order_by("priority__order", "priority_id", "pk")
    )


# --- transitions ----------------------------------------------------------------------------------


def send_to_authority(*, actor: User, jisp: JISP) -> JISP:
    """draft → with_authority: the lead CSA asks the authority to review the package."""
    require(actor, "plans.send_jisp", jisp)
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.DRAFT, action="send the plan to the authority")
        _move(jisp, actor, S.WITH_AUTHORITY, "Sent to the authority for review")
        _email(
            jisp,
            key=f"plan-with-authority:{jisp.pk}:{jisp.lock_version}",
            recipients=_authority_users(jisp),
            subject=f"{jisp.authority} JISP {jisp.period} is ready for your review",
            template="plans/email/plan_with_authority.txt",
            actor=actor,
        )
    return jisp


def return_to_draft(*, actor: User, jisp: JISP) -> JISP:
    """with_authority → draft: the lead CSA takes the plan back to rework it."""
    require(actor, "plans.send_jisp", jisp)
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.WITH_AUTHORITY, action="return the plan to draft")
        _move(jisp, actor, S.DRAFT, "Returned to draft")
    return jisp


def send_for_approval(*, actor: User, jisp: JISP) -> JISP:
    """with_authority → awaiting_approval. Refused while any offer is invited, submitted or
    challenged; the error's ``details`` are those offers."""
    require(actor, "plans.send_jisp", jisp)
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.WITH_AUTHORITY, action="send the plan for approval")
        if not Priority.objects.filter(jisp=jisp).exists():
            raise ServiceError("Add at least one priority before sending the plan for approval.", field="__all__")
        still_open = open_offers_of(jisp)
        if still_open:
            count = len(still_open)
            raise ServiceError(
                f"{count} offer{'s are' if count != 1 else ' is'} still open. Accept or withdraw "
                f"{'each' if count != 1 else 'it'} before sending the plan for approval.",
                field="__all__",
                details=still_open,
            )
        _move(jisp, actor, S.AWAITING_APPROVAL, "Sent for approval")
        dcs = jisp.authority.dcs
        _email(
            jisp,
            key=f"plan-for-approval:{jisp.pk}:{jisp.lock_version}",
            recipients=[dcs] if dcs else [],
            subject=f"Please approve {jisp.authority} JISP {jisp.period} (version {jisp.version})",
            template="plans/email/plan_for_approval.txt",
            actor=actor,
            approve_link=absolute_url(reverse("plans:approve", kwargs={"pk": jisp.pk})),
        )
    return jisp


def request_changes(*, actor: User, jisp: JISP, comments: str) -> Decision:
    """awaiting_approval → with_authority: the plan's DCS asks for changes (comments required)."""
    require(actor, "plans.decide_jisp", jisp)
    comments = (comments or "").strip()
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.AWAITING_APPROVAL, action="request changes")
        if not comments:
            raise ServiceError("Enter the changes you want made to the plan", field="comments")
        decision = Decision.objects.create(
            jisp=jisp, decided_by=actor, outcome=Decision.Outcome.CHANGES_REQUESTED, comments=comments
        )
        _move(jisp, actor, S.WITH_AUTHORITY, "Changes requested by the DCS")
        _email(
            jisp,
            key=f"plan-decision:{decision.pk}",
            recipients=_csa_of(jisp),
            subject=f"Changes requested to {jisp.authority} JISP {jisp.period}",
            template="plans/email/plan_changes_requested.txt",
            decision=decision,
        )
    return decision


def approve(*, actor: User, jisp: JISP, version: int | str | None, lock_version: int | None = None) -> Decision:
    """awaiting_approval → approved: the plan's DCS approves the version they were shown. Records the
    Decision, then (after commit) the signed-off PDF is rendered by ``plans.tasks.render_jisp_pdf``."""
    require(actor, "plans.decide_jisp", jisp)
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.AWAITING_APPROVAL, action="approve the plan")
        try:
            confirmed = int(version) if version is not None else None
        except ValueError:
            confirmed = None
        if confirmed != jisp.version:
            raise ServiceError(
                f"You confirmed version {version} but this plan is version {jisp.version}. "
                "Check the plan again before you approve it.",
                field="__all__",
            )
        if lock_version is not None:
            check_and_bump(jisp, lock_version)
            jisp.lock_version -= 1  # _move bumps it once
        now = timezone.now()
        decision = Decision.objects.create(
            jisp=jisp, decided_by=actor, outcome=Decision.Outcome.APPROVED, decided_at=now
        )
        jisp.approved_at, jisp.approved_by = now, actor
        _move(jisp, actor, S.APPROVED, f"Approved by {actor}")
        from .changes import finish_change_requests

        finish_change_requests(actor=actor, jisp=jisp)
        _email(
            jisp,
            key=f"plan-decision:{decision.pk}",
            recipients=_csa_of(jisp),
            subject=f"{jisp.authority} JISP {jisp.period} has been approved",
            template="plans/email/plan_approved.txt",
            decision=decision,
        )
        pk = jisp.pk
        transaction.on_commit(lambda: queue_pdf_render(pk))
    return decision


def queue_pdf_render(jisp_id: int) -> None:
    """Hand the rendering to the worker; if the broker is down, ``requeue_missing_pdfs`` retries."""
    from ..tasks import render_jisp_pdf

    try:
        render_jisp_pdf.delay(jisp_id)
    except Exception:  # noqa: BLE001 - broker down or the eager render failed; the beat re-queues
        log.warning("Could not queue the PDF of plan %s; it will be re-queued", jisp_id, exc_info=True)


def revise(*, actor: User, jisp: JISP) -> JISP:
    """approved → a new version n+1 in draft with the priorities, needs, accepted offers and good
    practice copied; the approved plan becomes superseded. Returns the new plan."""
    require(actor, "plans.send_jisp", jisp)
    with transaction.atomic():
        old = _locked(jisp)
        _expect(old, S.APPROVED, action="revise the plan")
        latest = (
            JISP.objects.filter(authority=old.authority, period=old.period).aggregate(v=Max("version"))["v"]
            or old.version
        )
        new = JISP(
            authority=old.authority,
            period=old.period,
            version=latest + 1,
            status=S.DRAFT,
            csa=old.authority.csa or old.csa,
        )
        new._history_user = actor
        new._change_reason = f"Revision of version {old.version}"
        new.save()
        priorities = old.priorities.prefetch_related("indicators", "needs", "offers").order_by("order", "pk")
        for p in priorities:
            copy = Priority(
                jisp=new,
                order=p.order,
                title=p.title,
                description=p.description,
                is_workforce=p.is_workforce,
                notes=p.notes,
            )
            copy._history_user = actor
            copy.save()
            copy.indicators.set(p.indicators.all())
            need_map: dict[int | None, Need] = {}
            for n in p.needs.all():
                need = Need(
                    priority=copy,
                    order=n.order,
                    description=n.description,
                    from_workforce_tool=n.from_workforce_tool,
                    proposed_by_authority=n.proposed_by_authority,
                    proposed_by_id=n.proposed_by_id,
                )
                need._history_user = actor
                need.save()
                need_map[n.pk] = need
            for o in p.offers.all():
                if o.status != Offer.Status.ACCEPTED:
                    continue
                offer = Offer(
                    priority=copy,
                    need=need_map.get(o.need_id),
                    provider_id=o.provider_id,
                    status=Offer.Status.ACCEPTED,
                    invitation_message=o.invitation_message,
                    description=o.description,
                    deliver_by=o.deliver_by,
                    days=o.days,
                    funding=o.funding,
                    notes=o.notes,
                    is_tailored=o.is_tailored,
                    invited_by_id=o.invited_by_id,
                    invited_at=o.invited_at,
                    submitted_at=o.submitted_at,
                    decided_at=o.decided_at,
                    delivery_status=o.delivery_status,
                )
                offer._history_user = actor
                offer.save()
        bulk_create_with_history(
            [GoodPractice(jisp=new, area=g.area, description=g.description) for g in old.good_practice.all()],
            GoodPractice,
            default_user=actor,
        )
        _carry_over(old, new, actor)
        _move(old, actor, S.SUPERSEDED, f"Superseded by version {new.version}")
    return new


def _carry_over(old: JISP, new: JISP, actor: User) -> None:
    """What else a revision takes from the approved plan: its deployment plans (the same files), the
    authority's own support, and the open change requests it answers."""
    from .changes import link_open_requests

    DeploymentPlan.objects.bulk_create(
        DeploymentPlan(
            jisp=new,
            provider_id=d.provider_id,
            file=d.file.name,
            original_name=d.original_name,
            content_type=d.content_type,
            size=d.size,
            uploaded_by_id=d.uploaded_by_id,
            uploaded_at=d.uploaded_at,
        )
        for d in old.deployment_plans.all()
    )
    for own in old.own_support.all():
        OwnSupport(
            jisp=new, source=own.source, description=own.description, cost=own.cost, recorded_by=own.recorded_by
        ).save()
    link_open_requests(actor=actor, old=old, new=new)


# --- the authority's review -----------------------------------------------------------------------


def add_plan_comment(
    *,
    actor: User,
    jisp: JISP,
    body: str,
    priority: Priority | None = None,
    need: Need | None = None,
    offer: Offer | None = None,
) -> PlanComment:
    """The DCS or an LA officer comments on a row of their plan (or the plan as a whole) while it is
    with the authority. The lead CSA is told."""
    require(actor, "plans.comment_jisp", jisp)
    body = (body or "").strip()
    with transaction.atomic():
        jisp = _locked(jisp)
        _expect(jisp, S.WITH_AUTHORITY, action="comment on the plan")
        if not body:
            raise ServiceError("Enter your comment", field="body")
        if sum(x is not None for x in (priority, need, offer)) > 1:
            raise ServiceError("Select one row to comment on", field="target")
        row_plan = (
            priority.jisp_id
            if priority
            else need.priority.jisp_id
            if need
            else offer.priority.jisp_id
            if offer
            else jisp.pk
        )
        if row_plan != jisp.pk:
            raise ServiceError("Select a row of this plan", field="target")
        if offer is not None and offer.status == Offer.Status.INVITED:
            raise ServiceError("Select a row of this plan", field="target")
        comment = PlanComment.objects.create(
            jisp=jisp, priority=priority, need=need, offer=offer, author=actor, body=body
        )
        _email(
            jisp,
            key=f"plan-comment:{comment.pk}",
            recipients=_csa_of(jisp),
            subject=f"New comment on {jisp.authority} JISP {jisp.period}",
            template="plans/email/plan_comment.txt",
            comment=comment,
        )
    return comment


def resolve_plan_comment(*, actor: User, comment: PlanComment) -> PlanComment:
    """The lead CSA marks an authority comment as dealt with."""
    require(actor, "plans.send_jisp", comment.jisp)
    with transaction.atomic():
        comment = PlanComment.objects.select_for_update(of=("self",)).select_related("jisp").get(pk=comment.pk)
        if comment.resolved_at is not None:
            raise ServiceError("This comment has already been resolved.", field="__all__")
        comment.resolved_at, comment.resolved_by = timezone.now(), actor
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


# --- the signed-off PDF and its copies ------------------------------------------------------------


def _pdf_name(jisp: JISP) -> str:
    slug = slugify(jisp.authority.name) or "authority"
    return f"jisp-{slug}-{jisp.period}-v{jisp.version}-{secrets.token_hex(8)}.pdf"


def publish_jisp_pdf(*, jisp_id: int) -> JISP | None:
    """Render and store the signed-off PDF of an approved plan, then copy it to partners.

    Idempotent: a plan that already has its PDF keeps it (the signed-off PDF never changes); the
    copies are recorded once per address and emailed once per recipient. Returns the plan."""
    from ..pdf import render_jisp_pdf_bytes

    with transaction.atomic():
        jisp = (
            JISP.objects.select_for_update(of=("self",))
            .select_related("authority", "authority__region", "authority__dcs", "csa", "approved_by")
            .filter(pk=jisp_id)
            .first()
        )
        if jisp is None or jisp.approved_at is None:
            return jisp
        if not jisp.pdf:
            data = render_jisp_pdf_bytes(jisp)
            jisp.pdf.save(_pdf_name(jisp), ContentFile(data), save=False)
            jisp.pdf_sha256 = hashlib.sha256(data).hexdigest()
            jisp.save(update_fields=["pdf", "pdf_sha256"])
        copy_approved_plan(jisp)
    return jisp


def _copy_recipients(jisp: JISP) -> "list[tuple[User | Provider, str]]":
    """(recipient, organisation) for the DCS, every active adviser of every provider with an accepted
    offer and of the RIEPs serving the region, the contact address of each of those providers (a
    provider with nobody on the portal still gets its copy), and the region's GO directors. A
    recipient is a User, or a Provider (meaning its contact address)."""
    from providers.models import Provider

    found: list[tuple[User | Provider, str]] = []
    if jisp.authority.dcs and jisp.authority.dcs.is_active:
        found.append((jisp.authority.dcs, str(jisp.authority)))
    in_plan = Offer.objects.filter(priority__jisp=jisp, status=Offer.Status.ACCEPTED).values("provider_id")
    rieps = Provider.objects.filter(kind=Provider.Kind.RIEP, regions=jisp.authority.region_id).values("pk")
    advisers = (
        User.objects.filter(role=Role.PROVIDER_ADVISER, is_active=True)
        .filter(Q(provider_id__in=in_plan) | Q(provider_id__in=rieps))
        .select_related("provider")
        .order_by("provider__name", "email")
    )
    found.extend((u, str(u.provider)) for u in advisers)
    partners = Provider.objects.filter(Q(pk__in=in_plan) | Q(pk__in=rieps)).exclude(contact_email="").order_by("name")
    found.extend((p, str(p)) for p in partners)
    directors = User.objects.filter(role=Role.GO_DIRECTOR, is_active=True, region_id=jisp.authority.region_id)
    found.extend(
        (u, jisp.authority.region.government_office or str(jisp.authority.region)) for u in directors.order_by("email")
    )
    return found


def copy_approved_plan(jisp: JISP) -> list[PlanCopy]:
    """Email a link to the signed-off PDF to every partner and record each copy (once per address).
    A provider's contact address is also told how its people can ask for access to the portal."""
    from accounts.services import access_request_link, has_active_adviser

    if not jisp.pdf:
        return []
    link = absolute_url(reverse("plans:pdf_download", kwargs={"pk": jisp.pk}))
    recorded = []
    for recipient, organisation in _copy_recipients(jisp):
        user = recipient if isinstance(recipient, User) else None
        provider = None if isinstance(recipient, User) else recipient
        email = user.email if user is not None else provider.contact_email if provider is not None else ""
        copy, created = PlanCopy.objects.get_or_create(
            jisp=jisp, email=email, defaults={"recipient": user, "organisation": organisation}
        )
        if created:
            recorded.append(copy)
        access_link = None
        if provider is not None and not has_active_adviser(provider):
            access_link = access_request_link(provider)
        _email(
            jisp,
            key=f"plan-copy:{jisp.pk}",
            recipients=[email],
            subject=f"Approved: {jisp.authority} JISP {jisp.period} (version {jisp.version})",
            template="plans/email/plan_copy.txt",
            pdf_link=link,
            recipient=user,
            organisation=organisation,
            access_link=access_link,
        )
    return recorded
