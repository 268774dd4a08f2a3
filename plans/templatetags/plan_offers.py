"""Template helpers for the offers on the Annex 2 page.

``{% priority_offer_actions priority jisp user as oa %}`` gives, for one priority row, the CSA's
"Invite providers" link and each offer the user may see with the actions they may take. It reads
only the prefetched ``priority.offers.all`` and the objects in hand: no query per row (the plan's
authority must be loaded once)."""

from django import template
from django.urls import reverse

from accounts.permissions import can
from meetings.working_days import london_date
from plans.queries.offers import is_overdue, offer_actions, offer_visible

register = template.Library()


def _prime(priority, jisp):
    """Point the priority (and each prefetched offer) at the plan already in hand, so the
    permission rules find the authority without a query."""
    if jisp is not None and priority.jisp_id == jisp.pk:
        priority._state.fields_cache["jisp"] = jisp
    offers = list(priority.offers.all())
    for offer in offers:
        offer._state.fields_cache["priority"] = priority
    return offers


@register.simple_tag
def priority_offer_actions(priority, jisp, user):
    offers = _prime(priority, jisp or priority.jisp)
    jisp = priority.jisp
    today = london_date()
    can_invite = jisp.is_editable and can(user, "plans.invite_offer", priority)
    rows = [
        {"offer": o, "actions": offer_actions(o, user), "overdue": is_overdue(o, today)}
        for o in offers
        if offer_visible(user, o)
    ]
    return {
        "invite_url": reverse("plans:invite", kwargs={"pk": priority.pk}) if can_invite else "",
        "rows": rows,
    }
