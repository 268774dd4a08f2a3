"""Reads of plans that views, exports and other apps share (docs/architecture.md, One job per module), one module per part:
``drafting`` (plan lists, the Annex 2 page), ``offers``, ``workflow``, ``analysis`` and ``delivery``.

``dashboard_panels(user)`` gathers each module's ``panels(user)`` for the role dashboard, and
``digest_items(users, today)`` each module's ``digest_items`` for the daily digest (``core.digest``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from django.db.models import QuerySet

    from accounts.models import User
    from authorities.models import LocalAuthority, RegionalForum
    from core.digest import DigestItem
    from core.panels import Panel
    from plans.models import JISP

PARTS = ("drafting", "offers", "workflow", "analysis", "delivery", "changes")


def dashboard_panels(user: User) -> list[Panel]:
    panels: list[Panel] = []
    for part in PARTS:
        module = import_module(f"{__name__}.{part}")
        source = getattr(module, "panels", None)
        if source:
            panels.extend(source(user))
    return panels


def digest_items(users: Mapping[int, User], today: date) -> list[DigestItem]:
    """The daily digest's items (``core.digest``): each part's ``digest_items(users, today)``."""
    items: list[DigestItem] = []
    for part in PARTS:
        source = getattr(import_module(f"{__name__}.{part}"), "digest_items", None)
        if source:
            items.extend(source(users, today))
    return items


def provider_has_part_in(provider_id: int | None, authority_id: int) -> bool:
    """Whether a provider has an open or accepted offer in any current plan of the authority
    (its right to organise or attend the authority's meetings)."""
    from plans.models import JISP, Offer

    return (
        provider_id is not None
        and Offer.objects.filter(
            provider_id=provider_id,
            priority__jisp__authority_id=authority_id,
            status__in=[Offer.Status.INVITED, Offer.Status.SUBMITTED, Offer.Status.CHALLENGED, Offer.Status.ACCEPTED],
        )
        .exclude(priority__jisp__status=JISP.Status.SUPERSEDED)
        .exists()
    )


def plans_for_authority(user: User, authority: LocalAuthority) -> QuerySet[JISP]:
    """The authority's plans the user may see, newest period and version first."""
    from plans.models import JISP

    return (
        JISP.objects.visible_to(user).filter(authority=authority).select_related("csa").order_by("-period", "-version")
    )


def authority_panels(user: User, authority: LocalAuthority) -> list[Panel]:
    """The authority page's plans (``core.panels``)."""
    from core.panels import Panel

    return [
        Panel(
            title="Joint Improvement Support Plans",
            template="plans/panels/authority_plans.html",
            context={"authority": authority, "plans": list(plans_for_authority(user, authority))},
            order=10,
        )
    ]


def forum_panels(user: User, forum: RegionalForum) -> list[Panel]:
    """The forum page's summary of the region's analysis (``core.panels``)."""
    from core.panels import Panel

    from .analysis import summary_for_forum

    return [
        Panel(
            title="Regional priorities",
            template="plans/includes/forum_analysis.html",
            context={"forum": forum, "summary": summary_for_forum(user, forum)},
            order=10,
        )
    ]
