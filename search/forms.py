"""The search box and the results page's filters (a GET form: a bad filter is shown as an error)."""

from django import forms

from authorities.models import LocalAuthority
from meetings.models import Meeting, MeetingNote
from plans.models import JISP, Offer

from .models import SearchEntry
from .queries import MAX_QUERY, periods

STATUSES = [
    ("Plans", JISP.Status.choices),
    ("Offers", Offer.Status.choices),
    ("Meeting notes", MeetingNote.Status.choices),
    ("Meetings", Meeting.Status.choices),
    ("Local authorities", LocalAuthority.SupportStatus.choices),
]


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the portal",
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": f"Search for {MAX_QUERY} characters or fewer"},
    )
    kind = forms.ChoiceField(
        choices=[("", "Everything"), *SearchEntry.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Select a kind of result from the list"},
    )
    authority = AuthorityChoiceField(
        queryset=LocalAuthority.objects.none(),
        to_field_name="gss_code",
        required=False,
        empty_label="All authorities",
        error_messages={"invalid_choice": "Select an authority from the list"},
    )
    period = forms.ChoiceField(
        choices=[], required=False, error_messages={"invalid_choice": "Select a period from the list"}
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *STATUSES],
        required=False,
        error_messages={"invalid_choice": "Select a status from the list"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = LocalAuthority.objects.visible_to(user).order_by("name")
        self.fields["period"].choices = [("", "All periods"), *((p, p) for p in periods())]
        for name in ("authority", "period", "status"):
            error = " govuk-select--error" if self.is_bound and name in self.errors else ""
            self.fields[name].widget.attrs["class"] = "govuk-select" + error

    def filters(self):
        """The valid filters (a filter in error is left out, and shown as an error)."""
        data = {name: self.cleaned_data.get(name) for name in ("q", "kind", "authority", "period", "status")}
        return {k: v for k, v in data.items() if k in self.cleaned_data}
