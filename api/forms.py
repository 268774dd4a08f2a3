"""The administrator's form to issue an API token."""

from django import forms
from django.conf import settings

from .models import ApiToken


class IssueTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
        help_text="How many days the token works for.",
        error_messages={"required": "Enter how many days the token works for"},
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]
