"""Plan queries: the regional and national analysis of priorities and needs across plans.

Every table is built from aggregate queries (``values``/``annotate``/``Count``/``Sum``) over the
*current* plans of a period, so a region of 150 authorities costs the same number of SQL queries as a
region of 5. The current plan of an authority for a period is:

- for GO staff and admins (``approved_only=False``): its latest version that is not superseded,
  whatever its status (drafts included: the GO plans with what is being agreed);
- for national analysts and RIEPs (``approved_only=True``): its latest approved version (while a
  revision is in draft, the approved version it revises is still the plan in force). Nothing in
  draft reaches them.

Who may see which region is decided here too (``analysis_regions``), so views and the forum page ask
one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Lower, Trim

from accounts.models import Role, in_scope
from authorities.models import LocalAuthority, NationalIndicator, Region
from plans.models import JISP, GoodPractice, Need, Offer, Priority

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User
    from authorities.models import RegionalForum
    from core.panels import Panel

    # The regions an analysis covers: a Region queryset, or a list of regions or of their ids.
    Regions = QuerySet[Region] | Sequence[Region] | Sequence[int]

PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)

APPROVED_ONLY_NOTE = (
    "This analysis counts approved plans only: for each authority, its latest approved plan for the "
    "period. Plans in draft, with the authority or awaiting approval are not included."
)
ALL_CURRENT_NOTE = (
    "This analysis counts every current plan: for each authority, its latest version for the period "
    "that has not been superseded, whatever its status (draft, with the authority, awaiting approval "
    "or approved). National analysts and RIEPs see approved plans only."
)

TABLE_KEYS = (
    "indicators",
    "outcomes",
    "providers",
    "authorities",
    "workforce",
    "without_approved",
    "good_practice",
    "offer_statuses",
)


# --- who may see what -------------------------------------------------------------------------------


def _signed_in(user: User) -> bool:
    """Signed in and scoped: an account without the organisation its role needs sees nothing
    (``accounts.models.in_scope``)."""
    return in_scope(user)


def is_admin(user: User) -> bool:
    return _signed_in(user) and (user.is_superuser or user.role == Role.ADMIN)


def is_riep_adviser(user: User) -> bool:
    return (
        _signed_in(user)
        and user.role == Role.PROVIDER_ADVISER
        and user.provider is not None
        and user.provider.kind == "riep"
    )


def analysis_regions(user: User) -> QuerySet[Region]:
    """The regions whose analysis the user may see (anything else is a 404).

    The region's CSAs and GO director; admins and national analysts every region; advisers of a RIEP
    the regions their provider serves. Nobody else.
    """
    if not _signed_in(user):
        return Region.objects.none()
    if is_admin(user) or user.role == Role.NATIONAL:
        return Region.objects.all()
    if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
        return Region.objects.filter(pk=user.region_id)
    if is_riep_adviser(user) and user.provider is not None:
        return Region.objects.filter(pk__in=user.provider.regions.values_list("pk", flat=True))
    return Region.objects.none()


def can_see_analysis(user: User) -> bool:
    return analysis_regions(user).exists()


def can_see_national(user: User) -> bool:
    return _signed_in(user) and (is_admin(user) or user.role == Role.NATIONAL)


def approved_only_for(user: User) -> bool:
    """GO staff and admins see every current plan; national analysts and RIEPs approved plans only."""
    return not (is_admin(user) or user.role in (Role.CSA, Role.GO_DIRECTOR))


def can_build_agenda(user: User, forum: RegionalForum) -> bool:
    """The forum agenda builder: admins and the forum region's GO staff."""
    if is_admin(user):
        return True
    return (
        _signed_in(user)
        and user.role in (Role.CSA, Role.GO_DIRECTOR)
        and user.region_id is not None
        and user.region_id == forum.region_id
    )


def periods(regions: Regions | None = None, approved_only: bool = False) -> list[str]:
    """Periods present in the plans (newest first), for the period selector."""
    qs = JISP.objects.all()
    if regions is not None:
        qs = qs.filter(authority__region__in=regions)
    if approved_only:
        qs = qs.filter(status__in=PUBLISHED)
    return list(qs.order_by("-period").values_list("period", flat=True).distinct())


# --- the current plans ------------------------------------------------------------------------------


def current_plans(period: str, regions: Regions | None = None, approved_only: bool = False) -> QuerySet[JISP]:
    """Queryset of the current plan of each authority for the period (used as a subquery)."""
    latest = JISP.objects.filter(authority=OuterRef("authority"), period=period)
    # With approved_only, the plan in force: the latest version ever approved (a superseded one while its
    # revision is still being agreed).
    latest = latest.filter(status__in=PUBLISHED) if approved_only else latest.exclude(status=JISP.Status.SUPERSEDED)
    qs = JISP.objects.filter(period=period, pk=Subquery(latest.order_by("-version").values("pk")[:1]))
    if regions is not None:
        qs = qs.filter(authority__region__in=regions)
    return qs


# --- tables -----------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    kind: str = "text"  # text | int | days | money | list | status

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "days", "money")


@dataclass
class Table:
    key: str
    title: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    empty: str = "None."
    chart: str = ""  # filled in by views (plans.charts)
    slugs: list[str] = field(default_factory=list)  # region_overview: each row's region

    def export_rows(self) -> list[list[object]]:
        """Rows for CSV/XLSX: numbers stay numbers, lists become "a; b; c"."""
        return [[export_value(v, c.kind) for v, c in zip(row, self.columns, strict=True)] for row in self.rows]

    def display_rows(self) -> list[list[tuple[str, bool]]]:
        return [
            [(format_value(v, c.kind), c.numeric) for v, c in zip(row, self.columns, strict=True)] for row in self.rows
        ]

    def column_index(self, header: str) -> int:
        return [c.header for c in self.columns].index(header)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_value(value: Any, kind: str) -> object:
    """The same value on every database: days to 0.1, money to the penny, lists joined."""
    if value is None:
        return ""
    if kind == "days":
        return Decimal(value).quantize(Decimal("0.1"))
    if kind == "money":
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, list | tuple):
        value = "; ".join(value)
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        # Text typed by users must not run as a spreadsheet formula (CSV/formula injection).
        return "'" + value
    return value


def format_value(value: Any, kind: str) -> str:
    if value is None:
        return "–" if kind in ("days", "money") else ""
    if kind == "int":
        return f"{value:,}"
    if kind == "days":
        value = Decimal(value)
        return f"{int(value):,}" if value == value.to_integral() else f"{value:,.1f}"
    if kind == "money":
        value = Decimal(value)
        return f"£{int(value):,}" if value == value.to_integral() else f"£{value:,.2f}"
    if kind == "list":
        return ", ".join(value)
    return str(value)


def _names(rows: Iterable[dict[str, Any]], key_fields: list[str], name_field: str) -> dict[tuple[Any, ...], list[str]]:
    """{key: sorted names} from a ``values(...).distinct()`` listing."""
    grouped = defaultdict(set)
    for row in rows:
        key = tuple(row[f] for f in key_fields)
        if row[name_field]:
            grouped[key].add(row[name_field])
    return {k: sorted(v) for k, v in grouped.items()}


REGION = "jisp__authority__region__name"
AUTHORITY = "jisp__authority__name"


def _priority_counts(
    priorities: QuerySet[Priority], region_key: list[str], group: list[str]
) -> tuple[QuerySet[Any], dict[tuple[Any, ...], list[str]]]:
    """Authorities, priorities and needs per value of ``group`` (and region), most shared first, and the
    authorities' names for each (2 queries)."""
    counts = (
        priorities.values(*region_key, *group)
        .annotate(
            authorities=Count("jisp__authority", distinct=True),
            priority_count=Count("pk", distinct=True),
            need_count=Count("needs", distinct=True),
        )
        .order_by(*region_key, "-authorities", "-priority_count", "-need_count", group[0])
    )
    names = _names(priorities.values(*region_key, group[0], AUTHORITY).distinct(), [*region_key, group[0]], AUTHORITY)
    return counts, names


def _indicator_table(priorities: QuerySet[Priority], national: bool) -> Table:
    """Priorities and needs by National Indicator, with the authorities that share each."""
    region_key = [REGION] if national else []
    rows, names = _priority_counts(
        priorities, region_key, ["indicators__number", "indicators__title", "indicators__ecm_outcome"]
    )
    table = Table(
        "indicators",
        "Priorities and needs by National Indicator",
        "Priorities and needs by National Indicator, with the authorities that share each",
        [
            *([Column("Region")] if national else []),
            Column("National Indicator"),
            Column("Every Child Matters outcome"),
            Column("Authorities", "int"),
            Column("Priorities", "int"),
            Column("Needs", "int"),
            Column("Authority names", "list"),
        ],
        empty="No priorities in the plans for this period.",
    )
    for row in rows:
        region = [row[REGION]] if national else []
        number = row["indicators__number"]
        label = f"NI {number} {row['indicators__title']}" if number else "Not linked to a National Indicator"
        table.rows.append(
            [
                *region,
                label,
                row["indicators__ecm_outcome"] or "",
                row["authorities"],
                row["priority_count"],
                row["need_count"],
                names.get((*region, number), []),
            ]
        )
    return table


def _outcome_table(priorities: QuerySet[Priority], national: bool) -> Table:
    """Priorities and needs by Every Child Matters outcome, with the authorities that share each."""
    region_key = [REGION] if national else []
    rows, names = _priority_counts(priorities, region_key, ["indicators__ecm_outcome"])
    table = Table(
        "outcomes",
        "Priorities and needs by Every Child Matters outcome",
        "Priorities and needs by Every Child Matters outcome, with the authorities that share each",
        [
            *([Column("Region")] if national else []),
            Column("Every Child Matters outcome"),
            Column("Authorities", "int"),
            Column("Priorities", "int"),
            Column("Needs", "int"),
            Column("Authority names", "list"),
        ],
        empty="No priorities in the plans for this period.",
    )
    for row in rows:
        region = [row[REGION]] if national else []
        outcome = row["indicators__ecm_outcome"]
        table.rows.append(
            [
                *region,
                outcome or "Not linked to a National Indicator",
                row["authorities"],
                row["priority_count"],
                row["need_count"],
                names.get((*region, outcome), []),
            ]
        )
    return table


def _indicator_tables(current: QuerySet[JISP], national: bool) -> tuple[Table, Table]:
    """Priorities and needs by National Indicator and by Every Child Matters outcome (4 queries)."""
    priorities = Priority.objects.filter(jisp__in=current)
    return _indicator_table(priorities, national), _outcome_table(priorities, national)


def _resource_tables(current: QuerySet[JISP], national: bool) -> tuple[Table, Table]:
    """Days and £ committed (accepted offers) per provider and per authority (2 queries)."""
    accepted = Offer.objects.filter(priority__jisp__in=current, status=Offer.Status.ACCEPTED)
    region_key = ["priority__jisp__authority__region__name"] if national else []
    lead = [Column("Region")] if national else []

    per_provider = (
        accepted.values(*region_key, "provider__name")
        .annotate(
            days=Sum("days"),
            funding=Sum("funding"),
            offers=Count("pk"),
            authorities=Count("priority__jisp__authority", distinct=True),
        )
        .order_by(*region_key, F("days").desc(nulls_last=True), "provider__name")
    )
    per_authority = (
        accepted.values(*region_key, "priority__jisp__authority__name")
        .annotate(
            days=Sum("days"),
            funding=Sum("funding"),
            offers=Count("pk"),
            providers=Count("provider", distinct=True),
        )
        .order_by(*region_key, "priority__jisp__authority__name")
    )
    providers = Table(
        "providers",
        "Days and funding committed per provider",
        "Days and funding committed per provider (accepted offers)",
        [
            *lead,
            Column("Provider"),
            Column("Days", "days"),
            Column("Funding (£)", "money"),
            Column("Accepted offers", "int"),
            Column("Authorities", "int"),
        ],
        empty="No accepted offers in the plans for this period.",
    )
    for row in per_provider:
        region = [row[region_key[0]]] if national else []
        providers.rows.append(
            [*region, row["provider__name"], row["days"], row["funding"], row["offers"], row["authorities"]]
        )
    authorities = Table(
        "authorities",
        "Days and funding committed per authority",
        "Days and funding committed per authority (accepted offers)",
        [
            *lead,
            Column("Authority"),
            Column("Days", "days"),
            Column("Funding (£)", "money"),
            Column("Accepted offers", "int"),
            Column("Providers", "int"),
        ],
        empty="No accepted offers in the plans for this period.",
    )
    for row in per_authority:
        region = [row[region_key[0]]] if national else []
        authorities.rows.append(
            [
                *region,
                row["priority__jisp__authority__name"],
                row["days"],
                row["funding"],
                row["offers"],
                row["providers"],
            ]
        )
    return providers, authorities


def _workforce_table(current: QuerySet[JISP], national: bool) -> Table:
    """Workforce-development priorities: marked as such, or with needs from the workforce tool (1 query)."""
    rows = (
        Priority.objects.filter(jisp__in=current)
        .filter(
            Q(is_workforce=True) | Q(Exists(Need.objects.filter(priority=OuterRef("pk"), from_workforce_tool=True)))
        )
        .values(REGION, AUTHORITY, "pk", "title", "is_workforce")
        .annotate(need_count=Count("needs", distinct=True))
        .annotate(
            tool_needs=Count("needs", filter=Q(needs__from_workforce_tool=True), distinct=True),
        )
        .order_by(REGION, AUTHORITY, "pk")
    )
    lead = [Column("Region")] if national else []
    table = Table(
        "workforce",
        "Workforce-development priorities",
        "Workforce-development priorities and needs from the One Children's Workforce Tool",
        [
            *lead,
            Column("Authority"),
            Column("Priority"),
            Column("Workforce priority"),
            Column("Needs", "int"),
            Column("Needs from the workforce tool", "int"),
        ],
        empty="No workforce-development priorities in the plans for this period.",
    )
    for row in rows:
        region = [row[REGION]] if national else []
        table.rows.append(
            [
                *region,
                row[AUTHORITY],
                row["title"],
                "Yes" if row["is_workforce"] else "No",
                row["need_count"],
                row["tool_needs"],
            ]
        )
    return table


def _without_approved_table(period: str, regions: Regions, approved_only: bool, national: bool) -> Table:
    """Authorities of the region(s) with no approved plan for the period (1 query). An authority whose
    approved plan is being revised (superseded by a draft revision) still has its approved plan."""
    approved = JISP.objects.filter(
        authority=OuterRef("pk"), period=period, status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED]
    )
    latest = (
        JISP.objects.filter(authority=OuterRef("pk"), period=period)
        .exclude(status=JISP.Status.SUPERSEDED)
        .order_by("-version")
    )
    qs = (
        LocalAuthority.objects.filter(region__in=regions)
        .annotate(has_approved=Exists(approved), latest_status=Subquery(latest.values("status")[:1]))
        .filter(has_approved=False)
        .values("region__name", "name", "latest_status")
        .order_by("region__name", "name")
    )
    labels = dict(JISP.Status.choices)
    lead = [Column("Region")] if national else []
    columns = [*lead, Column("Authority")]
    if not approved_only:
        columns.append(Column("Current plan", "status"))
    table = Table(
        "without_approved",
        "Authorities without an approved plan",
        f"Authorities without an approved plan for {period}",
        columns,
        empty="Every authority has an approved plan for this period.",
    )
    for row in qs:
        values = [row["region__name"]] if national else []
        values.append(row["name"])
        if not approved_only:
            values.append(labels.get(row["latest_status"], "No plan"))
        table.rows.append(values)
    return table


def _good_practice_table(current: QuerySet[JISP], national: bool) -> Table:
    """Good-practice areas to share: area → the authorities that do it well (2 queries)."""
    practice = GoodPractice.objects.filter(jisp__in=current).annotate(key=Lower(Trim("area")))
    region_key = [REGION] if national else []
    areas = (
        practice.values(*region_key, "key")
        .annotate(label=Min(Trim("area")), authorities=Count("jisp__authority", distinct=True))
        .order_by(*region_key, "-authorities", "key")
    )
    names = _names(practice.values(*region_key, "key", AUTHORITY).distinct(), [*region_key, "key"], AUTHORITY)
    lead = [Column("Region")] if national else []
    table = Table(
        "good_practice",
        "Good practice to share",
        "Good-practice areas to share between authorities",
        [*lead, Column("Area"), Column("Authorities", "int"), Column("Authority names", "list")],
        empty="No good practice recorded in the plans for this period.",
    )
    for row in areas:
        region = [row[REGION]] if national else []
        table.rows.append([*region, row["label"], row["authorities"], names.get((*region, row["key"]), [])])
    return table


def _offer_status_table(current: QuerySet[JISP], national: bool) -> Table:
    """Offers by status, every status listed (1 query)."""
    region_key = ["priority__jisp__authority__region__name"] if national else []
    counts = (
        Offer.objects.filter(priority__jisp__in=current)
        .values(*region_key, "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {(*([r[region_key[0]]] if national else []), r["status"]): r["n"] for r in counts}
    lead = [Column("Region")] if national else []
    table = Table(
        "offer_statuses",
        "Offers by status",
        "Offers in the plans by status",
        [*lead, Column("Status"), Column("Offers", "int")],
        empty="No offers.",
    )
    region_names = sorted({k[0] for k in found}) if national else [None]
    for region in region_names:
        for value, label in Offer.Status.choices:
            key = (region, value) if national else (value,)
            table.rows.append([*([region] if national else []), label, found.get(key, 0)])
    return table


def _totals(current: QuerySet[JISP], period: str, regions: Regions) -> dict[str, Any]:
    """Headline numbers (2 queries)."""
    counts = JISP.objects.filter(pk__in=current.values("pk")).aggregate(
        plan_count=Count("pk", distinct=True),
        priority_count=Count("priorities", distinct=True),
        need_count=Count("priorities__needs", distinct=True),
    )
    totals = {"plans": counts["plan_count"], "priorities": counts["priority_count"], "needs": counts["need_count"]}
    offers = Offer.objects.filter(priority__jisp__in=current, status=Offer.Status.ACCEPTED).aggregate(
        days=Sum("days"), funding=Sum("funding")
    )
    authorities = LocalAuthority.objects.filter(region__in=regions).aggregate(
        authorities=Count("pk"),
        approved=Count(
            "pk",
            filter=Q(
                Exists(
                    JISP.objects.filter(
                        authority=OuterRef("pk"),
                        period=period,
                        status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED],
                    )
                )
            ),
        ),
    )
    result = {**totals, **offers, **authorities}
    result["days_display"] = format_value(result["days"] or 0, "days")
    result["funding_display"] = format_value(result["funding"] or 0, "money")
    return result


def analysis(period: str, regions: Regions | Region, *, approved_only: bool, national: bool = False) -> dict[str, Any]:
    """Every table of the analysis for the period across ``regions`` (a Region queryset or list).

    ``national`` adds a Region column and groups each table region by region. 14 queries, however many authorities and plans.
    """
    if isinstance(regions, Region):
        regions = [regions]
    current = current_plans(period, regions, approved_only)
    indicators, outcomes = _indicator_tables(current, national)
    providers, authorities = _resource_tables(current, national)
    tables = {
        "indicators": indicators,
        "outcomes": outcomes,
        "providers": providers,
        "authorities": authorities,
        "workforce": _workforce_table(current, national),
        "without_approved": _without_approved_table(period, regions, approved_only, national),
        "good_practice": _good_practice_table(current, national),
        "offer_statuses": _offer_status_table(current, national),
    }
    return {
        "period": period,
        "approved_only": approved_only,
        "note": APPROVED_ONLY_NOTE if approved_only else ALL_CURRENT_NOTE,
        "totals": _totals(current, period, regions),
        "tables": tables,
    }


def regional_analysis(region: Region, period: str, *, approved_only: bool = False) -> dict[str, Any]:
    return analysis(period, [region], approved_only=approved_only)


def national_view(period: str, *, approved_only: bool = True) -> dict[str, Any]:
    """The same tables across every region, region by region, plus one overview row per region."""
    result = analysis(period, Region.objects.all(), approved_only=approved_only, national=True)
    result["regions"] = region_overview(period, approved_only=approved_only)
    return result


def region_overview(period: str, *, approved_only: bool = True) -> Table:
    """One row per region: authorities, approved plans, current plans, priorities, days and £ (3 queries)."""
    current = current_plans(period, None, approved_only)
    authorities = Region.objects.annotate(
        authority_count=Count("authorities", distinct=True),
    ).values("pk", "name", "slug", "authority_count")
    approved = dict(
        JISP.objects.filter(period=period, status=JISP.Status.APPROVED)
        .values("authority__region")
        .annotate(n=Count("authority", distinct=True))
        .values_list("authority__region", "n")
    )
    plans: dict[int, Any] = {
        r["authority__region"]: r
        for r in JISP.objects.filter(pk__in=current.values("pk"))
        .values("authority__region")
        .annotate(
            plan_count=Count("pk", distinct=True),
            priority_count=Count("priorities", distinct=True),
            need_count=Count("priorities__needs", distinct=True),
        )
    }
    resources: dict[int, Any] = {
        r["priority__jisp__authority__region"]: r
        for r in Offer.objects.filter(priority__jisp__in=current, status=Offer.Status.ACCEPTED)
        .values("priority__jisp__authority__region")
        .annotate(days=Sum("days"), funding=Sum("funding"))
    }
    table = Table(
        "regions",
        "Regions",
        f"Plans, priorities, needs and resources by region, {period}",
        [
            Column("Region"),
            Column("Authorities", "int"),
            Column("Approved plans", "int"),
            Column("Plans counted", "int"),
            Column("Priorities", "int"),
            Column("Needs", "int"),
            Column("Days committed", "days"),
            Column("Funding committed (£)", "money"),
        ],
        empty="No regions.",
    )
    slugs = []
    for row in authorities.order_by("name"):
        p: dict[str, Any] = plans.get(row["pk"], {})
        r: dict[str, Any] = resources.get(row["pk"], {})
        table.rows.append(
            [
                row["name"],
                row["authority_count"],
                approved.get(row["pk"], 0),
                p.get("plan_count", 0),
                p.get("priority_count", 0),
                p.get("need_count", 0),
                r.get("days"),
                r.get("funding"),
            ]
        )
        slugs.append(row["slug"])
    table.slugs = slugs
    return table


# --- the forum page ---------------------------------------------------------------------------------


def top_shared(region: Region, period: str, *, approved_only: bool = False, limit: int = 5) -> list[dict[str, Any]]:
    """The National Indicators most shared between the region's current plans (2 queries):
    [{"number", "title", "ecm_outcome", "authorities": n, "names": [...]}], most shared first."""
    current = current_plans(period, [region], approved_only)
    priorities = Priority.objects.filter(jisp__in=current, indicators__isnull=False)
    top = list(
        priorities.values("indicators__number", "indicators__title", "indicators__ecm_outcome")
        .annotate(
            authorities=Count("jisp__authority", distinct=True),
            priority_count=Count("pk", distinct=True),
            need_count=Count("needs", distinct=True),
        )
        .order_by("-authorities", "-priority_count", "-need_count", "indicators__number")[:limit]
    )
    numbers = [row["indicators__number"] for row in top]
    names = _names(
        priorities.filter(indicators__number__in=numbers).values("indicators__number", AUTHORITY).distinct(),
        ["indicators__number"],
        AUTHORITY,
    )
    return [
        {
            "number": row["indicators__number"],
            "title": row["indicators__title"],
            "ecm_outcome": row["indicators__ecm_outcome"],
            "authorities": row["authorities"],
            "priorities": row["priority_count"],
            "names": names.get((row["indicators__number"],), []),
        }
        for row in top
    ]


def regional_summary(region: Region, period: str, *, approved_only: bool = False, limit: int = 5) -> dict[str, Any]:
    """The forum page's summary: headline counts and the top shared indicators and outcomes."""
    current = current_plans(period, [region], approved_only)
    outcomes = list(
        Priority.objects.filter(jisp__in=current, indicators__isnull=False)
        .values("indicators__ecm_outcome")
        .annotate(authorities=Count("jisp__authority", distinct=True))
        .order_by("-authorities", "indicators__ecm_outcome")
    )
    return {
        "region": region,
        "period": period,
        "approved_only": approved_only,
        "note": APPROVED_ONLY_NOTE if approved_only else ALL_CURRENT_NOTE,
        "totals": _totals(current, period, [region]),
        "top_indicators": top_shared(region, period, approved_only=approved_only, limit=limit),
        "top_outcomes": [
            {"outcome": row["indicators__ecm_outcome"], "authorities": row["authorities"]} for row in outcomes
        ],
    }


def summary_for_forum(user: User, forum: RegionalForum, period: str | None = None) -> dict[str, Any] | None:
    """What the forum page shows of the analysis, or None when the user may not see the region's
    analysis (or there are no plans). ``period`` defaults to the latest with plans."""
    if not analysis_regions(user).filter(pk=forum.region_id).exists():
        return None
    approved_only = approved_only_for(user)
    if period is None:
        found = periods([forum.region_id], approved_only)
        if not found:
            return None
        period = found[0]
    summary = regional_summary(forum.region, period, approved_only=approved_only)
    summary["can_build_agenda"] = can_build_agenda(user, forum)
    return summary


def agenda_text(
    region: Region,
    period: str,
    *,
    approved_only: bool = False,
    limit: int = 5,
    top: list[dict[str, Any]] | None = None,
) -> str:
    """The opening agenda of a forum meeting from the region's top shared priorities
    (``top``: an already-fetched ``top_shared`` list)."""
    lines = [f"Regional analysis of JISP priorities, {period}"]
    if top is None:
        top = top_shared(region, period, approved_only=approved_only, limit=limit)
    for i, row in enumerate(top, start=1):
        count = row["authorities"]
        word = "authority" if count == 1 else "authorities"
        lines.append(f"{i}. NI {row['number']} {row['title']} — shared by {count} {word}: {', '.join(row['names'])}")
    n = len(top) + 1
    lines.append(f"{n}. Provider clinics to organise around shared priorities")
    lines.append(f"{n + 1}. Good practice to share between authorities")
    lines.append(f"{n + 2}. Any other business")
    return "\n".join(lines)


def ecm_outcomes() -> list[str]:
    return [value for value, _ in NationalIndicator.Outcome.choices]


# --- the dashboard ----------------------------------------------------------------------------------


def panels(user: User) -> list[Panel]:
    """A "Regional priorities" panel for those who may see the analysis: the top shared National
    Indicators of their region (one region) or a link to the national view."""
    from core.panels import Panel

    regions = list(analysis_regions(user)[:2])
    if not regions:
        return []
    approved_only = approved_only_for(user)
    context: dict[str, Any]
    if can_see_national(user):
        found = periods(None, approved_only)
        context = {"period": found[0] if found else None, "national": True}
        return [Panel("Analysis of priorities and needs", "plans/dashboard/_analysis.html", context, order=80)]
    found = periods(regions, approved_only)
    context = {
        "period": found[0] if found else None,
        "national": False,
        "region": regions[0] if len(regions) == 1 else None,
    }
    if context["region"] and context["period"]:
        context["top"] = top_shared(context["region"], context["period"], approved_only=approved_only, limit=3)
    return [Panel("Regional priorities", "plans/dashboard/_analysis.html", context, order=80)]
