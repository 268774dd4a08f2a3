"""Forms for the protocol's clocks: the authority's response, extensions, closures, bank holidays,
reminder emails, meeting series and feedback on the arrangements (GOV.UK error messages)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core import digest

from .forms import DATE_FORMATS, _helper, _short_input
from .models import ArrangementsFeedback
from .series import KINDS, MAX_INTERVAL_WEEKS, WEEKDAY_NAMES


def _date(label, help_text="For example, 27/03/2027", required=True, name="date"):
    return forms.DateField(
        input_formats=DATE_FORMATS,
        widget=_short_input(),
        label=label,
        help_text=help_text,
        required=required,
        error_messages={"required": f"Enter the {name}", "invalid": "Enter a real date, like 27/03/2027"},
    )


class ResponseForm(forms.Form):
    """Submitting the authority's response: a confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Submit the authority's response")


class ExtensionRequestForm(forms.Form):
    new_due = _date("New due date", "A working day, for example 27/03/2027", name="new due date")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why is more time needed?",
        max_length=2000,
        error_messages={"required": "Enter why the extension is needed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Ask for the extension")


class ExtensionAnswerForm(forms.Form):
    """Agreeing (a confirmation) or declining (with an optional reason)."""

    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why not? (optional)", required=False, max_length=2000
    )

    def __init__(self, *args, agree=True, **kwargs):
        super().__init__(*args, **kwargs)
        if agree:
            del self.fields["answer"]
        self.helper = _helper(self, "Agree the extension" if agree else "Decline the extension")


class ClosureForm(forms.Form):
    date = _date("Date of the closure", name="date of the closure")
    reason = forms.CharField(
        max_length=200,
        label="Reason",
        help_text="For example, office move",
        error_messages={"required": "Enter the reason for the closure"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Add the closure")


class RemoveClosureForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Button.warning("submit", "Remove the closure"))


class BankHolidaysForm(forms.Form):
    file = forms.FileField(
        label="GOV.UK's bank-holidays.json",
        help_text="Download it from GOV.UK (www.gov.uk/bank-holidays.json) and upload it here.",
        error_messages={"required": "Select GOV.UK's bank-holidays.json file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Import the bank holidays")


class ReminderEmailsForm(forms.Form):
    reminder_emails = forms.ChoiceField(
        label="How do you want to get reminders?",
        choices=digest.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to get reminders"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.radios("reminder_emails", legend_size=Size.MEDIUM), Button("submit", "Save"))


WEEKDAY_CHOICES = list(enumerate(WEEKDAY_NAMES))


class SeriesForm(forms.Form):
    """Regular meetings: what, when they start, how often, until when."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        choices=[("", "Select the kind of meeting"), *[(k.value, k.label) for k in KINDS]],
        label="Kind of meeting",
        error_messages={"required": "Select the kind of meeting"},
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the purpose of the meetings"}
    )
    first_date = _date("Date of the first meeting", name="date of the first meeting")
    at = forms.TimeField(
        input_formats=["%H:%M"],
        widget=_short_input(),
        label="Time",
        help_text="24-hour clock, for example 10:00",
        error_messages={"required": "Enter the time of the meetings", "invalid": "Enter a time like 10:00"},
    )
    duration_minutes = forms.IntegerField(
        min_value=15,
        max_value=480,
        initial=60,
        widget=_short_input(),
        label="Length in minutes",
        error_messages={
            "required": "Enter the length of the meetings in minutes",
            "invalid": "Enter the length as a number of minutes, like 90",
            "min_value": "A meeting lasts at least 15 minutes",
            "max_value": "A meeting lasts at most 480 minutes (8 hours)",
        },
    )
    interval = forms.IntegerField(
        min_value=1,
        max_value=MAX_INTERVAL_WEEKS,
        widget=_short_input(),
        label="How many weeks apart?",
        help_text="For example, 6 for every 6 weeks",
        error_messages={
            "required": "Enter how many weeks apart the meetings are",
            "invalid": "Enter a whole number of weeks",
            "min_value": "Enter how many weeks apart, from 1",
            "max_value": f"Enter how many weeks apart, up to {MAX_INTERVAL_WEEKS}",
        },
    )
    weekday = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        label="On which day of the week?",
        error_messages={"required": "Select the day of the week"},
    )
    until = _date("Date of the last meeting", "The series ends on or before this date", name="date of the last meeting")
    location = forms.CharField(max_length=200, required=False, label="Place (or video link)")
    is_remote = forms.BooleanField(required=False, label="Remote meetings (video or phone)")
    is_face_to_face = forms.BooleanField(required=False, label="Face to face")

    def __init__(self, *args, changing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.changing = changing
        if changing:
            del self.fields["kind"]
            del self.fields["first_date"]
            self.fields = {
                "lock_version": self.fields.pop("lock_version"),
                "action": forms.ChoiceField(
                    choices=[
                        ("change", "Change the meetings from this date"),
                        ("stop", "Stop the meetings from this date"),
                    ],
                    widget=forms.RadioSelect,
                    label="What do you want to do?",
                    initial="change",
                    error_messages={"required": "Select whether to change or stop the meetings"},
                ),
                "from_date": _date("From", "Meetings before this date stay as they are", name="date the change starts"),
                **self.fields,
            }
        else:
            del self.fields["lock_version"]
        self.helper = FormHelper()
        layout = []
        for name in self.fields:
            if name in ("weekday", "action"):
                layout.append(Field.radios(name, legend_size=Size.SMALL, inline=name == "weekday"))
            else:
                layout.append(name)
        layout.append(Button("submit", "Save the series" if not changing else "Save the change"))
        self.helper.layout = Layout(*layout)

    def clean(self):
        data = super().clean()
        stopping = self.changing and data.get("action") == "stop"
        if not data.get("is_remote") and not (data.get("location") or "").strip() and not stopping:
            self.add_error("location", "Enter where the meetings take place, or say they are remote")
        return data


class FeedbackForm(forms.Form):
    arrangements = forms.TypedChoiceField(
        label="How well are the arrangements under the protocol working for your authority?",
        help_text="Key meetings and visits, their notes and deadlines, the support plan.",
        choices=ArrangementsFeedback.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how well the arrangements are working"},
    )
    support = forms.TypedChoiceField(
        label="How well is the improvement support meeting your authority's needs?",
        choices=ArrangementsFeedback.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how well the support is working"},
    )
    working_well = forms.CharField(
        label="What is working well? (optional)",
        help_text="For example, the meetings, the notes, an adviser's support.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    to_change = forms.CharField(
        label="What should change? (optional)",
        help_text="What would make the arrangements or the support work better for your authority.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("arrangements", legend_size=Size.MEDIUM),
            Field.radios("support", legend_size=Size.MEDIUM),
            Field.textarea("working_well", max_characters=2000),
            Field.textarea("to_change", max_characters=2000),
            Button("submit", "Send feedback"),
        )


__all__ = [
    "BankHolidaysForm",
    "ClosureForm",
    "ExtensionAnswerForm",
    "ExtensionRequestForm",
    "FeedbackForm",
    "ReminderEmailsForm",
    "RemoveClosureForm",
    "ResponseForm",
    "SeriesForm",
]
