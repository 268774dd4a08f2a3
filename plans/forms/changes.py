"""Plan forms: in-year change — the authority's change request and the CSA's answer, the variation
or withdrawal of an accepted offer, the authority's "not tailored" mark, the notes of a row and the
authority's own support (GOV.UK error messages; crispy-forms-gds layouts)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.uploads import DocumentField

from ..models import OwnSupport
from .offers import _date_field


def _helper(*fields, button, warning=False):
    helper = FormHelper()
    kwargs = {"css_class": "govuk-button--warning"} if warning else {}
    helper.layout = Layout(*fields, Submit("submit", button, **kwargs))
    return helper


def _reason(label, required_message, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": required_message},
    )


class ChangeRequestForm(forms.Form):
    body = _reason(
        "What should change, and why?",
        "Enter what should change and why",
        "For example: the support on a priority, more days, a later deliver-by date, a new need.",
    )
    priorities = forms.MultipleChoiceField(
        label="Which priorities is it about? (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )
    offers = forms.MultipleChoiceField(
        label="Which offers is it about? (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, priorities=(), offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.priority_objects = {str(p.pk): p for p in priorities}
        self.offer_objects = {str(o.pk): o for o in offers}
        self.fields["priorities"].choices = [(k, p.title) for k, p in self.priority_objects.items()]
        self.fields["offers"].choices = [
            (k, f"{o.provider.name} on “{o.priority.title}”") for k, o in self.offer_objects.items()
        ]
        fields = [Field.textarea("body", label_size=Size.MEDIUM)]
        if self.priority_objects:
            fields.append(Field.checkboxes("priorities", legend_size=Size.SMALL, small=True))
        if self.offer_objects:
            fields.append(Field.checkboxes("offers", legend_size=Size.SMALL, small=True))
        self.helper = _helper(*fields, button="Send the request")

    def chosen(self):
        data = self.cleaned_data
        return {
            "priorities": [self.priority_objects[k] for k in data.get("priorities", [])],
            "offers": [self.offer_objects[k] for k in data.get("offers", [])],
        }


class StartRevisionForm(forms.Form):
    answer = forms.CharField(
        label="Message to the authority (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("answer", label_size=Size.SMALL), button="Start the revision")


class ReasonForm(forms.Form):
    """A reason and a button: declining a request, withdrawing an accepted offer, removing a priority,
    the authority's "not tailored" mark."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)

    def __init__(self, *args, label, required_message, button, warning=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message
        self.helper = _helper(Field.textarea("reason", label_size=Size.SMALL), button=button, warning=warning)


class VaryOfferForm(forms.Form):
    reason = _reason("What should change in the offer?", "Enter what should change in the offer")
    respond_by = _date_field(
        "Varied offer due by",
        "A working day, for example 27/05/2010. It is 5 working days ahead unless you change it.",
        "Enter the date the varied offer is due by",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", label_size=Size.SMALL), Field("respond_by"), button="Ask for a variation"
        )


class RowNotesForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For the Government Office and the authority: links to other work, who leads locally, "
        "anything agreed. Providers' own notes stay on their offers.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("lock_version", Field.textarea("notes", label_size=Size.SMALL), button="Save the notes")


class OwnSupportForm(forms.Form):
    source = forms.ChoiceField(
        label="Where does the support come from?",
        choices=OwnSupport.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the support comes from"},
    )
    description = _reason("What support does the authority take up?", "Enter the support the authority takes up")
    cost = forms.DecimalField(
        label="Cost in pounds (optional)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter the cost in pounds, like 1500 or 1500.50",
            "min_value": "The cost cannot be negative",
            "max_decimal_places": "Enter the cost in pounds and pence, like 1500.50",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("source", legend_size=Size.SMALL),
            Field.textarea("description", label_size=Size.SMALL),
            Field("cost"),
            button="Record the support",
        )


class OfferDeploymentPlanForm(forms.Form):
    file = DocumentField(
        kinds=("pdf", "docx", "xlsx"),
        label="Deployment plan",
        help_text="A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 20 MB",
        error_messages={"required": "Select a deployment plan to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx"
        self.helper = _helper(Field("file"), button="Upload")
