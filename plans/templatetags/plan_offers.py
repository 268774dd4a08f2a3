"""Template helpers for the offers on the Annex 2 page.

``{% priority_invite_url priority jisp user as url %}`` gives the CSA's "Invite providers" link for a
priority row, and ``{% offer_row offer jisp user as row %}`` the actions the user may take on one
offer of the row and whether its answer is overdue. Both read only the objects in hand (the page
prefetches the priorities with their offers and the plan's authority): no query per row."""

from django import template

from accounts.permissions import can
from core.working_days import london_date
from plans.queries.offers import is_overdue, offer_actions
from plans.urls_cache import pk_reverse

register = template.Library()


def _prime(priority, jisp):
    """Point the priority at the plan already in hand, so the rules find the authority without a query."""
    if jisp is not None and priority.jisp_id == jisp.pk:
        priority._state.fields_cache["jisp"] = jisp
    return priority.jisp


@register.simple_tag
def priority_invite_url(priority, jisp, user):
    jisp = _prime(priority, jisp)
    if jisp.is_editable and can(user, "plans.invite_offer", priority):
        return pk_reverse("plans:invite", priority.pk)
    return ""


@register.simple_tag
def offer_row(offer, jisp, user):
    priority = offer.priority
    _prime(priority, jisp)
    return {"actions": offer_actions(offer, user), "overdue": is_overdue(offer, london_date())}
