"""Plan forms: offers — the CSA's invitation, the provider's offer, the CSA's challenge and the
withdrawal (GOV.UK error messages; crispy-forms-gds layouts)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from providers.models import Provider

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]
EXAMPLE = "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people"


def _date_input():
    return forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input govuk-input--width-10"})


def _date_field(label, help_text, required_message, *, required=True):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=_date_input(),
        help_text=help_text,
        error_messages={"required": required_message, "invalid": "Enter a real date, like 27/05/2010"},
    )


class InviteForm(forms.Form):
    providers = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which providers do you want to invite?",
        help_text="Select all that apply. Each provider's advisers are emailed a link to the invitation.",
        error_messages={"required": "Select at least one provider to invite"},
    )
    need = forms.ChoiceField(label="Which need should the offer address?", required=False)
    message = forms.CharField(
        label="Message to the providers",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the authority needs from them, and anything agreed with the Director of Children's Services.",
    )
    respond_by = _date_field(
        "Respond by",
        "A working day, for example 27/05/2010. It is 10 working days ahead unless you change it.",
        "Enter the date providers must respond by",
    )

    def __init__(self, *args, priority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = Provider.objects.filter(kind__in=Provider.DELIVERING_KINDS).order_by("name")
        needs = list(priority.needs.order_by("order", "pk")) if priority is not None else []
        self.needs = {str(n.pk): n for n in needs}
        self.fields["need"].choices = [("", "The priority as a whole"), *((str(n.pk), n.description) for n in needs)]
        if not needs:
            self.fields["need"].widget = forms.HiddenInput()
        helper = FormHelper()
        helper.layout = Layout(
            Field.checkboxes("providers", legend_size=Size.MEDIUM, small=True),
            Field.select("need") if needs else "need",
            Field.textarea("message"),
            Field.text("respond_by", field_width=10),
            Submit("submit", "Send invitations"),
        )
        self.helper = helper

    def clean_need(self):
        value = self.cleaned_data.get("need")
        if not value:
            return None
        if value not in self.needs:
            raise forms.ValidationError("Select a need of this priority")
        return self.needs[value]


class OfferForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(
        label="Your offer of tailored support",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"A concise process or outcome objective, for example “{EXAMPLE}”. Your deployment plan can "
        "hold the detail.",
    )
    deliver_by = _date_field("Deliver by", "For example, 31/05/2010", "Enter the deliver-by date", required=False)
    days = forms.DecimalField(
        label="Days of support",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}),
        help_text="Whole or half days, for example 2 or 2.5",
        error_messages={"invalid": "Enter the days of support as a number, like 2 or 2.5"},
    )
    funding = forms.DecimalField(
        label="Funding (£)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}),
        help_text="Any financial resources, in pounds. Leave empty if none.",
        error_messages={"invalid": "Enter the funding in pounds, like 1500 or 1500.50"},
    )
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, resubmit=False, **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.layout = Layout(
            "lock_version",
            Field.textarea("description", label_size=Size.MEDIUM),
            Field.text("deliver_by", field_width=10),
            Field.text("days", field_width=5),
            Field.text("funding", field_width=10),
            Field.textarea("notes"),
            Submit("submit_offer", "Resubmit offer" if resubmit else "Submit offer"),
            Submit("save_draft", "Save as draft", css_class="govuk-button--secondary"),
        )
        self.helper = helper

    def service_data(self):
        return {name: self.cleaned_data.get(name) for name in ("description", "deliver_by", "days", "funding", "notes")}


class ChallengeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this offer not tailored to the authority's needs?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The provider sees this and is asked to revise the offer. Say what a tailored offer would address.",
        error_messages={"required": "Enter why the offer is not tailored enough"},
    )
    respond_by = _date_field(
        "Revised offer due by",
        "A working day, for example 27/05/2010. It is 5 working days ahead unless you change it.",
        "Enter the date the revised offer is due",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.layout = Layout(
            Field.textarea("reason", label_size=Size.MEDIUM),
            Field.text("respond_by", field_width=10),
            Submit("submit", "Challenge the offer", css_class="govuk-button--warning"),
        )
        self.helper = helper


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The other side is emailed with your reason.",
    )

    def __init__(self, *args, button="Withdraw the offer", **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper()
        helper.layout = Layout(Field.textarea("reason"), Submit("submit", button, css_class="govuk-button--warning"))
        self.helper = helper


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, label="Status")

    def __init__(self, *args, **kwargs):
        from ..models import Offer

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *Offer.Status.choices]


__all__ = ["ChallengeForm", "InviteForm", "OfferFilterForm", "OfferForm", "WithdrawForm"]
