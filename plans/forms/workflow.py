"""Plan forms: workflow — confirmations, the DCS's decision and the authority's comments."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms


def _helper(*fields, button, secondary=False, warning=False):
    helper = FormHelper()
    items = list(fields)
    kwargs = {}
    if secondary:
        kwargs["css_class"] = "govuk-button--secondary"
    if warning:
        kwargs["css_class"] = "govuk-button--warning"
    items.append(Submit("submit", button, **kwargs))
    helper.layout = Layout(*items)
    return helper


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in: the button is the decision."""

    def __init__(self, *args, button="Continue", warning=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(button=button, warning=warning)


class RequestChangesForm(forms.Form):
    comments = forms.CharField(
        label="What needs to change?",
        help_text="Your Children's Services Adviser will see this and revise the plan with the providers.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter the changes you want made to the plan"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("comments", label_size=Size.MEDIUM), button="Request changes")


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": "Confirm that you approve this version of the plan"},
    )

    def __init__(self, *args, jisp=None, **kwargs):
        super().__init__(*args, **kwargs)
        if jisp is not None:
            self.fields["confirm"].label = (
                f"I approve version {jisp.version} of the {jisp.authority} Joint Improvement Support Plan "
                f"{jisp.period} as shown"
            )
            self.initial.setdefault("version", jisp.version)
            self.initial.setdefault("lock_version", jisp.lock_version)
        self.helper = _helper("version", "lock_version", Field.checkbox("confirm"), button="Approve the plan")


class CommentForm(forms.Form):
    target = forms.ChoiceField(
        label="What is your comment about?",
        error_messages={"required": "Select what your comment is about", "invalid_choice": "Select a row of this plan"},
    )
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "Select a row"), ("plan", "The plan as a whole"), *choices]
        self.helper = _helper(
            Field.select("target"), Field.textarea("body", label_size=Size.SMALL), button="Add comment"
        )


__all__ = ["ApproveForm", "CommentForm", "ConfirmForm", "RequestChangesForm"]
