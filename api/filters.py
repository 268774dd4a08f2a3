"""Filters of the API's lists (django-filter): each is a query parameter documented in the schema."""

import django_filters

from authorities.models import LocalAuthority, NationalIndicator
from plans.models import JISP
from providers.models import Provider


class AuthorityFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__slug", help_text="A region's slug.")

    class Meta:
        model = LocalAuthority
        fields = ["region", "la_type", "support_status", "gss_code"]


class ProviderFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="regions__slug", help_text="A region's slug: providers serving it.")

    class Meta:
        model = Provider
        fields = ["region", "kind", "party_to_protocol"]


class IndicatorFilter(django_filters.FilterSet):
    class Meta:
        model = NationalIndicator
        fields = ["number", "ecm_outcome"]


class PlanFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="authority__region__slug", help_text="A region's slug.")
    gss_code = django_filters.CharFilter(field_name="authority__gss_code", help_text="The authority's GSS code.")
    status = django_filters.ChoiceFilter(
        choices=[(JISP.Status.APPROVED.value, "Approved"), (JISP.Status.SUPERSEDED.value, "Superseded")],
        help_text="approved: the plans in force; superseded: earlier approved versions.",
    )

    class Meta:
        model = JISP
        fields = ["period", "authority", "region", "gss_code", "status"]
