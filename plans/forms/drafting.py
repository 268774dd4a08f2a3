"""Plan forms: drafting — starting a plan, priorities, needs, good practice and deployment plans.

Edit forms carry ``lock_version`` (good practice: a ``fingerprint`` of the text shown) so a stale
save is refused by the service and the user's text stays in the form."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from authorities.models import LocalAuthority, NationalIndicator
from core.uploads import DocumentField
from providers.models import Provider

from ..models import validate_period

#: The hint once JavaScript has put the autocomplete in place of the multiple select.
ENHANCED_HINT = (
    "The National Indicators this priority addresses. Type a number or words from the title, "
    "for example 112 or conception, and choose the indicator. You can add more than one."
)


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


class IndicatorChoiceIterator(forms.models.ModelChoiceIterator):
    """The National Indicators as ``<optgroup>``s, one per Every Child Matters outcome, in the
    order of the outcomes, each indicator by number within its outcome."""

    def __iter__(self):
        groups = {value: (label, []) for value, label in NationalIndicator.Outcome.choices}
        for indicator in self.queryset:
            groups.setdefault(indicator.ecm_outcome, (indicator.ecm_outcome, []))[1].append(self.choice(indicator))
        for label, options in groups.values():
            if options:
                yield (label, options)


class IndicatorField(forms.ModelMultipleChoiceField):
    """National Indicators chosen from a plain ``<select multiple>`` whose values are the indicator
    numbers ("112"); it works without JavaScript, and ``static/js/ni-picker.mjs`` enhances it with
    accessible-autocomplete. A number that is not in the National Indicator Set is named in the error."""

    iterator = IndicatorChoiceIterator
    default_error_messages = {
        "invalid_list": "Select National Indicators from the list",
        "invalid_pk_value": "Select National Indicators from the list",
        "invalid_choice": "There is no National Indicator %(value)s in the National Indicator Set",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", NationalIndicator.objects.order_by("number"))
        kwargs.setdefault("to_field_name", "number")
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"class": "govuk-select app-ni-select", "size": 10}))
        super().__init__(**kwargs)

    def _check_values(self, value):
        """As Django's, but every unknown number is named at once ("999, 1000"), in the order given."""
        numbers = []
        for token in value:
            token = str(token).strip()
            if not token.isdigit():
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
            if int(token) not in numbers:
                numbers.append(int(token))
        found = set(self.queryset.filter(number__in=numbers).values_list("number", flat=True))
        missing = [str(n) for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ", ".join(missing)}
            )
        return self.queryset.filter(number__in=numbers)


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
        help_text="The National Indicators this priority addresses. To choose more than one, hold down Ctrl "
        "(or Cmd on a Mac) as you select them.",
    )
    is_workforce = forms.BooleanField(label="This priority is about workforce development", required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, button="Save priority", action=None, attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description", rows=3),
            Field("indicators", data_module="app-ni-picker", data_enhanced_hint=ENHANCED_HINT),
            Field.checkbox("is_workforce", small=True),
            "lock_version",
            button=button,
            action=action,
            attrs=attrs,
        )

    @property
    def indicator_objects(self):
        """The chosen National Indicators, by number (for the services)."""
        return list(self.cleaned_data.get("indicators") or [])


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
