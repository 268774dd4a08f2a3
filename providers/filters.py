"""django-filter filter sets for the provider and feedback lists."""

import django_filters
from django.db.models import Q

from authorities.filters import GovukFilterSet
from authorities.models import LocalAuthority, Region

from .models import Provider, ProvisionFeedback


class ProviderFilter(GovukFilterSet):
    q = django_filters.CharFilter(label="Name or abbreviation", method="search")
    kind = django_filters.ChoiceFilter(choices=Provider.Kind.choices, empty_label="Any kind")
    region = django_filters.ModelChoiceFilter(
        label="Works in region", field_name="regions", queryset=Region.objects.all(), empty_label="All regions"
    )

    class Meta:
        model = Provider
        fields = ["q", "kind", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(abbreviation__iexact=value))


class ProvisionFeedbackFilter(GovukFilterSet):
    provider = django_filters.ModelChoiceFilter(queryset=Provider.objects.all(), empty_label="Any provider")
    authority = django_filters.ModelChoiceFilter(queryset=LocalAuthority.objects.all(), empty_label="Any authority")

    class Meta:
        model = ProvisionFeedback
        fields = ["provider", "authority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        # Offer only the providers and authorities that appear in the feedback the user may see.
        visible = ProvisionFeedback.objects.visible_to(user)
        self.filters["provider"].queryset = Provider.objects.filter(pk__in=visible.values("provider_id"))
        self.filters["authority"].queryset = LocalAuthority.objects.filter(pk__in=visible.values("authority_id"))
