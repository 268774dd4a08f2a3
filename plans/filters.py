"""django-filter filter set for the plans list, with GOV.UK classes."""

import django_filters
from django import forms

from accounts.models import Role, User
from authorities.models import LocalAuthority, Region
from providers.models import Provider

from .models import JISP, Offer

WIDGET_CLASSES = {forms.Select: "govuk-select govuk-!-width-full", forms.TextInput: "govuk-input"}


class PlanFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        field_name="authority__region", queryset=Region.objects.order_by("name"), empty_label="All regions"
    )
    authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.order_by("name"), empty_label="All authorities"
    )
    period = django_filters.CharFilter(label="Period", help_text="For example 2010-11")
    status = django_filters.ChoiceFilter(choices=JISP.Status.choices, empty_label="Any status")
    csa = django_filters.ModelChoiceFilter(
        label="Children's Services Adviser",
        queryset=User.objects.filter(role=Role.CSA).order_by("full_name"),
        empty_label="Any adviser",
    )
    provider = django_filters.ModelChoiceFilter(
        label="Provider", queryset=Provider.objects.order_by("name"), empty_label="Any provider", method="by_provider"
    )

    class Meta:
        model = JISP
        fields = ["region", "authority", "period", "status", "csa", "provider"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not (user.is_superuser or user.role in (Role.ADMIN, Role.NATIONAL))
        ):
            # Offer only the choices within what the user may see.
            if user.region_id and user.role in (Role.CSA, Role.GO_DIRECTOR):
                self.filters["authority"].queryset = LocalAuthority.objects.filter(region_id=user.region_id).order_by(
                    "name"
                )
                self.filters["csa"].queryset = User.objects.filter(role=Role.CSA, region_id=user.region_id).order_by(
                    "full_name"
                )
            elif user.authority_id:
                self.filters["authority"].queryset = LocalAuthority.objects.filter(pk=user.authority_id)

    def by_provider(self, queryset, name, value):
        """Plans with an offer from the provider that the user may see (never a draft offer they may not)."""
        user = getattr(self.request, "user", None)
        offers = Offer.objects.visible_to(user).filter(provider=value).exclude(status=Offer.Status.WITHDRAWN)
        return queryset.filter(pk__in=offers.values("priority__jisp_id"))

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            for widget, css in WIDGET_CLASSES.items():
                if isinstance(field.widget, widget):
                    field.widget.attrs.setdefault("class", css)
        return form
