"""Object permissions for sector-led improvement (the ``rules`` package).

Who, not when: the services check the state (a draft, a shared self-assessment, findings sent).

- The authority's DCS and LA officers write its self-assessment; only its DCS shares it.
- A regional lead (``User.is_regional_lead`` on a DCS or an administrator) sets up and runs peer
  challenges of the other authorities of their region (an administrator without a region: every
  region); never of their own authority.
- The team (accepted members) and the regional leads write the findings.
- The authority's DCS and officers respond to the findings.
- The invited person answers their own invitation.
- The broker is the authority's lead CSA, who makes the support plan with the plans services (which
  need the lead CSA to start, fill and send a plan).
- Administrators record inspections and appoint regional leads (a regional administrator in their
  own region).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from accounts.models import Role
from accounts.rules import is_admin, is_authority_user, is_csa, is_dcs, is_signed_in

from .models import ALL_REGIONS, lead_region_scope

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import LocalAuthority

    from .models import PeerChallenge, PeerChallengeMember, SelfAssessment


def authority_of(obj: Any) -> LocalAuthority | None:
    """The LocalAuthority an improvement object is about."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "LocalAuthority":
        return obj
    if hasattr(obj, "peer_challenge") and obj.__class__.__name__ in ("PeerChallengeMember", "Finding"):
        return obj.peer_challenge.authority
    return getattr(obj, "authority", None)


@rules.predicate
def of_own_authority(user: User, obj: Any) -> bool:
    authority = authority_of(obj)
    return authority is not None and user.authority_id == authority.pk


@rules.predicate
def leads_region_of(user: User, obj: Any) -> bool:
    """A regional lead whose region holds the object's authority (never their own authority)."""
    authority = authority_of(obj)
    scope = lead_region_scope(user)
    if authority is None or scope is None or user.authority_id == authority.pk:
        return False
    return scope == ALL_REGIONS or scope == authority.region_id


@rules.predicate
def on_the_team(user: User, challenge: PeerChallenge | None) -> bool:
    from .models import PeerChallengeMember

    return (
        challenge is not None
        and PeerChallengeMember.objects.filter(
            peer_challenge=challenge, user=user, status=PeerChallengeMember.Status.ACCEPTED
        ).exists()
    )


@rules.predicate
def is_the_invitee(user: User, member: PeerChallengeMember | None) -> bool:
    return member is not None and member.user_id == user.pk


@rules.predicate
def is_lead_csa(user: User, obj: Any) -> bool:
    authority = authority_of(obj)
    return authority is not None and authority.csa_id == user.pk


@rules.predicate
def is_not_provider(user: User) -> bool:
    return user.role != Role.PROVIDER_ADVISER


@rules.predicate
def admin_of_user_region(user: User, other: User | None) -> bool:
    """A regional administrator appoints in their own region; a system administrator anywhere."""
    if other is None or user.region_id is None:
        return True
    region = other.authority.region_id if other.authority is not None else other.region_id
    return region == user.region_id


@rules.predicate
def can_see_self_assessment(user: User, self_assessment: SelfAssessment | None) -> bool:
    from .models import SelfAssessment

    return (
        self_assessment is not None and SelfAssessment.objects.visible_to(user).filter(pk=self_assessment.pk).exists()
    )


@rules.predicate
def can_see_challenge(user: User, challenge: PeerChallenge | None) -> bool:
    from .models import PeerChallenge

    return challenge is not None and PeerChallenge.objects.visible_to(user).filter(pk=challenge.pk).exists()


authority_team = is_authority_user & of_own_authority
regional_lead = is_signed_in & leads_region_of

rules.add_perm("improvement.view_selfassessment", can_see_self_assessment)
rules.add_perm("improvement.add_selfassessment", authority_team)  # obj: the LocalAuthority
rules.add_perm("improvement.change_selfassessment", authority_team)
rules.add_perm("improvement.share_selfassessment", is_dcs & of_own_authority)

rules.add_perm("improvement.view_peerchallenge", can_see_challenge)
rules.add_perm("improvement.add_peerchallenge", regional_lead)  # obj: the SelfAssessment
rules.add_perm("improvement.manage_peerchallenge", regional_lead)  # team, findings sent, letter, cancel
rules.add_perm("improvement.write_finding", regional_lead | (is_signed_in & on_the_team))
rules.add_perm("improvement.respond_peerchallenge", authority_team)
rules.add_perm("improvement.answer_invitation", is_signed_in & is_the_invitee)  # obj: the member

rules.add_perm("improvement.view_ledger", is_signed_in & is_not_provider)
rules.add_perm("improvement.add_brokerage", is_csa & is_lead_csa)  # obj: the LocalAuthority
rules.add_perm("improvement.record_inspection", is_admin)
rules.add_perm("improvement.appoint_regional_lead", is_admin & admin_of_user_region)  # obj: the user
