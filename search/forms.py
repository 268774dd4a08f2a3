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

    def selects(self):
        """The filters' selects, for the template to write out (as GOV.UK markup, and much faster
        than rendering each of the authorities' options through a widget template): name, label,
        errors and the options, grouped as ``[(group label or "", [(value, label, selected)])]``."""
        selects = []
        for name in ("authority", "period", "status"):
            field = self[name]
            chosen = str(field.value() or "")
            groups, flat = [], []
            for value, label in field.field.choices:
                if isinstance(label, list | tuple):
                    groups.append((value, [(str(v), lab, str(v) == chosen) for v, lab in label]))
                else:
                    flat.append((str(value), label, str(value) == chosen))
            selects.append({"field": field, "options": flat, "groups": groups})
        return selects

    def filters(self):
        """The valid filters (a filter in error is left out, and shown as an error)."""
        data = {name: self.cleaned_data.get(name) for name in ("q", "kind", "authority", "period", "status")}
        return {k: v for k, v in data.items() if k in self.cleaned_data}
