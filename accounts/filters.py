"""Filters for the audit log page (django-filter) with GOV.UK widgets."""

from typing import Any

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import AuditEvent


class GovDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label="Who",
        queryset=get_user_model().objects.order_by("email"),
        empty_label="Anyone",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    action = django_filters.ChoiceFilter(
        label="What",
        choices=AuditEvent.Action.choices,
        empty_label="Any action",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    object_type = django_filters.ChoiceFilter(
        label="Record type",
        empty_label="Any record",
        method="filter_object_type",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    since = django_filters.DateFilter(label="From", field_name="at", lookup_expr="date__gte", widget=GovDateInput())
    until = django_filters.DateFilter(label="To", field_name="at", lookup_expr="date__lte", widget=GovDateInput())

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "object_type", "since", "until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = (
            AuditEvent.objects.exclude(object_type="")
            .order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        )
        self.filters["object_type"].extra["choices"] = [(t, t) for t in types]

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = FormHelper()  # lets {% error_summary %} show the filters' errors
        return form

    def filter_object_type(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return queryset.filter(object_type=value) if value else queryset
