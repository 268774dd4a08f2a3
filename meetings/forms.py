"""Forms for meetings and notes, with GOV.UK error messages (crispy-forms-gds)."""

from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms

from accounts.models import Role, User
from authorities.models import LocalAuthority, RegionalForum
from core.working_days import LONDON
from providers.models import Provider

from .models import Meeting, NoteJudgement
from .queries import invitable_attendees

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]


def _short_input():
    return forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"})


def _helper(form, label):
    """Every field of the form in order, then a GOV.UK button."""
    helper = FormHelper()
    helper.layout = Layout(*form.fields, Button("submit", label))
    return helper


#: The one answer for an address with no account and for someone the organiser may not invite, so
#: the form never tells whether an arbitrary email belongs to someone.
NOT_INVITABLE = (
    "Enter the email address of someone you can invite: people of the meeting's authority, the Government "
    "Office or {organisation}. Not one of them: {emails}"
)


def parse_attendees(text, invitable):
    """'email: contribution' per line -> ([(user, contribution)], [emails not found]); a user is found
    only inside ``invitable`` (``meetings.queries.invitable_attendees``), so an address with no account
    and one of someone the organiser may not invite are the same answer."""
    pairs, unknown = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    emails = [line.split(":", 1)[0].strip().lower() for line in lines]
    users = {u.email.lower(): u for u in invitable.filter(email__in=emails)}
    for line, email in zip(lines, emails, strict=True):
        contribution = line.split(":", 1)[1].strip() if ":" in line else ""
        if email in users:
            pairs.append((users[email], contribution))
        else:
            unknown.append(email)
    return pairs, unknown


def attendees_text(meeting):
    return "\n".join(
        f"{a.user.email}: {a.contribution}" if a.contribution else a.user.email
        for a in meeting.attendance.select_related("user")
    )


class MeetingForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(),
        required=False,
        label="Local authority",
        help_text="Leave empty for a forum meeting.",
        to_field_name="gss_code",
        empty_label="No authority (a forum meeting)",
    )
    forum = forms.ModelChoiceField(
        queryset=RegionalForum.objects.none(), required=False, label="Regional forum", empty_label="No forum"
    )
    kind = forms.ChoiceField(
        choices=[("", "Select the kind of meeting"), *Meeting.Kind.choices],
        label="Kind of meeting",
        error_messages={"required": "Select the kind of meeting"},
    )
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a title"})
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Advisers clarify the purpose of every meeting or visit in advance.",
        error_messages={"required": "Enter the purpose of the meeting"},
    )
    date = forms.DateField(
        input_formats=DATE_FORMATS,
        widget=_short_input(),
        help_text="For example, 27/03/2027",
        error_messages={"required": "Enter the date of the meeting", "invalid": "Enter a real date, like 27/03/2027"},
    )
    time = forms.TimeField(
        input_formats=["%H:%M"],
        widget=_short_input(),
        help_text="24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the meeting", "invalid": "Enter a time like 14:30"},
    )
    location = forms.CharField(max_length=200, required=False, label="Place (or video link)")
    is_remote = forms.BooleanField(required=False, label="Remote meeting (video or phone)")
    is_face_to_face = forms.BooleanField(
        required=False,
        label="Face to face",
        help_text="Face-to-face meetings are costly: use alternatives wherever possible.",
    )
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attendees = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Attendees and their contribution",
        help_text="One per line: email address, a colon, and what they contribute. "
        "Attendance is for people with a specific contribution to make.",
    )
    authorities = forms.ModelMultipleChoiceField(
        queryset=LocalAuthority.objects.none(), required=False, label="Authorities invited (provider clinics)"
    )
    providers = forms.ModelMultipleChoiceField(
        queryset=Provider.objects.all(), required=False, label="Providers taking part (provider clinics)"
    )
    priority_theme = forms.CharField(max_length=200, required=False, label="Priority theme (provider clinics)")

    def __init__(self, *args, user=None, editing=False, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.user = user
        self.meeting = meeting
        if editing:
            for name in ("authority", "forum", "authorities", "providers"):
                del self.fields[name]
        else:
            del self.fields["lock_version"]
            authorities = LocalAuthority.objects.select_related("region")
            if user.role == Role.CSA:
                self.fields["authority"].queryset = authorities.filter(csa=user)
            else:
                self.fields["authority"].queryset = authorities
            self.fields["forum"].queryset = RegionalForum.objects.visible_to(user)
            self.fields["authorities"].queryset = (
                authorities.filter(region_id=user.region_id) if user.region_id else authorities
            )
        self.helper = _helper(self, "Save meeting")

    def clean(self):
        data = super().clean()
        if not self.editing and not data.get("authority") and not data.get("forum"):
            self.add_error("authority", "Select the authority or the forum the meeting is for")
        if not data.get("is_remote") and not (data.get("location") or "").strip():
            self.add_error("location", "Enter where the meeting takes place, or say it is remote")
        invitable = invitable_attendees(
            self.user,
            authority=data.get("authority"),
            forum=data.get("forum"),
            authorities=data.get("authorities") or (),
            providers=data.get("providers") or (),
            meeting=self.meeting,
        )
        pairs, unknown = parse_attendees(data.get("attendees"), invitable)
        if unknown:
            organisation = "your provider" if self.user.role == Role.PROVIDER_ADVISER else "the providers taking part"
            self.add_error("attendees", NOT_INVITABLE.format(organisation=organisation, emails=", ".join(unknown)))
        data["attendee_pairs"] = pairs
        if data.get("date") and data.get("time"):
            data["starts_at"] = datetime.combine(data["date"], data["time"], tzinfo=LONDON)
        return data

    def service_kwargs(self):
        d = self.cleaned_data
        kwargs = {
            "kind": d["kind"],
            "title": d["title"],
            "purpose": d["purpose"],
            "starts_at": d["starts_at"],
            "location": d["location"],
            "is_remote": d["is_remote"],
            "is_face_to_face": d["is_face_to_face"],
            "agenda": d["agenda"],
            "priority_theme": d["priority_theme"],
            "attendees": d["attendee_pairs"],
        }
        if not self.editing:
            kwargs.update(
                authority=d["authority"],
                forum=d["forum"],
                authorities=list(d["authorities"]),
                providers=list(d["providers"]),
            )
        return kwargs


class ConfirmForm(forms.Form):
    def __init__(self, *args, label="Confirm", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, label)


class CancelForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reason (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Cancel meeting")


class HeldForm(forms.Form):
    held_on = forms.DateField(
        input_formats=DATE_FORMATS,
        widget=_short_input(),
        label="Date the meeting was held",
        help_text="For example, 27/03/2027. The draft note is due 5 working days after.",
        error_messages={"required": "Enter the date the meeting was held", "invalid": "Enter a real date"},
    )
    officer_concerned = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Officer concerned",
        help_text="Receives the final note; the DCS is copied. Leave empty for the DCS.",
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_concerned"].queryset = officers_for(meeting)
        self.helper = _helper(self, "Mark as held")


def officers_for(meeting):
    q = User.objects.filter(is_active=True)
    if meeting.authority_id:
        return q.filter(authority_id=meeting.authority_id)
    if meeting.forum_id:
        return q.filter(forums=meeting.forum_id)
    return q.none()


JUDGEMENT_ROWS = 3


class DraftForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    draft = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), required=False, label="Draft note")
    officer_concerned = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer_concerned"].queryset = officers_for(note.meeting)
        existing = list(note.judgements.all())
        for i in range(len(existing) + JUDGEMENT_ROWS):
            j = existing[i] if i < len(existing) else None
            n = i + 1
            self.fields[f"area_{n}"] = forms.CharField(
                required=False, max_length=200, label=f"Judgement {n}: area", initial=j.area if j else ""
            )
            self.fields[f"rating_{n}"] = forms.ChoiceField(
                required=False,
                label=f"Judgement {n}: rating of performance",
                choices=[("", "Select a rating"), *NoteJudgement.Rating.choices],
                initial=j.performance_rating if j else "",
            )
            self.fields[f"risk_{n}"] = forms.ChoiceField(
                required=False,
                label=f"Judgement {n}: risk",
                choices=[("", "Select a risk"), *NoteJudgement.Risk.choices],
                initial=j.risk if j else "",
            )
        self.rows = len(existing) + JUDGEMENT_ROWS
        self.helper = _helper(self, "Save draft")

    def clean(self):
        data = super().clean()
        judgements = []
        for n in range(1, self.rows + 1):
            area, rating, risk = data.get(f"area_{n}"), data.get(f"rating_{n}"), data.get(f"risk_{n}")
            if area or rating or risk:
                if not area:
                    self.add_error(f"area_{n}", "Enter the area judged")
                if not rating:
                    self.add_error(f"rating_{n}", "Select a rating of performance")
                if not risk:
                    self.add_error(f"risk_{n}", "Select a risk")
                judgements.append((area, rating, risk))
        data["judgements"] = judgements
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your comment",
        error_messages={"required": "Enter your comment"},
    )
    judgement = forms.ModelChoiceField(
        queryset=NoteJudgement.objects.none(),
        required=False,
        label="Challenge this judgement (optional)",
        empty_label="No challenge: a general comment",
    )

    def __init__(self, *args, note=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judgement"].queryset = note.judgements.all()
        self.helper = _helper(self, "Send comment")


class FinalForm(forms.Form):
    final = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Final note",
        error_messages={"required": "Enter the final note"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, "Send final note")


class FilterForm(forms.Form):
    authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.all(), required=False, to_field_name="gss_code", empty_label="All authorities"
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Meeting.Kind.choices], required=False)
