"""Shared permission predicates (the ``rules`` package): role checks and organisation membership.

Each app's own ``rules.py`` combines these into object permissions and registers them with
``rules.add_perm``. Services and views ask ``accounts.permissions.can(user, perm, obj)``, which reads
the rules permission set directly, so a superuser flag never stands in for a role (an admin cannot
approve a plan as if they were its DCS).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import rules
from rules import Predicate

from .models import Role, in_scope

if TYPE_CHECKING:
    from accounts.models import User


# The organisations these predicates take live in higher apps (authorities, providers), so they are
# described by the fields the predicates read rather than imported.
class InRegion(Protocol):
    @property
    def region_id(self) -> int | None: ...


class Authority(InRegion, Protocol):
    @property
    def pk(self) -> int: ...
    @property
    def csa_id(self) -> int | None: ...
    @property
    def dcs_id(self) -> int | None: ...


class Organisation(Protocol):
    @property
    def pk(self) -> int: ...


def _role(*roles: Role) -> Predicate:
    @rules.predicate
    def has_role(user: User) -> bool:
        # Acting in a role needs the role's organisation: an account without it may do nothing.
        return in_scope(user) and user.role in roles

    has_role.__name__ = "is_" + "_or_".join(roles)
    return has_role


is_csa = _role(Role.CSA)
is_go_director = _role(Role.GO_DIRECTOR)
is_dcs = _role(Role.DCS)
is_la_officer = _role(Role.LA_OFFICER)
is_authority_user = _role(Role.DCS, Role.LA_OFFICER)
is_provider_adviser = _role(Role.PROVIDER_ADVISER)
is_national = _role(Role.NATIONAL)
is_go_staff = _role(Role.CSA, Role.GO_DIRECTOR)


@rules.predicate
def is_admin(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.role == Role.ADMIN or user.is_superuser))


@rules.predicate
def is_signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# --- membership of an authority (obj is a LocalAuthority) -----------------------------------------


@rules.predicate
def in_authority_region(user: User, authority: Authority | None) -> bool:
    return authority is not None and user.region_id is not None and user.region_id == authority.region_id


@rules.predicate
def is_own_authority(user: User, authority: Authority | None) -> bool:
    return authority is not None and user.authority_id is not None and user.authority_id == authority.pk


@rules.predicate
def is_lead_csa(user: User, authority: Authority | None) -> bool:
    return authority is not None and authority.csa_id == user.pk


@rules.predicate
def is_authority_dcs(user: User, authority: Authority | None) -> bool:
    return authority is not None and authority.dcs_id == user.pk


# --- membership of a region (obj is a Region) -----------------------------------------------------


@rules.predicate
def in_region(user: User, region: Organisation | None) -> bool:
    return region is not None and user.region_id is not None and user.region_id == region.pk


# --- membership of a provider (obj is a Provider) -------------------------------------------------


@rules.predicate
def is_own_provider(user: User, provider: Organisation | None) -> bool:
    return provider is not None and user.provider_id is not None and user.provider_id == provider.pk


region_staff_of_authority = is_go_staff & in_authority_region
region_admin = is_admin
