"""django-filter filter sets for the authority, indicator and forum lists, with GOV.UK classes."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import Role, User

from .models import LocalAuthority, NationalIndicator, Region, RegionalForum

WIDGET_CLASSES = {
    forms.Select: "govuk-select govuk-!-width-full",
    forms.TextInput: "govuk-input",
}


def govukify(form):
    """Give each filter field the GOV.UK class of its widget (labels are styled in the template)."""
    for field in form.fields.values():
        for widget, css in WIDGET_CLASSES.items():
            if isinstance(field.widget, widget):
                field.widget.attrs.setdefault("class", css)
    return form


class GovukFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        return govukify(form)


class LocalAuthorityFilter(GovukFilterSet):
    q = django_filters.CharFilter(label="Name or GSS code", method="search")
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), empty_label="All regions")
    support_status = django_filters.ChoiceFilter(
        choices=LocalAuthority.SupportStatus.choices, empty_label="Any support status"
    )
    csa = django_filters.ModelChoiceFilter(
        label="Children's Services Adviser",
        queryset=User.objects.filter(role=Role.CSA, is_active=True).order_by("full_name"),
        empty_label="Any adviser",
    )

    class Meta:
        model = LocalAuthority
        fields = ["q", "region", "support_status", "csa"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(gss_code__iexact=value.strip()))


class NationalIndicatorFilter(GovukFilterSet):
    q = django_filters.CharFilter(label="Number or title", method="search")
    ecm_outcome = django_filters.ChoiceFilter(
        label="Every Child Matters outcome", choices=NationalIndicator.Outcome.choices, empty_label="Any outcome"
    )

    class Meta:
        model = NationalIndicator
        fields = ["q", "ecm_outcome"]

    def search(self, queryset, name, value):
        value = value.strip()
        number = value.upper().removeprefix("NI").strip()
        condition = Q(title__icontains=value)
        if number.isdigit():
            condition |= Q(number=int(number))
        return queryset.filter(condition)


class RegionalForumFilter(GovukFilterSet):
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), empty_label="All regions")

    class Meta:
        model = RegionalForum
        fields = ["region"]
