"""Answers plans gives to lower apps through ``core.hooks``."""

from django.db.models import Q

from .models import Offer


def providers_invited_by(*, user):
    """The providers invited to offer on the plans of the authorities the CSA leads (as the plan's
    CSA or the authority's)."""
    return set(
        Offer.objects.filter(Q(priority__jisp__csa=user) | Q(priority__jisp__authority__csa=user))
        .values_list("provider_id", flat=True)
        .distinct()
    )


def csas_who_invited(*, provider_id):
    """The users who invited the provider to offer on a plan (the CSAs to tell when it asks for access)."""
    return set(
        Offer.objects.filter(provider_id=provider_id, invited_by__isnull=False)
        .values_list("invited_by_id", flat=True)
        .distinct()
    )
