"""Object permissions for providers and provision feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from accounts.rules import is_admin, is_authority_user, is_go_staff, is_national, is_own_provider, is_signed_in

if TYPE_CHECKING:
    from accounts.models import User
    from providers.models import Provider

rules.add_perm("providers.view_provider", is_signed_in)
# The feedback summary on a provider's page: the provider itself, GO staff (their region's rows), analysts.
rules.add_perm("providers.view_feedback", is_own_provider | is_go_staff | is_national | is_admin)


@rules.predicate
def serves_own_authority(user: User, provider: Provider | None) -> bool:
    """The provider delivers improvement support in the region of the user's authority."""
    if provider is None or user.authority_id is None or not provider.delivers_support:
        return False
    return provider.regions.filter(authorities=user.authority_id).exists()


# A DCS or LA officer rates, for their own authority, a provider that supports their region.
rules.add_perm("providers.give_feedback", is_authority_user & serves_own_authority)
