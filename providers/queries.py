"""Reads of providers and provision feedback shared by views and the dashboard."""

from typing import Any

from django.db.models import Avg, Count, Prefetch, QuerySet

from accounts.models import Role, User
from authorities.models import Region
from core.panels import Panel

from .models import Provider, ProvisionFeedback


def provider_list(user: User) -> QuerySet[Provider]:
    return Provider.objects.visible_to(user).prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name"))
    )


def provider_detail(user: User) -> QuerySet[Provider]:
    return Provider.objects.visible_to(user).prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name")),
        Prefetch("advisers", queryset=User.objects.filter(is_active=True).order_by("full_name")),
    )


def feedback_for(user: User, provider: Provider | None = None) -> QuerySet[ProvisionFeedback]:
    """Feedback rows the user may see, newest first, with what the pages show."""
    queryset = ProvisionFeedback.objects.visible_to(user).select_related(
        "provider", "authority", "authority__region", "given_by"
    )
    if provider is not None:
        queryset = queryset.filter(provider=provider)
    return queryset


def feedback_summary(queryset: QuerySet[ProvisionFeedback]) -> dict[str, Any]:
    """{'average': Decimal-ish or None, 'count': int} over the feedback the user may see."""
    return queryset.order_by().aggregate(average=Avg("rating"), count=Count("pk"))


def dashboard_panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated) or user.role != Role.PROVIDER_ADVISER:
        return []
    provider = Provider.objects.filter(pk=user.provider_id).first() if user.provider_id else None
    latest: list[ProvisionFeedback] = []
    summary: dict[str, Any] = {"average": None, "count": 0}
    if provider is not None:
        rows = feedback_for(user, provider)
        summary = feedback_summary(rows)
        latest = list(rows[:5])
    return [
        Panel(
            "Your provider",
            "providers/dashboard/_provider_card.html",
            {"provider": provider, "latest": latest, "summary": summary},
            order=55,
        )
    ]
