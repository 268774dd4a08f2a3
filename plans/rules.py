"""Object permissions for plans and offers (docs/architecture.md, Permissions).

Predicates take a JISP, Priority, Need or Offer and find its authority; views should fetch objects
with ``select_related`` on the path to the authority. Workflow state is checked by the services,
not here: these say who, not when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_admin, is_authority_user, is_csa, is_dcs, is_go_director, is_provider_adviser

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import LocalAuthority
    from plans.models import JISP, DeploymentPlan, Offer


def authority_of(obj: object) -> LocalAuthority | None:
    """The authority of a JISP, Priority, Need or Offer (or of anything with an authority or a jisp)."""
    from .models import JISP, Need, Offer, Priority

    if isinstance(obj, JISP):
        return obj.authority
    if isinstance(obj, Priority):
        return obj.jisp.authority
    if isinstance(obj, Need | Offer):
        return obj.priority.jisp.authority
    return getattr(obj, "authority", None) or getattr(getattr(obj, "jisp", None), "authority", None)


@rules.predicate
def leads_authority(user: User, obj: object) -> bool:
    """The user is the lead CSA of the object's authority (for creating: obj is the LocalAuthority)."""
    from authorities.models import LocalAuthority

    authority = obj if isinstance(obj, LocalAuthority) else authority_of(obj)
    return authority is not None and authority.csa_id == user.pk


@rules.predicate
def of_own_authority(user: User, obj: object) -> bool:
    authority = authority_of(obj)
    return authority is not None and user.authority_id == authority.pk


@rules.predicate
def is_plans_dcs(user: User, obj: object) -> bool:
    authority = authority_of(obj)
    return authority is not None and authority.dcs_id == user.pk


@rules.predicate
def offer_of_own_provider(user: User, offer: Offer | None) -> bool:
    return offer is not None and user.provider_id is not None and offer.provider_id == user.provider_id


@rules.predicate
def can_see_plan(user: User, jisp: JISP | None) -> bool:
    from .models import JISP

    return jisp is not None and JISP.objects.visible_to(user).filter(pk=jisp.pk).exists()


@rules.predicate
def in_plan_region(user: User, obj: object) -> bool:
    authority = authority_of(obj)
    return authority is not None and user.region_id is not None and user.region_id == authority.region_id


@rules.predicate
def administers_plan_region(user: User, obj: object) -> bool:
    """A system administrator (a superuser, or an administrator of no region) or an administrator of
    the plan's region."""
    authority = authority_of(obj)
    return user.region_id is None or (authority is not None and user.region_id == authority.region_id)


@rules.predicate
def plan_is_with_authority(user: User, obj: object) -> bool:
    """The plan has gone to the authority (with it, awaiting approval, approved or superseded)."""
    from .models import JISP

    jisp = obj if isinstance(obj, JISP) else getattr(obj, "jisp", None)
    return jisp is not None and jisp.status != JISP.Status.DRAFT


@rules.predicate
def deployment_plan_of_own_provider(user: User, plan: DeploymentPlan | None) -> bool:
    return plan is not None and user.provider_id is not None and plan.provider_id == user.provider_id


lead_csa = is_csa & leads_authority

#: Who may download a provider's deployment plan (obj: the DeploymentPlan; SECURITY.md, "Deployment
#: plans"): the plan's Government Office — its lead CSA, the region's GO director, an administrator of
#: the region or the whole service; the authority's DCS and officers once the plan is with them; the
#: provider's own advisers for their own plan. Never another provider, another CSA or an analyst.
may_download_deployment_plan = (
    lead_csa
    | (is_go_director & in_plan_region)
    | (is_admin & administers_plan_region)
    | (is_authority_user & of_own_authority & plan_is_with_authority)
    | (is_provider_adviser & deployment_plan_of_own_provider)
)

rules.add_perm("plans.view_jisp", can_see_plan)
rules.add_perm("plans.add_jisp", lead_csa)  # obj: the LocalAuthority
rules.add_perm("plans.change_jisp", lead_csa)  # priorities, needs, good practice, deployment plans
rules.add_perm("plans.propose_need", lead_csa | (is_authority_user & of_own_authority))
rules.add_perm("plans.comment_jisp", is_authority_user & of_own_authority)
rules.add_perm("plans.send_jisp", lead_csa)  # send to authority, return to draft, send for approval, revise
rules.add_perm("plans.decide_jisp", is_dcs & is_plans_dcs)  # approve or request changes
rules.add_perm("plans.download_deployment_plan", may_download_deployment_plan)
rules.add_perm("plans.export_jisp", lead_csa | (is_authority_user & of_own_authority) | is_admin)

rules.add_perm("plans.invite_offer", lead_csa)  # obj: the Priority
rules.add_perm("plans.write_offer", is_provider_adviser & offer_of_own_provider)
rules.add_perm("plans.decide_offer", lead_csa)  # challenge, accept
rules.add_perm("plans.withdraw_offer", lead_csa | (is_provider_adviser & offer_of_own_provider))

# Delivery of accepted offers on an approved plan (obj: the Offer): the provider reports progress on
# its own offers; the lead CSA and the authority's DCS and officers add an update or a comment.
rules.add_perm(
    "plans.report_delivery",
    lead_csa | (is_authority_user & of_own_authority) | (is_provider_adviser & offer_of_own_provider),
)
# Delivery reviews at a strategic engagement meeting (obj: the Offer): the authority's lead CSA.
rules.add_perm("plans.review_delivery", lead_csa)
# In-year change and the authority's voice (docs/architecture.md, In-year change).
authority_user_of_plan = is_authority_user & of_own_authority
rules.add_perm("plans.raise_change_request", authority_user_of_plan)  # obj: the approved JISP
rules.add_perm("plans.confirm_change_request", is_dcs & is_plans_dcs)  # obj: the ChangeRequest
rules.add_perm("plans.answer_change_request", lead_csa)  # start a revision or decline
rules.add_perm("plans.flag_offer", authority_user_of_plan)  # mark a submitted offer "not tailored"
rules.add_perm("plans.write_row_notes", lead_csa | authority_user_of_plan)  # obj: the Priority
rules.add_perm("plans.record_own_support", is_dcs & is_plans_dcs)  # obj: the JISP
rules.add_perm("plans.upload_offer_deployment_plan", lead_csa | (is_provider_adviser & offer_of_own_provider))
