"""Provision feedback form with GOV.UK error messages."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

RATINGS = [
    (5, "5 – excellent"),
    (4, "4 – good"),
    (3, "3 – adequate"),
    (2, "2 – poor"),
    (1, "1 – very poor"),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate this provider's support?",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating from 1 to 5", "invalid_choice": "Select a rating from 1 to 5"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="What worked, what did not, and what would have made the support better.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Comments must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM),
            Field.textarea("comments", max_characters=5000),
            Button("submit", "Send feedback"),
        )
