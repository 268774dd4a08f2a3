"""Reads of authorities, indicators and forums shared by views and the dashboard."""

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from accounts.models import Role, User
from core.panels import Panel

from .models import LocalAuthority, NationalIndicator, Region, RegionalForum


def authority_list(user: User) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.visible_to(user).select_related("region", "csa", "dcs")


def authority_detail(user: User) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.visible_to(user).select_related("region", "csa", "dcs")


def indicator_list(user: User) -> QuerySet[NationalIndicator]:
    return NationalIndicator.objects.visible_to(user)


def forum_list(user: User) -> QuerySet[RegionalForum]:
    return (
        RegionalForum.objects.visible_to(user)
        .select_related("region", "chair")
        .annotate(member_count=Count("members", distinct=True), partner_count=Count("partners", distinct=True))
        .order_by("region__name", "name")
    )


def forum_detail(user: User) -> QuerySet[RegionalForum]:
    return (
        RegionalForum.objects.visible_to(user)
        .select_related("region", "chair")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=User.objects.select_related("authority", "provider", "region").order_by("full_name"),
            ),
            "partners",
        )
    )


def _status_counts(queryset: QuerySet[LocalAuthority]) -> tuple[list[tuple[str, str, int]], int]:
    """[(value, label, count)] for every support status, zeros included, and how many of the
    authorities have no lead CSA: one query."""
    rows = list(
        queryset.order_by()
        .values("support_status")
        .annotate(n=Count("pk"), without_csa=Count("pk", filter=Q(csa=None)))
    )
    counts = {row["support_status"]: row["n"] for row in rows}
    without_csa = sum(row["without_csa"] for row in rows)
    return [(value, label, counts.get(value, 0)) for value, label in LocalAuthority.SupportStatus.choices], without_csa


def _status_rows(counted: list[tuple[str, str, int]], base_query: str) -> list[dict[str, Any]]:
    list_url = reverse("authorities:list")
    return [
        {
            "value": value,
            "label": label,
            "count": count,
            "url": f"{list_url}?{base_query}&support_status={value}"
            if base_query
            else f"{list_url}?support_status={value}",
        }
        for value, label, count in counted
    ]


def _led_panel(user: User, list_url: str) -> Panel:
    counts, _ = _status_counts(LocalAuthority.objects.filter(csa=user))
    return Panel(
        "Authorities you lead",
        "authorities/dashboard/_support_status.html",
        {
            "rows": _status_rows(counts, f"csa={user.pk}"),
            "total": sum(r[2] for r in counts),
            "all_url": f"{list_url}?csa={user.pk}",
            "caption": "Authorities you lead by support status",
            "empty": "You are not the lead adviser for any authority yet. Your GO director assigns authorities.",
        },
        order=60,
    )


def _region_panel(user: User, list_url: str) -> Panel | None:
    region = user.region if user.region_id else None  # loaded with the signed-in user (accounts.backends)
    if region is None:
        return None
    counts, without_csa = _status_counts(LocalAuthority.objects.filter(region_id=region.pk))
    return Panel(
        f"Authorities in {region}",
        "authorities/dashboard/_support_status.html",
        {
            "rows": _status_rows(counts, f"region={region.pk}"),
            "total": sum(c for _, _, c in counts),
            "all_url": f"{list_url}?region={region.pk}",
            "caption": f"Authorities in {region} by support status",
            "empty": f"No authorities are recorded for {region}.",
            "without_csa": without_csa,
        },
        order=60,
    )


def _own_authority_panel(user: User, list_url: str) -> Panel:
    authorities = LocalAuthority.objects.select_related("region", "csa", "dcs")
    authority = authorities.filter(pk=user.authority_id).first() if user.authority_id else None
    return Panel("Your authority", "authorities/dashboard/_authority_card.html", {"authority": authority}, 60)


def _regions_panel(user: User, list_url: str) -> Panel:
    regions = Region.objects.annotate(
        total=Count("authorities"),
        performance_risk=Count("authorities", filter=Q(authorities__support_status="performance_risk")),
        intervention=Count("authorities", filter=Q(authorities__support_status="intervention")),
        improvement_notice=Count("authorities", filter=Q(authorities__support_status="improvement_notice")),
    ).order_by("name")
    return Panel(
        "Authorities by region",
        "authorities/dashboard/_regions.html",
        {"regions": list(regions), "list_url": list_url},
        60,
    )


def _forums_panel(user: User) -> Panel:
    regions = Region.objects.all()
    if user.region_id:
        regions = regions.filter(pk=user.region_id)
    regions = regions.prefetch_related(Prefetch("forums", queryset=RegionalForum.objects.order_by("name")))
    return Panel(
        "Regional forums",
        "authorities/dashboard/_forums.html",
        {"regions": list(regions), "users_url": reverse("admin:accounts_user_changelist")},
        65,
    )


# Each role's own panel on the dashboard (None when the role's user has nothing to show).
ROLE_PANELS: dict[str, Callable[[User, str], Panel | None]] = {
    Role.CSA: _led_panel,
    Role.GO_DIRECTOR: _region_panel,
    Role.DCS: _own_authority_panel,
    Role.LA_OFFICER: _own_authority_panel,
    Role.NATIONAL: _regions_panel,
}


def dashboard_panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated):
        return []
    panels = []
    role_panel = ROLE_PANELS.get(user.role)
    panel = role_panel(user, reverse("authorities:list")) if role_panel else None
    if panel is not None:
        panels.append(panel)
    if user.role == Role.ADMIN or user.is_superuser:
        panels.append(_forums_panel(user))
    return panels
