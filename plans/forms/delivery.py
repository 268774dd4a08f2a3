"""Plan forms: delivery — an update on the delivery of an accepted offer (GOV.UK error messages;
crispy-forms-gds layouts), and a delivery review of one offer at a meeting."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from ..models import Offer

COMMENT = ""


class DeliveryUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="How is the delivery of this support going?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Leave the status as it is to add a comment.",
    )
    note = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was done, what is planned, and anything putting the support at risk.",
        error_messages={"required": "Enter what happened"},
    )
    days_given = forms.DecimalField(
        label="Days actually given (optional)",
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}),
        help_text="Whole or half days so far, for example 2 or 2.5",
        error_messages={
            "invalid": "Enter the days actually given as a number, like 2 or 2.5",
            "min_value": "Days actually given must be 0 or more",
            "max_digits": "Days actually given must be under 10,000",
            "max_decimal_places": "Enter the days to one decimal place, like 2.5",
            "max_whole_digits": "Days actually given must be under 10,000",
        },
    )

    def __init__(self, *args, current=Offer.DeliveryStatus.NOT_STARTED, button="Add the update", **kwargs):
        super().__init__(*args, **kwargs)
        label = Offer.DeliveryStatus(current).label
        self.fields["status"].choices = [
            (COMMENT, f"Keep it as “{label}” (a comment)"),
            *((value, text) for value, text in Offer.DeliveryStatus.choices if value != current),
        ]
        self.fields["status"].initial = COMMENT
        helper = FormHelper()
        helper.layout = Layout(
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("note"),
            Field.text("days_given", field_width=5),
            Submit("submit", button),
        )
        self.helper = helper

    def clean_status(self):
        value = self.cleaned_data.get("status") or COMMENT
        if value != COMMENT and value not in Offer.DeliveryStatus.values:
            raise forms.ValidationError("Select how the delivery of the support is going")
        return value


__all__ = ["DeliveryUpdateForm"]
