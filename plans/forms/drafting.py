"""Plan forms: drafting — starting a plan, priorities, needs, good practice and deployment plans.

Edit forms carry ``lock_version`` (good practice: a ``fingerprint`` of the text shown) so a stale
save is refused by the service and the user's text stays in the form."""

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from accounts.uploads import DocumentField
from authorities.models import LocalAuthority, NationalIndicator
from providers.models import Provider

from ..models import validate_period

NI_SPLIT = re.compile(r"[,;\s]+")


def _helper(*fields, button, action=None, attrs=None):
    helper = FormHelper()
    helper.layout = Layout(*fields, Submit("submit", button))
    if action:
        helper.form_action = action
    if attrs:
        helper.attrs = attrs
    return helper


class CreatePlanForm(forms.Form):
    authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Select an authority",
        error_messages={"required": "Select the local authority", "invalid_choice": "Select the local authority"},
    )
    period = forms.CharField(
        label="Period",
        help_text="The financial year the plan covers, for example 2010-11",
        max_length=7,
        validators=[validate_period],
        error_messages={"required": "Enter the period, for example 2010-11"},
    )

    def __init__(self, *args, authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if authorities is not None:
            self.fields["authority"].queryset = authorities
        self.helper = _helper(
            Field.select("authority"),
            Field.text("period", field_width=5),
            button="Start the plan",
        )


class IndicatorField(forms.CharField):
    """National Indicators typed as numbers ("112, 109" or "NI 112"): a plain field that works
    without JavaScript and names any number that is not in the National Indicator Set."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        numbers = []
        for token in NI_SPLIT.split(text.upper().replace("NI", " ")):
            if not token:
                continue
            if not token.isdigit():
                raise forms.ValidationError(
                    "Enter National Indicator numbers separated by commas, like 112, 109", code="format"
                )
            if int(token) not in numbers:
                numbers.append(int(token))
        return numbers

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        found = {ni.number: ni for ni in NationalIndicator.objects.filter(number__in=value)}
        missing = [str(n) for n in value if n not in found]
        if missing:
            raise forms.ValidationError(
                f"There is no National Indicator {', '.join(missing)} in the National Indicator Set", code="unknown"
            )
        self.indicators = [found[n] for n in value]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(v, "number", v)) for v in value)
        return value


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="Priority",
        max_length=300,
        help_text="A priority agreed with the authority",
        error_messages={"required": "Enter the priority"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    indicators = IndicatorField(
        label="National Indicators (optional)",
        required=False,
        help_text="The numbers of the National Indicators this priority addresses, separated by commas, "
        "for example 112, 109",
    )
    is_workforce = forms.BooleanField(label="This priority is about workforce development", required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, button="Save priority", action=None, attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description", rows=3),
            Field.text("indicators", field_width=20),
            Field.checkbox("is_workforce", small=True),
            "lock_version",
            button=button,
            action=action,
            attrs=attrs,
        )

    @property
    def indicator_objects(self):
        return getattr(self.fields["indicators"], "indicators", [])


class NeedForm(forms.Form):
    description = forms.CharField(
        label="Need",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="An improvement support need for this priority",
        error_messages={"required": "Enter the need"},
    )
    from_workforce_tool = forms.BooleanField(label="Identified with the One Children's Workforce Tool", required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, button="Save need", action=None, attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("description", rows=3),
            Field.checkbox("from_workforce_tool", small=True),
            "lock_version",
            button=button,
            action=action,
            attrs=attrs,
        )


class GoodPracticeForm(forms.Form):
    area = forms.CharField(
        label="Area of good practice",
        max_length=200,
        help_text="Something the authority does well that others could learn from",
        error_messages={"required": "Enter the area of good practice"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, button="Save good practice", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("area"), Field.textarea("description", rows=4), "fingerprint", button=button)


class DeploymentPlanForm(forms.Form):
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Provider.objects.order_by("name"),
        empty_label="Select the provider",
        error_messages={"required": "Select the provider whose deployment plan this is"},
    )
    file = DocumentField(
        kinds=("pdf", "docx", "xlsx"),
        label="Deployment plan",
        help_text="A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 20 MB",
        error_messages={"required": "Select a deployment plan to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx"
        self.helper = _helper(Field.select("provider"), Field("file"), button="Upload")


__all__ = ["CreatePlanForm", "DeploymentPlanForm", "GoodPracticeForm", "NeedForm", "PriorityForm"]
