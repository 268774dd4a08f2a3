"""Plan queries: offers — the offer page, the offers list, the actions a user may take on an offer,
and the dashboard panels (the provider's invitations and offers; the CSA's offers to decide and
overdue invitations). Reads only: state changes are in ``plans.services.offers``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Value, When

from accounts.models import Role, in_scope
from accounts.permissions import can
from core.dates import date_text
from core.panels import Panel
from core.working_days import london_date

from ..models import JISP, Need, Offer, OfferDraft, OfferEvent
from ..urls_cache import pk_reverse

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from django.db.models import QuerySet

    from accounts.models import User
    from core.digest import DigestItem

O = Offer.Status  # noqa: E741
PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)
ANSWER_STATUSES = (O.INVITED, O.CHALLENGED)

OFFER_RELATED = (
    "provider",
    "need",
    "invited_by",
    "priority__jisp__authority__region",
    "priority__jisp__authority__dcs",
    "priority__jisp__authority__csa",
    "priority__jisp__csa",
)


def offer_page_queryset() -> QuerySet[Offer]:
    """Offers with what their page shows: the plan's header, the priority's needs and indicators,
    and the timeline."""
    return Offer.objects.select_related(*OFFER_RELATED).prefetch_related(
        Prefetch("priority__needs", queryset=Need.objects.order_by("order", "pk")),
        "priority__indicators",
        Prefetch("events", queryset=OfferEvent.objects.select_related("actor").order_by("created_at", "pk")),
    )


def offer_visible(user: User, offer: Offer) -> bool:
    """``Offer.objects.visible_to(user)`` for one offer already in hand, without a query (the
    offer's priority, plan and authority must be loaded)."""
    if not in_scope(user):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    jisp = offer.priority.jisp
    if user.role in (Role.CSA, Role.GO_DIRECTOR):
        return jisp.authority.region_id == user.region_id
    if user.role in (Role.DCS, Role.LA_OFFICER):
        if jisp.authority_id != user.authority_id or offer.status == O.INVITED:
            return False
        return not (offer.status == O.WITHDRAWN and offer.submitted_at is None)
    if user.role == Role.PROVIDER_ADVISER:
        return user.provider_id is not None and offer.provider_id == user.provider_id
    if user.role == Role.NATIONAL:
        return offer.status == O.ACCEPTED and jisp.status in PUBLISHED
    return False


def is_overdue(offer: Offer, today: date | None = None) -> bool:
    """An invitation or a challenged offer whose respond-by date has passed."""
    return bool(offer.status in ANSWER_STATUSES and offer.respond_by and offer.respond_by < (today or london_date()))


def _change_actions(offer: Offer, allowed: Callable[[str, Offer], bool]) -> list[tuple[str, str, str]]:
    """In-year change and the authority's voice: vary an accepted offer in a draft plan, or withdraw
    it in a draft revision (the lead CSA); mark a submitted offer "not tailored" (the authority, while the plan is
    with it)."""
    jisp = offer.priority.jisp
    actions = []
    draft = jisp.status == JISP.Status.DRAFT
    if offer.status == O.ACCEPTED and draft and allowed("plans.decide_offer", offer):
        actions.append(("Ask for a variation", "plans:offer_vary", "secondary"))
        if jisp.version > 1:
            actions.append(("Withdraw from the plan", "plans:offer_withdraw_accepted", "warning"))
    if (
        offer.status == O.SUBMITTED
        and jisp.status == JISP.Status.WITH_AUTHORITY
        and not offer.authority_concern
        and allowed("plans.flag_offer", offer)
    ):
        actions.append(("Mark as not tailored", "plans:offer_flag", "secondary"))
    return actions


def deployment_plan_action(offer: Offer, user: User) -> str:
    """The provider's (or the lead CSA's) link to upload the deployment plan of an offer."""
    jisp = offer.priority.jisp
    takes_plans = jisp.is_editable or jisp.status == JISP.Status.APPROVED
    if offer.status != O.WITHDRAWN and takes_plans and can(user, "plans.upload_offer_deployment_plan", offer):
        return pk_reverse("plans:offer_deployment_plan", offer.pk)
    return ""


def offer_actions(
    offer: Offer, user: User, *, allowed: Callable[[str, Offer], bool] | None = None
) -> list[dict[str, str]]:
    """What the user may do to the offer now: [{label, url, kind}] (kind: primary, secondary or
    warning). Permission checks only; the offer's priority, plan and authority must be loaded.
    ``allowed(perm, offer)`` replaces ``can`` (the Annex 2 page remembers its answers per provider)."""
    jisp = offer.priority.jisp
    if not jisp.is_editable:
        return []
    if allowed is None:

        def allowed(perm: str, obj: Offer) -> bool:
            return can(user, perm, obj)

    actions = []
    if offer.status in ANSWER_STATUSES and allowed("plans.write_offer", offer):
        label = "Revise and resubmit" if offer.status == O.CHALLENGED else "Write your offer"
        actions.append((label, "plans:offer_edit", "primary"))
    if offer.status == O.SUBMITTED and allowed("plans.decide_offer", offer):
        actions.append(("Accept", "plans:offer_accept", "primary"))
        actions.append(("Challenge", "plans:offer_challenge", "secondary"))
    if offer.is_open and allowed("plans.withdraw_offer", offer):
        mine = user.role == Role.PROVIDER_ADVISER
        label = "Decline the invitation" if mine and offer.status == O.INVITED else "Withdraw"
        actions.append((label, "plans:offer_withdraw", "warning"))
    actions.extend(_change_actions(offer, allowed))
    return [{"label": label, "url": pk_reverse(name, offer.pk), "kind": kind} for label, name, kind in actions]


def offer_context(offer: Offer, user: User) -> dict[str, Any]:
    """The offer page: the plan's header, the priority with its needs and indicators (never its
    other offers or the rest of a draft plan), the offer, its timeline and the actions."""
    priority = offer.priority
    jisp = priority.jisp
    plan_visible = JISP.objects.visible_to(user).filter(pk=jisp.pk).exists()
    return {
        "offer": offer,
        "priority": priority,
        "jisp": jisp,
        "authority": jisp.authority,
        "needs": list(priority.needs.all()),
        "indicators": list(priority.indicators.all()),
        "events": list(offer.events.all()),
        "actions": offer_actions(offer, user),
        "overdue": is_overdue(offer),
        "varied": _varied_from(offer),
        "deployment_plan_url": deployment_plan_action(offer, user),
        "plan_visible": plan_visible,
        "revision": unsubmitted_revision(offer, user),
    }


def _varied_from(offer: Offer) -> OfferEvent | None:
    """While a varied offer is with the provider again: the accepted offer it varies (the event)."""
    if offer.status not in (O.INVITED, O.CHALLENGED, O.SUBMITTED):
        return None
    varied = [e for e in offer.events.all() if e.kind == OfferEvent.Kind.VARIED]
    return varied[-1] if varied else None


def unsubmitted_revision(offer: Offer, user: User) -> OfferDraft | None:
    """The provider's saved, unsubmitted revision of a challenged offer: shown to the provider's
    advisers alone (everyone else sees the offer as submitted)."""
    if offer.status != O.CHALLENGED:
        return None
    return OfferDraft.objects.visible_to(user).filter(offer=offer).first()


def offers_for_list(user: User, status: str = "") -> QuerySet[Offer]:
    """The offers a user may see: those to answer first (soonest respond-by), then those waiting for a
    decision, then the rest, latest first."""
    stage = Case(
        When(status__in=ANSWER_STATUSES, then=Value(0)),
        When(status=O.SUBMITTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs = (
        Offer.objects.visible_to(user)
        .select_related("provider", "need", "priority__jisp__authority")
        .annotate(stage=stage)
        .order_by("stage", F("respond_by").asc(nulls_last=True), F("submitted_at").desc(nulls_last=True), "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def status_counts(user: User) -> list[dict[str, Any]]:
    counts = dict(Offer.objects.visible_to(user).values_list("status").annotate(n=Count("pk")).order_by())
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in O]


# --- dashboard panels -----------------------------------------------------------------------------

#: What a dashboard list shows of an offer and its plan: read as plain rows (the lists run to hundreds
#: of offers, and a row is cheaper to read and to render than an offer with its plan and authority).
_ROW_COLUMNS = {
    "title": F("priority__title"),
    "period": F("priority__jisp__period"),
    "authority": F("priority__jisp__authority__name"),
}
_OPEN_PLANS = (JISP.Status.DRAFT, JISP.Status.WITH_AUTHORITY)


def _rows(offers: QuerySet[Offer], *columns: str, **more: F) -> list[dict[str, Any]]:
    """The offers as rows of their pk, status, ``_ROW_COLUMNS``, ``columns`` (dates) and ``more``,
    with the offer's ``url``, the ``status_label`` its status tag shows and each date as text
    (``<column>_text``)."""
    rows = list(offers.values("pk", "status", *columns, **_ROW_COLUMNS, **more))
    labels = dict(O.choices)
    for row in rows:
        row["url"] = pk_reverse("plans:offer_detail", row["pk"])
        row["status_label"] = labels.get(row["status"], row["status"])
        for column in columns:  # dates, shown as "2 Dec 2026"
            row[f"{column}_text"] = date_text(row[column], "j M Y")
    return rows


def to_answer_for(user: User) -> list[dict[str, Any]]:
    """The provider's invitations and challenged offers to answer, soonest first."""
    if user.provider_id is None:
        return []
    return _rows(
        Offer.objects.filter(
            provider_id=user.provider_id, status__in=ANSWER_STATUSES, priority__jisp__status__in=_OPEN_PLANS
        ).order_by("respond_by", "pk"),
        "respond_by",
    )


def recent_offers_for(user: User, limit: int = 10) -> list[dict[str, Any]]:
    """The provider's other offers (submitted, accepted, withdrawn), latest first."""
    if user.provider_id is None:
        return []
    return _rows(
        Offer.objects.filter(provider_id=user.provider_id)
        .exclude(status__in=ANSWER_STATUSES)
        .order_by("-submitted_at", "-pk")[:limit],
        "submitted_at",
        "deliver_by",
    )


def awaiting_decision_for(csa: User) -> list[dict[str, Any]]:
    """Submitted offers on the plans the CSA leads, oldest submission first."""
    return _rows(
        Offer.objects.filter(
            status=O.SUBMITTED, priority__jisp__authority__csa=csa, priority__jisp__status__in=_OPEN_PLANS
        ).order_by("submitted_at", "pk"),
        "submitted_at",
        provider_name=F("provider__name"),
    )


def overdue_for(csa: User, today: date | None = None) -> list[dict[str, Any]]:
    """Invitations and challenged offers past their respond-by date on the plans the CSA leads."""
    return _rows(
        Offer.objects.filter(
            status__in=ANSWER_STATUSES,
            respond_by__lt=today or london_date(),
            priority__jisp__authority__csa=csa,
            priority__jisp__status__in=_OPEN_PLANS,
        ).order_by("respond_by", "pk"),
        "respond_by",
        provider_name=F("provider__name"),
    )


def panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated):
        return []
    today = london_date()
    if user.role == Role.PROVIDER_ADVISER and user.provider_id:
        return [
            Panel(
                "Invitations and offers to answer",
                "plans/dashboard/_offers_to_answer.html",
                {"offers": to_answer_for(user), "today": today},
                order=5,
            ),
            Panel(
                "Your offers",
                "plans/dashboard/_offers_recent.html",
                {"offers": recent_offers_for(user), "counts": status_counts(user)},
                order=6,
            ),
        ]
    if user.role == Role.CSA:
        return [
            Panel(
                "Offers waiting for your decision",
                "plans/dashboard/_offers_awaiting.html",
                {"offers": awaiting_decision_for(user)},
                order=12,
            ),
            Panel(
                "Overdue invitations",
                "plans/dashboard/_offers_overdue.html",
                {"offers": overdue_for(user, today), "today": today},
                order=13,
            ),
        ]
    return []


# --- the daily digest -----------------------------------------------------------------------------


def digest_items(users: Mapping[int, User], today: date) -> list[DigestItem]:
    """Offers waiting on ``users`` for the daily digest (``core.digest``), in two queries of plain rows:
    the invitations and challenged offers their provider is to answer (by the respond-by date), and
    the submitted offers awaiting the decision of the authority's lead CSA."""
    from core.digest import DUE, OVERDUE, WAITING, DigestItem
    from core.notify import absolute_url
    from core.working_days import WorkingCalendar, due_label

    advisers: dict[int, list[int]] = {}
    csas: set[int] = set()
    for user in users.values():
        if user.role == Role.PROVIDER_ADVISER and user.provider_id:
            advisers.setdefault(user.provider_id, []).append(user.pk)
        elif user.role == Role.CSA:
            csas.add(user.pk)
    open_plans = [JISP.Status.DRAFT, JISP.Status.WITH_AUTHORITY]
    plan = ("priority__title", "priority__jisp__authority__name", "priority__jisp__period", "priority__jisp__version")
    to_answer = (
        list(
            Offer.objects.filter(
                provider_id__in=list(advisers), status__in=ANSWER_STATUSES, priority__jisp__status__in=open_plans
            )
            .order_by()
            .values_list("pk", "status", "respond_by", "provider_id", *plan)
        )
        if advisers
        else []
    )
    to_decide = (
        list(
            Offer.objects.filter(
                status=O.SUBMITTED,
                priority__jisp__authority__csa_id__in=list(csas),
                priority__jisp__status__in=open_plans,
            )
            .order_by()
            .values_list("pk", "provider__name", "priority__jisp__authority__csa_id", *plan)
        )
        if csas
        else []
    )
    dues = [r[2] for r in to_answer if r[2]]
    calendar = WorkingCalendar(min([*dues, today]), max([*dues, today]))
    tomorrow = calendar.add(today, 1)
    labels: dict[date, str] = {}
    items: list[DigestItem] = []
    for pk, status, due, provider_id, title, authority, period, version in to_answer:
        if due is None:
            state, when = WAITING, ""
        else:
            state = OVERDUE if due < today else DUE if due <= tomorrow else WAITING
            when = labels.get(due) or labels.setdefault(due, due_label(due, today, calendar))
        what = "Revise your challenged offer" if status == O.CHALLENGED else "Answer the invitation"
        link = absolute_url(pk_reverse("plans:offer_detail", pk))
        for user_id in advisers.get(provider_id, []):
            items.append(
                DigestItem(
                    user_id=user_id,
                    group=authority,
                    kind="Offer",
                    title=f"{what} for “{title}” ({authority} JISP {period}, version {version})",
                    state=state,
                    due=due,
                    when=when,
                    link=link,
                )
            )
    for pk, provider, csa_id, title, authority, period, version in to_decide:
        items.append(
            DigestItem(
                user_id=csa_id,
                group=authority,
                kind="Offer",
                title=f"Accept or challenge {provider}'s offer for “{title}” ({authority} JISP {period}, version {version})",
                state=WAITING,
                link=absolute_url(pk_reverse("plans:offer_detail", pk)),
            )
        )
    return items
