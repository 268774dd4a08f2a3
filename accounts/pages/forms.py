"""Forms for people, invitations, access requests and a person's own account, with GOV.UK error
messages (crispy-forms-gds)."""

import csv
import io

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation

from .. import people
from ..models import ORGANISATION_OF_ROLE, Role, User

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
}
#: Advice shown under the new-password field.
CHOOSING_HINT = (
    "At least 12 characters. A few unrelated words are easy to remember and hard to guess, for example "
    "“harbour lantern violet”. Do not use your name or email address."
)


def helper(*fields, button, form_tag=True):
    h = FormHelper()
    h.form_tag = form_tag
    h.layout = Layout(*fields, Button("submit", button))
    return h


class PeopleForm(forms.Form):
    """Role and organisation, with the choices the actor may give."""

    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    region = forms.ModelChoiceField(
        label="Region",
        help_text="For a Children's Services Adviser, a GO director or a regional administrator",
        queryset=None,
        required=False,
        empty_label="Select a region",
        error_messages={"invalid_choice": "Select a region from the list"},
    )
    authority = forms.ModelChoiceField(
        label="Local authority",
        help_text="For a Director of Children's Services or a local authority officer",
        queryset=None,
        required=False,
        empty_label="Select a local authority",
        error_messages={"invalid_choice": "Select a local authority from the list"},
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        help_text="For a provider adviser",
        queryset=None,
        required=False,
        empty_label="Select a provider",
        error_messages={"invalid_choice": "Select a provider from the list"},
    )
    ORGANISATION_ERRORS = {
        "region": "Select the region this person belongs to",
        "authority": "Select the local authority this person belongs to",
        "provider": "Select the provider this person advises for",
    }

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = people.invitable_roles(actor)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["region"].queryset = people.regions_for(actor)
        self.fields["authority"].queryset = people.authorities_for(actor).order_by("name")
        self.fields["provider"].queryset = people.providers_for(actor).order_by("name")
        needed = {ORGANISATION_OF_ROLE.get(r) for r in roles} | ({"region"} if Role.ADMIN in roles else set())
        for name in ("region", "authority", "provider"):
            if name not in needed:
                del self.fields[name]
        if "region" in self.fields and not people.is_system_admin(actor):
            self.fields["region"].initial = actor.region_id
            if Role.ADMIN not in roles:
                self.fields["region"].help_text = "For a Children's Services Adviser"
        if people.is_system_admin(actor) and "region" in self.fields:
            self.fields["region"].help_text += " (leave empty for an administrator of the whole service)"

    def organisation_fields(self):
        return [Field.select(name) for name in ("region", "authority", "provider") if name in self.fields]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        needed = ORGANISATION_OF_ROLE.get(role) if role else None
        if needed and needed in self.fields and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, self.ORGANISATION_ERRORS[needed])
        return data

    def organisation(self):
        return {name: self.cleaned_data.get(name) for name in ("region", "authority", "provider")}


class InviteForm(PeopleForm):
    email = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS)
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    field_order = ["full_name", "email", "role", "region", "authority", "provider"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.helper = helper(
            Field.text("full_name", field_width=20),
            Field.text("email", field_width=20),
            Field.radios("role", legend_size=Size.MEDIUM),
            *self.organisation_fields(),
            button="Send invitation",
        )


class ChangeRoleForm(PeopleForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role not in dict(self.fields["role"].choices):
            self.fields["role"].choices = [(user.role, user.role_label), *self.fields["role"].choices]
        self.helper = helper(
            Field.radios("role", legend_size=Size.MEDIUM), *self.organisation_fields(), button="Save changes"
        )


class ConfirmForm(forms.Form):
    """A button: "Switch off the account", "Cancel the invitation"..."""

    def __init__(self, *args, button, warning=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Button("submit", button, css_class="govuk-button--warning" if warning else ""))


# --- bulk invitations -----------------------------------------------------------------------------

CSV_COLUMNS = ("email", "name", "role", "organisation")
MAX_IMPORT_ROWS = 500


class ImportForm(forms.Form):
    upload = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: email, name, role, organisation. Role is one of csa, go_director, dcs, la_officer, "
            "provider_adviser, national, admin. Organisation is the region's short name (like north-east) "
            "for GO staff, the authority's GSS code (like E08000021) for its DCS and officers, and the "
            "provider's abbreviation (like TfC) for its advisers."
        ),
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("upload"), button="Check the file", form_tag=False)

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file must be a CSV file saved as UTF-8") from error
        rows = list(csv.reader(io.StringIO(text)))
        if not rows or [c.strip().lower() for c in rows[0]][:4] != list(CSV_COLUMNS):
            raise forms.ValidationError("The first row must be the column names: email, name, role, organisation")
        body = [r for r in rows[1:] if any(c.strip() for c in r)]
        if not body:
            raise forms.ValidationError("The file has no people to invite")
        if len(body) > MAX_IMPORT_ROWS:
            raise forms.ValidationError(f"The file can have at most {MAX_IMPORT_ROWS} people")
        return [[c.strip() for c in (r + [""] * 4)[:4]] for r in body]


# --- access requests ------------------------------------------------------------------------------


class AccessRequestForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter your full name"})
    email = forms.EmailField(
        label="Work email address",
        help_text="We will send the invitation to this address",
        error_messages=EMAIL_ERRORS,
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    reason = forms.CharField(
        label="What will you use the portal for? (optional)",
        help_text="For example, the authorities or plans you work on with the Government Office",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Reason must be 1000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"
        self.helper = helper(
            Field.text("full_name", field_width=20),
            Field.text("email", field_width=20),
            Field.text("job_title", field_width=20),
            Field.textarea("reason", max_characters=1000),
            button="Ask for access",
        )


# --- passwords ------------------------------------------------------------------------------------


class NewPasswordMixin:
    """GOV.UK wording for Django's set-password fields."""

    def style_new_password(self):
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = CHOOSING_HINT
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm your new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter your new password again"
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"


class AcceptInvitationForm(NewPasswordMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter your full name"})
    new_password1 = forms.CharField(strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["full_name"].initial = invitation.full_name
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.style_new_password()
        self.helper = helper(
            Field.text("full_name", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            button="Create account",
        )

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "The passwords do not match")
        elif one:
            probe = User(email=self.invitation.email, full_name=data.get("full_name") or self.invitation.full_name)
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class ChangePasswordForm(NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not correct. Enter it again",
        "password_mismatch": "The passwords do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.style_new_password()
        self.helper = helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            button="Change password",
        )


class ResetPasswordForm(NewPasswordMixin, auth_forms.SetPasswordForm):
    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_new_password()
        self.helper = helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            button="Set password",
        )


class ForgotPasswordForm(auth_forms.PasswordResetForm):
    """Django's reset form, GOV.UK-styled; the email is queued through ``core.notify`` (after commit,
    by the worker) instead of sent from the request."""

    email = forms.EmailField(label="Email address", max_length=254, error_messages=EMAIL_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = helper(Field.text("email", field_width=20), button="Send me a reset link")

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from django.utils import timezone

        from core.notify import queue_email

        user = context["user"]
        queue_email(
            key=f"password-reset:{user.pk}:{timezone.now().timestamp():.3f}",
            recipients=[to_email],
            subject="Reset your JISP portal password",
            template=email_template_name,
            context=context,
        )


def password_is_right(request, user, password):
    """Check the password through the sign-in backends, so wrong guesses count towards the lockout
    (django-axes) and are in the audit log, as at sign-in."""
    from django.contrib.auth import authenticate

    found = authenticate(request, username=user.email, password=password)
    return found is not None and found.pk == user.pk


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.helper = helper(Field.text("password", field_width=20), button="Continue")

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.request.user, password):
            raise forms.ValidationError("Your password is not correct. Enter it again")
        return password


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(label="New email address", error_messages=EMAIL_ERRORS)
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = helper(
            Field.text("email", field_width=20),
            Field.text("password", field_width=20),
            button="Send a confirmation link",
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.user, password):
            raise forms.ValidationError("Your password is not correct. Enter it again")
        return password

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email.lower():
            raise forms.ValidationError("Enter a different email address from your current one")
        return email


class SessionsForm(forms.Form):
    """No fields: the button that signs out every other session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Button("submit", "Sign out of all other sessions", css_class="govuk-button--secondary")
        )


__all__ = [
    "AcceptInvitationForm",
    "AccessRequestForm",
    "ChangeEmailForm",
    "ChangePasswordForm",
    "ChangeRoleForm",
    "ConfirmForm",
    "ConfirmPasswordForm",
    "ForgotPasswordForm",
    "ImportForm",
    "InviteForm",
    "ResetPasswordForm",
    "SessionsForm",
]
