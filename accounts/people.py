"""People: who may invite and manage whom (DESIGN §2, §8).

- A system administrator (a superuser, or an administrator of no region): anyone, any role.
- A regional administrator: their region's GO staff and administrators, the users of its
  authorities, and the advisers of the providers serving it.
- A GO director: their region's CSAs and the DCSs and officers of its authorities.
- A CSA: the DCS and officers of the authorities they lead, and advisers of a provider they have
  invited to offer support (they invite; they do not manage accounts).

Nobody manages their own account here, and only a system administrator touches another system
administrator. The organisations are read through the User model's relations (accounts does not
import the apps above it); the providers a CSA invited come from ``core.hooks``.
"""

from django.db.models import Q

from core import hooks

from .models import ORGANISATION_OF_ROLE, Invitation, Role, User

REGION = User._meta.get_field("region").related_model
AUTHORITY = User._meta.get_field("authority").related_model
PROVIDER = User._meta.get_field("provider").related_model

ALL_ROLES = list(Role)
REGIONAL_ADMIN_ROLES = [Role.CSA, Role.GO_DIRECTOR, Role.DCS, Role.LA_OFFICER, Role.PROVIDER_ADVISER, Role.ADMIN]
GO_DIRECTOR_ROLES = [Role.CSA, Role.DCS, Role.LA_OFFICER]
CSA_ROLES = [Role.DCS, Role.LA_OFFICER, Role.PROVIDER_ADVISER]


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_system_admin(user):
    return _active(user) and user.is_system_admin


def is_regional_admin(user):
    return _active(user) and user.role == Role.ADMIN and not user.is_system_admin


def invitable_roles(actor):
    """The roles ``actor`` may give, in the order of ``Role``."""
    if is_system_admin(actor):
        return ALL_ROLES
    if is_regional_admin(actor):
        return REGIONAL_ADMIN_ROLES
    if _active(actor) and actor.role == Role.GO_DIRECTOR and actor.region_id:
        return GO_DIRECTOR_ROLES
    if _active(actor) and actor.role == Role.CSA and actor.region_id:
        return CSA_ROLES
    return []


def may_invite(actor):
    return bool(invitable_roles(actor))


def may_manage_people(actor):
    """Administrators and GO directors have the People pages."""
    return (
        is_system_admin(actor)
        or is_regional_admin(actor)
        or (_active(actor) and actor.role == Role.GO_DIRECTOR and actor.region_id is not None)
    )


def providers_invited_by(actor):
    found = set()
    for answer in hooks.call("providers_invited_by", user=actor):
        found |= set(answer)
    return found


# --- the organisations an actor may give -----------------------------------------------------------


def regions_for(actor):
    if is_system_admin(actor):
        return REGION.objects.all()
    if is_regional_admin(actor) or (_active(actor) and actor.role == Role.GO_DIRECTOR):
        return REGION.objects.filter(pk=actor.region_id)
    return REGION.objects.none()


def authorities_for(actor):
    if is_system_admin(actor):
        return AUTHORITY.objects.select_related("region")
    if not _active(actor):
        return AUTHORITY.objects.none()
    if actor.role in (Role.ADMIN, Role.GO_DIRECTOR) and actor.region_id:
        return AUTHORITY.objects.filter(region_id=actor.region_id).select_related("region")
    if actor.role == Role.CSA and actor.region_id:
        return AUTHORITY.objects.filter(csa=actor, region_id=actor.region_id).select_related("region")
    return AUTHORITY.objects.none()


def providers_for(actor):
    if is_system_admin(actor):
        return PROVIDER.objects.all()
    if is_regional_admin(actor):
        return PROVIDER.objects.filter(regions=actor.region_id)
    if _active(actor) and actor.role == Role.CSA and actor.region_id:
        return PROVIDER.objects.filter(pk__in=providers_invited_by(actor))
    return PROVIDER.objects.none()


def normalise(role, *, region=None, authority=None, provider=None):
    """The organisation fields a ``role`` keeps: only the one it needs (an authority's users also
    carry the authority's region; an administrator may have a region)."""
    field = ORGANISATION_OF_ROLE.get(role)
    if field == "region":
        return {"region": region, "authority": None, "provider": None}
    if field == "authority":
        return {"region": authority.region if authority else None, "authority": authority, "provider": None}
    if field == "provider":
        return {"region": None, "authority": None, "provider": provider}
    if role == Role.ADMIN:
        return {"region": region, "authority": None, "provider": None}
    return {"region": None, "authority": None, "provider": None}


def missing_organisation(role, organisation):
    """The name of the organisation the role needs and ``organisation`` lacks, or None."""
    field = ORGANISATION_OF_ROLE.get(role)
    if field and organisation.get(field) is None:
        return field
    return None


def may_assign(actor, role, *, region=None, authority=None, provider=None):
    """May ``actor`` give someone ``role`` in this organisation (already normalised)?"""
    if role not in invitable_roles(actor):
        return False
    if is_system_admin(actor):
        return True
    field = ORGANISATION_OF_ROLE.get(role)
    if role == Role.ADMIN:
        return region is not None and region.pk == actor.region_id  # a regional admin: their region only
    if field == "region":
        return region is not None and regions_for(actor).filter(pk=region.pk).exists()
    if field == "authority":
        return authority is not None and authorities_for(actor).filter(pk=authority.pk).exists()
    if field == "provider":
        return provider is not None and providers_for(actor).filter(pk=provider.pk).exists()
    return False


# --- the people an actor manages ------------------------------------------------------------------


def _regional_people(region_id):
    serving = PROVIDER.objects.filter(regions=region_id).values("pk")
    return (
        Q(role__in=[Role.CSA, Role.GO_DIRECTOR, Role.ADMIN], region_id=region_id, is_superuser=False)
        | Q(role__in=[Role.DCS, Role.LA_OFFICER], authority__region_id=region_id)
        | Q(role=Role.PROVIDER_ADVISER, provider_id__in=serving)
    )


def manageable_users(actor):
    """The accounts ``actor`` sees on the People pages and may change (never their own)."""
    users = User.objects.exclude(pk=getattr(actor, "pk", None))
    if is_system_admin(actor):
        return users
    if is_regional_admin(actor):
        return users.filter(_regional_people(actor.region_id))
    if _active(actor) and actor.role == Role.GO_DIRECTOR and actor.region_id:
        return users.filter(
            Q(role=Role.CSA, region_id=actor.region_id)
            | Q(role__in=[Role.DCS, Role.LA_OFFICER], authority__region_id=actor.region_id)
        )
    return users.none()


def may_manage(actor, user):
    return user is not None and manageable_users(actor).filter(pk=user.pk).exists()


def visible_invitations(actor):
    """The invitations ``actor`` sees (and may send again or cancel)."""
    invitations = Invitation.objects.all()
    if is_system_admin(actor):
        return invitations
    if not _active(actor):
        return invitations.none()
    if is_regional_admin(actor):
        region_id = actor.region_id
        serving = PROVIDER.objects.filter(regions=region_id).values("pk")
        return invitations.filter(
            Q(role__in=[Role.CSA, Role.GO_DIRECTOR, Role.ADMIN], region_id=region_id)
            | Q(authority__region_id=region_id)
            | Q(provider_id__in=serving)
            | Q(invited_by=actor)
        )
    if actor.role == Role.GO_DIRECTOR and actor.region_id:
        return invitations.filter(
            Q(role=Role.CSA, region_id=actor.region_id) | Q(authority__region_id=actor.region_id) | Q(invited_by=actor)
        )
    if actor.role == Role.CSA and actor.region_id:
        return invitations.filter(Q(invited_by=actor) | Q(authority__csa=actor))
    return invitations.none()


def may_decide_access(actor, provider):
    """A CSA who invited the provider, or an administrator of a region it serves (any, for a system
    administrator), decides its access requests."""
    return may_assign(actor, Role.PROVIDER_ADVISER, provider=provider) and (
        is_system_admin(actor) or is_regional_admin(actor) or actor.role == Role.CSA
    )


def may_decide_access_requests(actor):
    """Has the Access requests page: administrators, and CSAs (of a region)."""
    return (
        is_system_admin(actor)
        or is_regional_admin(actor)
        or (_active(actor) and actor.role == Role.CSA and actor.region_id is not None)
    )


def visible_access_requests(actor):
    from .models import AccessRequest

    requests = AccessRequest.objects.select_related("provider", "decided_by", "invitation")
    if is_system_admin(actor):
        return requests
    if may_decide_access_requests(actor):
        return requests.filter(provider__in=providers_for(actor))
    return requests.none()
