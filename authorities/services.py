"""State changes for authorities and regional forums: each one transaction, permission-checked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from .models import LocalAuthority, RegionalForum

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import Region


@transaction.atomic
def reassign_csa(*, actor: User, authority: LocalAuthority, csa: User | None) -> LocalAuthority:
    """Make ``csa`` the lead Children's Services Adviser of ``authority`` (GO director of its region or admin)."""
    require(actor, "authorities.reassign_csa", authority)
    authority = LocalAuthority.objects.select_for_update().select_related("region").get(pk=authority.pk)
    if csa is None:
        raise ServiceError("Select a Children's Services Adviser", field="csa")
    if csa.role != Role.CSA or not csa.is_active:
        raise ServiceError(f"{csa} is not an active Children's Services Adviser", field="csa")
    if csa.region_id != authority.region_id:
        raise ServiceError(f"{csa} works in another region. Select an adviser of {authority.region}", field="csa")
    previous = authority.csa
    if previous is not None and previous.pk == csa.pk:
        raise ServiceError(f"{csa} is already the lead adviser for {authority}", field="csa")
    authority.csa = csa
    authority.save(update_fields=["csa"])
    queue_email(
        key=f"csa-reassigned:{authority.pk}:{csa.pk}:{timezone.now().isoformat()}",
        recipients=[u for u in (csa, previous, authority.dcs) if u is not None],
        subject=f"{csa} is now the Children's Services Adviser for {authority}",
        template="authorities/email/csa_reassigned.txt",
        context={
            "authority": authority,
            "csa": csa,
            "previous": previous,
            "actor": actor,
            "url": absolute_url(authority.get_absolute_url()),
        },
    )
    return authority


def _check_forum_people(region: Region, chair: User | None, members: list[User]) -> None:
    if chair is not None and not chair.is_active:
        raise ServiceError(f"{chair} cannot chair the forum: their account is switched off", field="chair")
    inactive = [m for m in members if not m.is_active]
    if inactive:
        raise ServiceError(f"{inactive[0]} cannot be a member: their account is switched off", field="members")


@transaction.atomic
def create_forum(
    *,
    actor: User,
    region: Region,
    name: str,
    chair: User | None = None,
    members: Iterable[User] = (),
    partners: Iterable[Any] = (),  # providers (named by id or instance: authorities never import providers)
) -> RegionalForum:
    """Create a Regional Children and Young People's Forum (admins; a regional admin for their region)."""
    require(actor, "authorities.add_regionalforum")
    require(
        actor, "authorities.add_regionalforum_in_region", region, message="You can only manage your region's forums."
    )
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter the forum's name", field="name")
    if RegionalForum.objects.filter(region=region, name__iexact=name).exists():
        raise ServiceError(f"{region} already has a forum called {name}", field="name")
    people = list(members)
    _check_forum_people(region, chair, people)
    forum = RegionalForum.objects.create(region=region, name=name, chair=chair)
    if chair is not None and chair not in people:
        people.append(chair)
    forum.members.set(people)
    forum.partners.set(partners)
    return forum


@transaction.atomic
def update_forum(
    *,
    actor: User,
    forum: RegionalForum,
    region: Region,
    name: str,
    chair: User | None = None,
    members: Iterable[User] = (),
    partners: Iterable[Any] = (),  # providers, as in create_forum
) -> RegionalForum:
    """Change a forum's region, name, chair, members and partner providers (admins of its region)."""
    require(actor, "authorities.change_regionalforum", forum)
    require(
        actor, "authorities.add_regionalforum_in_region", region, message="You can only manage your region's forums."
    )
    forum = RegionalForum.objects.select_for_update().get(pk=forum.pk)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter the forum's name", field="name")
    if RegionalForum.objects.filter(region=region, name__iexact=name).exclude(pk=forum.pk).exists():
        raise ServiceError(f"{region} already has a forum called {name}", field="name")
    people = list(members)
    _check_forum_people(region, chair, people)
    forum.region, forum.name, forum.chair = region, name, chair
    forum.save(update_fields=["region", "name", "chair"])
    if chair is not None and chair not in people:
        people.append(chair)
    forum.members.set(people)
    forum.partners.set(partners)
    return forum
