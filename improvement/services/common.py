"""What the improvement services share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from accounts.models import Role, User
from core.errors import ServiceError

if TYPE_CHECKING:
    from authorities.models import LocalAuthority


def save(obj: Any, actor: User | None, reason: str | None = None, **kwargs: Any) -> None:
    """Save with the history user (and reason) set for django-simple-history."""
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save(**kwargs)


def clean_text(
    value: str | None, *, field: str, required_message: str | None = None, max_length: int | None = None
) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ServiceError(required_message, field=field)
    if max_length and len(value) > max_length:
        raise ServiceError(f"Enter no more than {max_length} characters", field=field)
    return value


def authority_people(authority: LocalAuthority) -> list[User]:
    """The authority's active DCS and LA officers, its DCS first."""
    people = list(
        User.objects.filter(authority=authority, is_active=True, role__in=[Role.DCS, Role.LA_OFFICER]).order_by(
            "role", "email"
        )
    )
    dcs = authority.dcs
    if dcs is not None and dcs.is_active and dcs not in people:
        people.insert(0, dcs)
    people.sort(key=lambda u: (u.role != Role.DCS, u.email))
    return people


def regional_leads(authority: LocalAuthority) -> list[User]:
    """The active regional leads who may run a peer challenge of ``authority``: DCSs of the other
    authorities of its region and administrators of its region (or of none)."""
    return list(
        User.objects.filter(is_active=True, is_regional_lead=True)
        .filter(
            Q(role=Role.DCS, authority__region_id=authority.region_id)
            | Q(role=Role.ADMIN, region_id=authority.region_id)
            | Q(role=Role.ADMIN, region__isnull=True)
        )
        .exclude(authority_id=authority.pk)
        .order_by("email")
    )
