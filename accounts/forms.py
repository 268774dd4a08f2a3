"""Sign-in form with GOV.UK error messages."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been switched off. Contact your administrator.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )

    def clean(self) -> dict[str, Any]:
        # Attach the wrong-credentials error to the email field so the error summary links to it.
        try:
            return super().clean()
        except forms.ValidationError as error:
            self.add_error("username", error)
            return self.cleaned_data
