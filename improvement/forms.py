"""Forms of sector-led improvement, with GOV.UK error messages (crispy-forms-gds layouts).

Edit forms carry ``lock_version`` so a stale save is refused by the service and the user's text
stays in the form."""

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from authorities.models import LocalAuthority, Region
from core.uploads import DocumentField
from plans.models import validate_period

from .models import InspectionRecord, JudgementLevel

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]


def _helper(*fields, button, secondary=False, warning=False, method="post"):
    helper = FormHelper()
    kwargs = {}
    if secondary:
        kwargs["css_class"] = "govuk-button--secondary"
    if warning:
        kwargs["css_class"] = "govuk-button--warning"
    helper.layout = Layout(*fields, Submit("submit", button, **kwargs))
    helper.form_method = method
    return helper


def _date_field(label, help_text, required_message):
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(),
        help_text=help_text,
        error_messages={"required": required_message, "invalid": "Enter a real date, like 17/10/2011"},
    )


def _text(label, *, required=False, max_length=20000, rows=6, help_text="", required_message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message or f"Enter {label[:1].lower()}{label[1:]}"},
    )


def days_text(value):
    """Days as people write them: 6, 2.5 (never 6.0, whatever the database returns)."""
    return format(Decimal(str(value)).normalize(), "f")


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, level):
        return level.label


# --- self-assessment ------------------------------------------------------------------------------


class StartForm(forms.Form):
    year = forms.CharField(
        label="Year",
        max_length=7,
        validators=[validate_period],
        help_text="The financial year the self-assessment covers, for example 2011-12",
        error_messages={"required": "Enter the year, for example 2011-12"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("year", field_width=5), button="Start the self-assessment")


class SummaryForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    summary = _text(
        "Overall self-evaluation",
        rows=12,
        help_text="How well you know your services: what is working, the risks to performance you have "
        "identified and what you are doing about them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "lock_version",
            Field.textarea("summary", label_size=Size.MEDIUM, rows=12),
            button="Save the self-evaluation",
        )


class AnswerForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    judgement = LevelChoiceField(
        queryset=JudgementLevel.objects.none(),
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
        label="Your judgement",
        error_messages={"invalid_choice": "Select a judgement from the scale"},
    )
    evidence = _text("Evidence", rows=10)

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judgement"].queryset = JudgementLevel.objects.filter(area=area).order_by("rank")
        if area is not None and area.evidence_prompt:
            self.fields["evidence"].help_text = area.evidence_prompt
        self.helper = _helper(
            "lock_version",
            Field.radios("judgement", legend_size=Size.MEDIUM),
            Field.textarea("evidence", label_size=Size.MEDIUM, rows=10),
            button="Save this area",
        )


class ProfileForm(forms.Form):
    """One figure and one comment per line of the local profile."""

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = list(entries)
        layout = []
        for entry in self.entries:
            figure, comment = f"figure_{entry.pk}", f"comment_{entry.pk}"
            self.fields[figure] = forms.CharField(
                label=f"{entry.indicator}: latest figure",
                required=False,
                max_length=100,
                initial=entry.figure,
                help_text="For example 41.2 per 1,000 (2010)",
            )
            self.fields[comment] = forms.CharField(
                label=f"{entry.indicator}: what it shows",
                required=False,
                max_length=2000,
                initial=entry.comment,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            layout += [Field.text(figure, field_width=20), Field.textarea(comment, rows=3)]
        self.helper = _helper(*layout, button="Save the local profile")

    def values(self):
        return {
            e.pk: (self.cleaned_data.get(f"figure_{e.pk}", ""), self.cleaned_data.get(f"comment_{e.pk}", ""))
            for e in self.entries
        }


class EvidenceForm(forms.Form):
    title = forms.CharField(
        label="What the document shows",
        max_length=200,
        error_messages={"required": "Enter what the document shows"},
        help_text="For example, Safeguarding audit of case files, March 2011",
    )
    answer = forms.ChoiceField(label="Area it is evidence for", required=False)
    file = DocumentField(label="Document", help_text="A PDF, Word (DOCX), Excel (XLSX) or ODT file")

    def __init__(self, *args, answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = {str(a.pk): a for a in answers}
        self.fields["answer"].choices = [("", "The self-assessment as a whole")] + [
            (str(a.pk), a.area.title) for a in answers
        ]
        self.helper = _helper(Field.text("title"), Field.select("answer"), Field("file"), button="Upload the document")
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def clean_answer(self):
        value = self.cleaned_data.get("answer")
        if not value:
            return None
        if value not in self.answers:
            raise forms.ValidationError("Select an area of this self-assessment")
        return self.answers[value]


# --- peer challenge -------------------------------------------------------------------------------


class ChallengeForm(forms.Form):
    starts_on = _date_field("First day on site", "For example, 17/10/2011", "Enter the first day on site")
    ends_on = _date_field("Last day on site", "For example, 19/10/2011", "Enter the last day on site")
    focus = _text(
        "What the challenge focuses on",
        rows=5,
        max_length=5000,
        help_text="The questions the authority wants tested, agreed with its DCS.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("starts_on", field_width=10),
            Field.text("ends_on", field_width=10),
            Field.textarea("focus", rows=5),
            button="Set up the peer challenge",
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day on site must be the same as or after the first")
        return data


class CancelForm(forms.Form):
    reason = _text(
        "Why is the peer challenge cancelled?",
        required=True,
        rows=4,
        max_length=5000,
        required_message="Enter why the peer challenge is cancelled",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=4), button="Cancel the peer challenge", warning=True)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        role = "DCS" if user.is_dcs else (user.job_title or "Senior officer")
        return f"{user.full_name or user.email}, {role}, {user.authority}"


class InviteForm(forms.Form):
    user = PersonChoiceField(
        queryset=None,
        label="Person to invite",
        empty_label="Select a person",
        error_messages={"required": "Select the person to invite", "invalid_choice": "Select a person from the list"},
    )
    days = forms.DecimalField(
        label="Days they give",
        min_value=0.5,
        max_value=20,
        decimal_places=1,
        help_text="Including preparation and the days on site. Counted in the reciprocity ledger.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the days they give",
            "invalid": "Enter the days as a number, like 2 or 2.5",
            "min_value": "Enter the days they give, at least half a day",
            "max_value": "One person gives at most 20 days to a peer challenge",
        },
    )

    def __init__(self, *args, people=None, given=None, year="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = people
        if given is not None:
            field.label_from_instance = lambda user: (
                f"{PersonChoiceField.label_from_instance(field, user)} "
                f"({days_text(given.get(user.pk, 0))} of 5 days given in {year})"
            )
            field.help_text = "Those whose authority has given the fewest days this year come first."
        self.helper = _helper(Field.select("user"), Field.text("days", field_width=4), button="Send the invitation")


class AnswerInvitationForm(forms.Form):
    answer = forms.ChoiceField(
        label="Will you join the team?",
        choices=[("accept", "Yes, I will join the team"), ("decline", "No, I cannot join the team")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you will join the team"},
    )
    reason = _text("Why you cannot join (optional)", rows=3, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("answer", legend_size=Size.MEDIUM), Field.textarea("reason", rows=3), button="Send your answer"
        )


class FindingForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    judgement = LevelChoiceField(
        queryset=JudgementLevel.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="The team's judgement",
        error_messages={
            "required": "Select the team's judgement",
            "invalid_choice": "Select a judgement from the scale",
        },
    )
    strengths = _text("Strengths", rows=6, max_length=10000)
    areas_for_improvement = _text(
        "Areas for improvement",
        rows=6,
        max_length=10000,
        help_text="One a line. Each may become a need in a brokered support plan.",
    )
    reasons = _text(
        "Reasons for the judgement",
        rows=5,
        max_length=10000,
        help_text="Needed when the team's judgement differs from the authority's own.",
    )

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judgement"].queryset = JudgementLevel.objects.filter(area=area).order_by("rank")
        self.helper = _helper(
            "lock_version",
            Field.radios("judgement", legend_size=Size.MEDIUM),
            Field.textarea("strengths", label_size=Size.SMALL, rows=6),
            Field.textarea("areas_for_improvement", label_size=Size.SMALL, rows=6),
            Field.textarea("reasons", label_size=Size.SMALL, rows=5),
            button="Save the finding",
        )


class RespondForm(forms.Form):
    response = _text(
        "The authority's response",
        required=True,
        rows=8,
        help_text="Whether you accept the findings, and what you will do about the areas for improvement.",
        required_message="Enter the authority's response",
    )

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        layout = [Field.textarea("response", label_size=Size.MEDIUM, rows=8)]
        for finding in self.findings:
            name = f"finding_{finding.pk}"
            self.fields[name] = forms.CharField(
                label=f"Your response on {finding.area} (optional)",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            layout.append(Field.textarea(name, rows=3))
        self.helper = _helper(*layout, button="Send the response")

    def finding_responses(self):
        return {f.pk: self.cleaned_data.get(f"finding_{f.pk}", "") for f in self.findings}


class LetterForm(forms.Form):
    letter = _text("The letter", required=True, rows=16, max_length=30000, required_message="Write the letter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("letter", label_size=Size.MEDIUM, rows=16), button="Issue the letter")


# --- brokerage, inspections, leads ----------------------------------------------------------------


class BrokerageForm(forms.Form):
    period = forms.CharField(
        label="Period of the support plan",
        max_length=7,
        validators=[validate_period],
        help_text="The financial year, for example 2011-12",
        error_messages={"required": "Enter the period, for example 2011-12"},
    )
    choices = forms.MultipleChoiceField(
        label="Which areas for improvement does the package address?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Each becomes a priority of the support plan.",
        error_messages={"required": "Select at least one area for improvement"},
    )
    providers = forms.MultipleChoiceField(
        label="Which framework providers are invited to offer?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Providers approved for brokered support. They are invited on every priority.",
        error_messages={"required": "Select at least one provider from the framework list"},
    )
    respond_by = forms.DateField(
        label="Providers respond by",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(),
        help_text="A working day, for example 27/05/2012. Leave empty for 10 working days ahead.",
        error_messages={"invalid": "Enter a real date, like 27/05/2012"},
    )
    summary = _text("What was agreed with the authority", rows=5, max_length=5000)

    def __init__(self, *args, choices=(), providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices"].choices = list(choices)
        self.fields["providers"].choices = [(str(fp.provider_id), fp.provider.name) for fp in providers]
        self.helper = _helper(
            Field.text("period", field_width=5),
            Field.checkboxes("choices", legend_size=Size.MEDIUM),
            Field.checkboxes("providers", legend_size=Size.MEDIUM, small=True),
            Field.text("respond_by", field_width=10),
            Field.textarea("summary", rows=5),
            button="Broker the support package",
        )


class InspectionForm(forms.Form):
    authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Local authority",
        to_field_name="gss_code",
        empty_label="Select an authority",
        error_messages={"required": "Select the local authority", "invalid_choice": "Select the local authority"},
    )
    inspectorate = forms.CharField(
        max_length=100, initial="Ofsted", error_messages={"required": "Enter the inspectorate"}
    )
    title = forms.CharField(
        label="Inspection",
        max_length=200,
        help_text="For example, Inspection of safeguarding and looked after children services",
        error_messages={"required": "Enter the name of the inspection"},
    )
    published_on = _date_field("Report published", "For example, 14/06/2011", "Enter the date the report was published")
    overall = forms.ChoiceField(
        label="Overall effectiveness",
        choices=InspectionRecord.Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the overall judgement"},
    )
    summary = _text("Summary", rows=4, max_length=10000)
    areas_for_improvement = _text(
        "Areas for improvement",
        required=True,
        rows=6,
        max_length=10000,
        help_text="One a line, as the report gives them.",
        required_message="Enter the areas for improvement, one a line",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("authority"),
            Field.text("inspectorate", field_width=20),
            Field.text("title"),
            Field.text("published_on", field_width=10),
            Field.radios("overall", legend_size=Size.SMALL, small=True),
            Field.textarea("summary", rows=4),
            Field.textarea("areas_for_improvement", rows=6),
            button="Record the inspection",
        )


class LeadForm(forms.Form):
    user = PersonChoiceField(
        queryset=None,
        label="Appoint a regional lead",
        empty_label="Select a DCS or an administrator",
        error_messages={"required": "Select the person to appoint", "invalid_choice": "Select a person from the list"},
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name or u.email}, {'DCS of ' + str(u.authority) if u.authority_id else 'administrator'}"
        )
        self.helper = _helper(Field.select("user"), button="Appoint")


class YearRegionForm(forms.Form):
    """The ledger's and overview's filter (GET)."""

    year = forms.ChoiceField(label="Year")
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="England (every region)",
        label="Region",
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
        self.helper = _helper(Field.select("year"), Field.select("region"), button="Show", secondary=True, method="get")
