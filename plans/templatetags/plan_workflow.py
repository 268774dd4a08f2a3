"""Template helpers for the workflow includes on the Annex 2 page.

``{% plan_workflow jisp user as wf %}`` gives the workflow panel's context (actions, decisions, open
comments, PDF state, copies, versions); ``{{ jisp|plan_link }}`` is the plan's page."""

from django import template

from accounts.permissions import can
from plans.queries.workflow import panel_context, plan_actions
from plans.urls_cache import pk_reverse

register = template.Library()


@register.simple_tag
def plan_workflow(jisp, user):
    return panel_context(jisp, user)


@register.simple_tag
def plan_workflow_actions(jisp, user):
    """Only the buttons (for plan_actions.html): no reads beyond the permission checks."""
    return {"actions": plan_actions(jisp, user), "can_export": can(user, "plans.export_jisp", jisp)}


@register.filter
def plan_link(jisp):
    return jisp.get_absolute_url()


@register.filter
def offer_link(offer):
    return pk_reverse("plans:offer_detail", offer.pk)


@register.filter
def may_download(deployment_plan, user):
    """``{% if d|may_download:request.user %}``: the download link only for those the rule lets download."""
    return can(user, "plans.download_deployment_plan", deployment_plan)
