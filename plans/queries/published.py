"""Plan queries: published plans — the approved (and superseded) plans a user may see, with their rows
and accepted offers, for the read-only API and the open data export. A constant number of queries
however many plans and rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch

from ..models import JISP, Need, Offer, Priority
from .analysis import current_plans, periods

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User

PUBLISHED = (JISP.Status.APPROVED, JISP.Status.SUPERSEDED)


def _with_rows(plans: QuerySet[JISP]) -> QuerySet[JISP]:
    """Plans with their authority and region, priorities, needs, indicators and accepted offers."""
    offers = (
        Offer.objects.filter(status=Offer.Status.ACCEPTED)
        .select_related("provider", "need")
        .order_by("need__order", "need_id", "pk")
    )
    priorities = Priority.objects.order_by("order", "pk").prefetch_related(
        Prefetch("needs", queryset=Need.objects.order_by("order", "pk")),
        "indicators",
        Prefetch("offers", queryset=offers),
    )
    return plans.select_related("authority", "authority__region").prefetch_related(
        Prefetch("priorities", queryset=priorities)
    )


def published_plans(user: User) -> QuerySet[JISP]:
    """Every approved or superseded plan the user may open (``JISP.visible_to``), with its rows. Once a
    plan is approved its accepted offers are part of it for everyone who may see it (as on its page)."""
    return _with_rows(JISP.objects.visible_to(user).filter(status__in=PUBLISHED))


def plans_in_force() -> QuerySet[JISP]:
    """For publication: each authority's plan in force for each period (its latest approved version),
    with its rows, by period, region and authority."""
    ids: list[int] = []
    for period in periods(approved_only=True):
        ids.extend(current_plans(period, None, approved_only=True).values_list("pk", flat=True))
    return _with_rows(JISP.objects.filter(pk__in=ids)).order_by("period", "authority__region__name", "authority__name")
