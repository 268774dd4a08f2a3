"""Object permissions for authorities, indicators and regional forums."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import (
    in_authority_region,
    is_admin,
    is_authority_user,
    is_go_director,
    is_own_authority,
    is_signed_in,
)

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import Region, RegionalForum


@rules.predicate
def admin_of_forum_region(user: User, forum: RegionalForum | None) -> bool:
    """A regional admin manages their own region's forum; a system admin (no region) any forum."""
    return forum is None or user.region_id is None or user.region_id == forum.region_id


@rules.predicate
def can_see_forum(user: User, forum: RegionalForum | None) -> bool:
    from .models import RegionalForum

    return forum is not None and RegionalForum.objects.visible_to(user).filter(pk=forum.pk).exists()


rules.add_perm("authorities.view_localauthority", is_signed_in)
rules.add_perm("authorities.reassign_csa", (is_go_director & in_authority_region) | is_admin)
rules.add_perm("authorities.give_feedback", is_authority_user & is_own_authority)
rules.add_perm("authorities.view_nationalindicator", is_signed_in)
rules.add_perm("authorities.add_regionalforum", is_admin)
rules.add_perm("authorities.view_regionalforum", can_see_forum)
rules.add_perm("authorities.change_regionalforum", is_admin & admin_of_forum_region)


@rules.predicate
def admin_of_region(user: User, region: Region | None) -> bool:
    """A regional admin creates forums for their own region; a system admin (no region) for any."""
    return region is not None and (user.region_id is None or user.region_id == region.pk)


rules.add_perm("authorities.add_regionalforum_in_region", is_admin & admin_of_region)
