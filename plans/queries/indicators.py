"""The National Indicators an authority's current plan uses (other apps read them from here, e.g.
an authority's local profile in its self-assessment)."""

from __future__ import annotations

from authorities.models import LocalAuthority, NationalIndicator

from ..models import JISP


def current_plan(authority: LocalAuthority) -> JISP | None:
    """The plan in force: the authority's latest approved plan; without one, its latest plan that is
    not superseded (latest period, then version); or None."""
    plans = JISP.objects.filter(authority=authority).order_by("-period", "-version")
    return plans.filter(status=JISP.Status.APPROVED).first() or plans.exclude(status=JISP.Status.SUPERSEDED).first()


def plan_indicators(authority: LocalAuthority) -> tuple[JISP | None, list[NationalIndicator]]:
    """(plan, [NationalIndicator]) of the authority's current plan, by number; (None, []) without one."""
    plan = current_plan(authority)
    if plan is None:
        return None, []
    indicators = NationalIndicator.objects.filter(priorities__jisp=plan).distinct().order_by("number")
    return plan, list(indicators)
