"""People: who may invite and manage whom (docs/architecture.md, Permissions and People).

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

from typing import Any

from django.db.models import Q, QuerySet

from core import hooks

from .models import ORGANISATION_OF_ROLE, Invitation, Role, User

REGION: Any = User._meta.get_field("region").related_model
AUTHORITY: Any = User._meta.get_field("authority").related_model
PROVIDER: Any = User._meta.get_field("provider").related_model

ALL_ROLES: list[Role] = list(Role)
REGIONAL_ADMIN_ROLES = [Role.CSA, Role.GO_DIRECTOR, Role.DCS, Role.LA_OFFICER, Role.PROVIDER_ADVISER, Role.ADMIN]
GO_DIRECTOR_ROLES = [Role.CSA, Role.DCS, Role.LA_OFFICER]
CSA_ROLES = [Role.DCS, Role.LA_OFFICER, Role.PROVIDER_ADVISER]

#: Whoever is asking: the request's user (possibly not signed in, or None). Every check starts with
#: ``_active``, so the functions take any of them.
Actor = Any


def _active(user: Actor) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_system_admin(user: Actor) -> bool:
    return _active(user) and user.is_system_admin


def is_regional_admin(user: Actor) -> bool:
    return _active(user) and user.role == Role.ADMIN and not user.is_system_admin


def invitable_roles(actor: Actor) -> list[Role]:
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


def may_invite(actor: Actor) -> bool:
    return bool(invitable_roles(actor))


def may_manage_people(actor: Actor) -> bool:
    """Administrators and GO directors have the People pages."""
    return (
        is_system_admin(actor)
        or is_regional_admin(actor)
        or (_active(actor) and actor.role == Role.GO_DIRECTOR and actor.region_id is not None)
    )


def providers_invited_by(actor: Actor) -> set[int]:
    found = set()
    for answer in hooks.call("providers_invited_by", user=actor):
        found |= set(answer)
    return found


# --- the organisations an actor may give -----------------------------------------------------------


def regions_for(actor: Actor) -> QuerySet[Any]:
    if is_system_admin(actor):
        return REGION.objects.all()
    if is_regional_admin(actor) or (_active(actor) and actor.role == Role.GO_DIRECTOR):
        return REGION.objects.filter(pk=actor.region_id)
    return REGION.objects.none()


def authorities_for(actor: Actor) -> QuerySet[Any]:
    if is_system_admin(actor):
        return AUTHORITY.objects.select_related("region")
    if not _active(actor):
        return AUTHORITY.objects.none()
    if actor.role in (Role.ADMIN, Role.GO_DIRECTOR) and actor.region_id:
        return AUTHORITY.objects.filter(region_id=actor.region_id).select_related("region")
    if actor.role == Role.CSA and actor.region_id:
        return AUTHORITY.objects.filter(csa=actor, region_id=actor.region_id).select_related("region")
    return AUTHORITY.objects.none()


def providers_for(actor: Actor) -> QuerySet[Any]:
    if is_system_admin(actor):
        return PROVIDER.objects.all()
    if is_regional_admin(actor):
        return PROVIDER.objects.filter(regions=actor.region_id)
    if _active(actor) and actor.role == Role.CSA and actor.region_id:
        return PROVIDER.objects.filter(pk__in=providers_invited_by(actor))
    return PROVIDER.objects.none()


def normalise(role: str, *, region: Any = None, authority: Any = None, provider: Any = None) -> dict[str, Any]:
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


def missing_organisation(role: str, organisation: dict[str, Any]) -> str | None:
    """The name of the organisation the role needs and ``organisation`` lacks, or None."""
    field = ORGANISATION_OF_ROLE.get(role)
    if field and organisation.get(field) is None:
        return field
    return None


def may_assign(actor: Actor, role: str, *, region: Any = None, authority: Any = None, provider: Any = None) -> bool:
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


def _regional_people(region_id: int | None) -> Q:
    serving = PROVIDER.objects.filter(regions=region_id).values("pk")
    return (
        Q(role__in=[Role.CSA, Role.GO_DIRECTOR, Role.ADMIN], region_id=region_id, is_superuser=False)
        | Q(role__in=[Role.DCS, Role.LA_OFFICER], authority__region_id=region_id)
        | Q(role=Role.PROVIDER_ADVISER, provider_id__in=serving)
    )


def manageable_users(actor: Actor) -> QuerySet[User]:
    """The accounts ``actor`` sees on the People pages and may change (never their own)."""
    users = User.objects.exclude(pk__in=[actor.pk] if getattr(actor, "pk", None) else [])
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


def may_manage(actor: Actor, user: User | None) -> bool:
    return user is not None and manageable_users(actor).filter(pk=user.pk).exists()


def visible_invitations(actor: Actor) -> QuerySet[Invitation]:
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


def may_decide_access(actor: Actor, provider: Any) -> bool:
    """A CSA who invited the provider, or an administrator of a region it serves (any, for a system
    administrator), decides its access requests."""
    return may_assign(actor, Role.PROVIDER_ADVISER, provider=provider) and (
        is_system_admin(actor) or is_regional_admin(actor) or actor.role == Role.CSA
    )


def may_decide_access_requests(actor: Actor) -> bool:
    """Has the Access requests page: administrators, and CSAs (of a region)."""
    return (
        is_system_admin(actor)
        or is_regional_admin(actor)
        or (_active(actor) and actor.role == Role.CSA and actor.region_id is not None)
    )


def visible_access_requests(actor: Actor) -> QuerySet[Any]:
    from .models import AccessRequest

    requests = AccessRequest.objects.select_related("provider", "decided_by", "invitation")
    if is_system_admin(actor):
        return requests
    if may_decide_access_requests(actor):
        return requests.filter(provider__in=providers_for(actor))
    return requests.none()
