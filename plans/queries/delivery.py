"""Plan queries: delivery (docs/architecture.md, Delivery) — which offers are being delivered (the
accepted offers of each authority's current approved plan), an offer's delivery page, the Annex 2
page's latest updates, the dashboards' overdue and at-risk support, the daily digest's deliver-by
dates, a meeting's delivery table and the regional and national delivery tables.
Reads only: state changes are in ``plans.services.delivery``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When

from accounts.models import Role
from accounts.permissions import can
from core.panels import Panel
from core.working_days import london_date

from ..models import JISP, DeliveryUpdate, Offer
from ..urls_cache import pk_reverse

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from django.db.models import QuerySet

    from accounts.models import User
    from authorities.models import Region
    from core.digest import DigestItem

D = Offer.DeliveryStatus
PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)
#: The meetings at which the lead CSA reviews delivery with the authority (``Meeting.kind`` values).
REVIEW_MEETING_KINDS = ("strategic_engagement", "kit")
#: The order of the delivery table: at risk first, then not started, on track, and the finished.
STATUS_ORDER = (D.AT_RISK, D.NOT_STARTED, D.ON_TRACK, D.NOT_DELIVERED, D.DELIVERED)

OFFER_RELATED = ("provider", "need", "priority__jisp__authority__region", "priority__jisp__csa")


def is_current_plan(jisp: JISP) -> bool:
    """Whether ``jisp`` is its authority's current signed-off plan for its period: approved (or
    superseded by a revision still being drafted), with no later approved version."""
    if jisp.status not in PUBLISHED:
        return False
    latest = JISP.objects.filter(authority_id=jisp.authority_id, period=jisp.period, status__in=PUBLISHED).aggregate(
        v=Max("version")
    )["v"]
    return latest == jisp.version


def current_delivery_offers() -> QuerySet[Offer]:
    """The accepted offers of every current signed-off plan (``is_current_plan``), in one query."""
    later = JISP.objects.filter(
        authority_id=OuterRef("priority__jisp__authority_id"),
        period=OuterRef("priority__jisp__period"),
        version__gt=OuterRef("priority__jisp__version"),
        status__in=PUBLISHED,
    )
    return Offer.objects.filter(status=Offer.Status.ACCEPTED, priority__jisp__status__in=PUBLISHED).filter(
        ~Exists(later)
    )


def is_overdue(offer: Offer, today: date | None = None) -> bool:
    """Support not yet delivered whose deliver-by date has passed."""
    return bool(
        offer.deliver_by
        and offer.delivery_status not in Offer.DELIVERY_DONE
        and offer.deliver_by < (today or london_date())
    )


def with_latest_update(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """Each offer with its latest delivery update's text, time and author, in the same query."""
    latest = DeliveryUpdate.objects.filter(offer_id=OuterRef("pk")).order_by("-created_at", "-pk")
    return offers.annotate(
        latest_update_body=Subquery(latest.values("body")[:1]),
        latest_update_at=Subquery(latest.values("created_at")[:1]),
        latest_update_author=Subquery(latest.values("author__full_name")[:1]),
    )


# --- the offer's delivery page --------------------------------------------------------------------


def delivery_page_queryset() -> QuerySet[Offer]:
    return Offer.objects.select_related(
        *OFFER_RELATED, "priority__jisp__authority__csa", "priority__jisp__authority__dcs"
    )


def updates_of(offer: Offer) -> list[DeliveryUpdate]:
    return list(
        DeliveryUpdate.objects.filter(offer=offer).select_related("author", "meeting").order_by("-created_at", "-pk")
    )


def delivery_context(offer: Offer, user: User) -> dict[str, Any]:
    jisp = offer.priority.jisp
    current = offer.status == Offer.Status.ACCEPTED and is_current_plan(jisp)
    return {
        "offer": offer,
        "priority": offer.priority,
        "jisp": jisp,
        "authority": jisp.authority,
        "updates": updates_of(offer),
        "current": current,
        "may_report": current and can(user, "plans.report_delivery", offer),
        "overdue": current and is_overdue(offer),
        "plan_visible": JISP.objects.visible_to(user).filter(pk=jisp.pk).exists(),
    }


# --- the dashboards -------------------------------------------------------------------------------


def _attention(offers: QuerySet[Offer], today: date) -> QuerySet[Offer]:
    """Support overdue or at risk, overdue first, then by deliver-by date."""
    overdue = Q(deliver_by__lt=today) & ~Q(delivery_status__in=Offer.DELIVERY_DONE)
    return (
        offers.filter(overdue | Q(delivery_status=D.AT_RISK))
        .select_related("provider", "priority__jisp__authority")
        .annotate(overdue=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("overdue", F("deliver_by").asc(nulls_last=True), "pk")
    )


def attention_for(user: User, today: date, limit: int = 20) -> list[Offer]:
    """The support overdue or at risk that the user follows: the CSA's authorities, the DCS's or
    officer's own authority, the provider's own offers."""
    offers = current_delivery_offers()
    if user.role == Role.CSA:
        offers = offers.filter(priority__jisp__authority__csa=user)
    elif user.role in (Role.DCS, Role.LA_OFFICER):
        offers = offers.filter(priority__jisp__authority_id=user.authority_id)
    elif user.role == Role.PROVIDER_ADVISER and user.provider_id:
        offers = offers.filter(provider_id=user.provider_id)
    else:
        return []
    return list(_attention(offers, today)[:limit])


def panels(user: User) -> list[Panel]:
    if user and user.is_authenticated and user.role == Role.GO_DIRECTOR and user.region_id:
        return [
            Panel(
                "Delivery in your region",
                "plans/dashboard/_delivery_region.html",
                {"figures": national_delivery(user)},
                order=14,
            )
        ]
    if not (user and user.is_authenticated) or user.role not in (
        Role.CSA,
        Role.DCS,
        Role.LA_OFFICER,
        Role.PROVIDER_ADVISER,
    ):
        return []
    today = london_date()
    title = "Your support overdue or at risk" if user.role == Role.PROVIDER_ADVISER else "Overdue delivery"
    return [
        Panel(
            title,
            "plans/dashboard/_delivery_attention.html",
            {"offers": attention_for(user, today), "today": today},
            order=14,
        )
    ]


# --- the daily digest -----------------------------------------------------------------------------


def _digest_people(users: Mapping[int, User]) -> tuple[dict[int, list[int]], set[int]]:
    """{provider id: its advisers' ids} and the ids of the CSAs and DCSs among ``users``."""
    advisers: dict[int, list[int]] = {}
    leads: set[int] = set()
    for user in users.values():
        if user.role == Role.PROVIDER_ADVISER and user.provider_id:
            advisers.setdefault(user.provider_id, []).append(user.pk)
        elif user.role in (Role.CSA, Role.DCS):
            leads.add(user.pk)
    return advisers, leads


def digest_items(users: Mapping[int, User], today: date) -> list[DigestItem]:
    """Deliver-by dates for the daily digest, in one query of plain rows: the provider's advisers see
    their support due within 2 working days or overdue; the lead CSA and the DCS the overdue support
    of their authorities."""
    from core.digest import DUE, OVERDUE, WAITING, DigestItem
    from core.notify import absolute_url
    from core.working_days import WorkingCalendar, due_label

    advisers, leads = _digest_people(users)
    if not (advisers or leads):
        return []
    # A superset of "within 2 working days" read without the calendar; narrowed below with it.
    whose = Q(provider_id__in=list(advisers), deliver_by__lte=today + timedelta(days=14)) | Q(deliver_by__lt=today) & (
        Q(priority__jisp__authority__csa_id__in=list(leads)) | Q(priority__jisp__authority__dcs_id__in=list(leads))
    )
    rows = list(
        current_delivery_offers()
        .filter(whose, deliver_by__isnull=False)
        .exclude(delivery_status__in=Offer.DELIVERY_DONE)
        .order_by()
        .values_list(
            "pk",
            "deliver_by",
            "provider_id",
            "provider__name",
            "priority__title",
            "priority__jisp__authority__name",
            "priority__jisp__authority__csa_id",
            "priority__jisp__authority__dcs_id",
        )
    )
    if not rows:
        return []
    calendar = WorkingCalendar(today, today)  # the closures read once, only when there is something due
    horizon, tomorrow = calendar.add(today, 2), calendar.add(today, 1)
    items: list[DigestItem] = []
    for pk, due, provider_id, provider, title, authority, csa_id, dcs_id in rows:
        if due is None or due > horizon:
            continue
        state = OVERDUE if due < today else DUE if due <= tomorrow else WAITING
        when, link = due_label(due, today, calendar), absolute_url(pk_reverse("plans:offer_delivery", pk))
        for user_id in advisers.get(provider_id, []):
            items.append(
                DigestItem(user_id, authority, "Support", f"Deliver the support for “{title}”", state, link, due, when)
            )
        if due < today:
            for user_id in {csa_id, dcs_id} & leads:
                items.append(
                    DigestItem(
                        user_id,
                        authority,
                        "Support",
                        f"{provider}'s support for “{title}” is overdue",
                        state,
                        link,
                        due,
                        when,
                    )
                )
    return items


# --- a meeting's delivery table -------------------------------------------------------------------


def delivery_table_for_authority(user: User, authority_id: int) -> list[Offer]:
    """The delivery table of the authority's current plans (for a delivery review at a meeting): each
    accepted offer the user may see with its status and latest update, at risk first."""
    visible = Offer.objects.visible_to(user).values("pk")
    return list(
        with_latest_update(current_delivery_offers().filter(priority__jisp__authority_id=authority_id, pk__in=visible))
        .select_related("provider", "priority__jisp")
        .annotate(rank=_status_rank())
        .order_by("rank", F("deliver_by").asc(nulls_last=True), "provider__name", "pk")
    )


def reviewed_at(meeting_id: int) -> set[int]:
    """The offers whose delivery was reviewed at the meeting."""
    return set(DeliveryUpdate.objects.filter(meeting_id=meeting_id).values_list("offer_id", flat=True))


def _status_rank() -> Case:
    return Case(
        *(When(delivery_status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)), output_field=IntegerField()
    )


# --- the regional and national delivery tables ----------------------------------------------------


@dataclass
class DeliveryTable:
    rows: list[Offer]
    counts: list[dict[str, Any]]
    overdue: int
    total: int
    providers: list[dict[str, Any]] = field(default_factory=list)


def delivery_offers(user: User, region: Region | None) -> QuerySet[Offer]:
    """The accepted offers of the current plans the user may see (of ``region``, if given), at risk
    and overdue first, then by provider."""
    today = london_date()
    visible = JISP.objects.visible_to(user).values("pk")
    offers = current_delivery_offers().filter(priority__jisp__in=visible)
    if region is not None:
        offers = offers.filter(priority__jisp__authority__region=region)
    overdue = Q(deliver_by__lt=today) & ~Q(delivery_status__in=Offer.DELIVERY_DONE)
    return (
        with_latest_update(offers)
        .select_related("provider", "priority__jisp__authority__region")
        .annotate(
            attention=Case(
                When(delivery_status=D.AT_RISK, then=Value(0)),
                When(overdue, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            rank=_status_rank(),
        )
        .order_by("attention", "provider__name", "rank", F("deliver_by").asc(nulls_last=True), "pk")
    )


def delivery_table(user: User, region: Region | None) -> DeliveryTable:
    """The delivery table with its counts by status and by provider (from the rows: no query per row)."""
    rows = list(delivery_offers(user, region))
    today = london_date()
    return summarise(rows, today)


def summarise(rows: Iterable[Offer], today: date) -> DeliveryTable:
    rows = list(rows)
    by_status = dict.fromkeys(D.values, 0)
    by_provider: dict[int, dict[str, Any]] = {}
    overdue = 0
    for offer in rows:
        by_status[offer.delivery_status] += 1
        late = is_overdue(offer, today)
        overdue += late
        p = by_provider.setdefault(
            offer.provider_id, {"provider": offer.provider, "total": 0, "overdue": 0, **dict.fromkeys(D.values, 0)}
        )
        p["total"] += 1
        p["overdue"] += late
        p[offer.delivery_status] += 1
    counts = [{"status": s.value, "label": s.label, "count": by_status[s.value]} for s in D]
    providers = sorted(by_provider.values(), key=lambda p: p["provider"].name)
    return DeliveryTable(rows=rows, counts=counts, overdue=overdue, total=len(rows), providers=providers)


def national_delivery(user: User) -> list[dict[str, Any]]:
    """The delivery figures per region (one aggregate query): offers by status and overdue."""
    today = london_date()
    visible = JISP.objects.visible_to(user).values("pk")
    overdue = Q(deliver_by__lt=today) & ~Q(delivery_status__in=Offer.DELIVERY_DONE)
    rows: Any = (
        current_delivery_offers()
        .filter(priority__jisp__in=visible)
        .values("priority__jisp__authority__region__name", "priority__jisp__authority__region__slug")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=overdue),
            **{s: Count("pk", filter=Q(delivery_status=s)) for s in D.values},
        )
        .order_by("priority__jisp__authority__region__name")
    )
    return [
        {
            "region": r["priority__jisp__authority__region__name"],
            "slug": r["priority__jisp__authority__region__slug"],
            "total": r["total"],
            "overdue": r["overdue"],
            "counts": [r[s] for s in D.values],
            "by_status": [(label, r[s]) for s, label in D.choices],
        }
        for r in rows
    ]


def delivery_regions(user: User) -> QuerySet[Region]:
    """The regions whose delivery table the user may see (anything else is a 404): the region's CSAs
    and GO director; national analysts and administrators every region."""
    from accounts.rules import is_admin
    from authorities.models import Region

    if not (user and user.is_authenticated and user.is_active):
        return Region.objects.none()
    if is_admin(user) or user.role == Role.NATIONAL:
        return Region.objects.all()
    if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def can_see_national_delivery(user: User) -> bool:
    from accounts.rules import is_admin

    return bool(user and user.is_authenticated and user.is_active and (is_admin(user) or user.role == Role.NATIONAL))


CSV_HEADINGS = [
    "Region",
    "Authority",
    "Period",
    "Version",
    "Priority",
    "Provider",
    "Offer",
    "Deliver by",
    "Delivery status",
    "Overdue",
    "Days offered",
    "Latest update",
    "Latest update on",
]


def csv_rows(rows: Iterable[Offer], today: date) -> list[list[Any]]:
    """The delivery table's rows for a CSV download (the text as written; the writer neutralises formulas)."""
    out = []
    for o in rows:
        jisp = o.priority.jisp
        latest_at = getattr(o, "latest_update_at", None)
        out.append(
            [
                jisp.authority.region.name,
                jisp.authority.name,
                jisp.period,
                jisp.version,
                o.priority.title,
                o.provider.name,
                o.description,
                o.deliver_by.isoformat() if o.deliver_by else "",
                o.get_delivery_status_display(),
                "Yes" if is_overdue(o, today) else "No",
                o.days if o.days is not None else "",
                getattr(o, "latest_update_body", None) or "",
                london_date(latest_at).isoformat() if latest_at else "",
            ]
        )
    return out
