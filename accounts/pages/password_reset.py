"""“Forgot your password?”: Django's reset flow (``PasswordResetView`` and friends, its token
generator) on GOV.UK pages.

- The same answer whether or not the email has an account (and whether or not it was throttled).
- Throttled: a few requests per email address and per network address an hour
  (``accounts.throttling``); past the address limit the page says to try later, past the email
  limit nothing more is sent, silently.
- Setting the new password ends every session of the account, emails the person (as every password
  change does) and clears the sign-in lockout.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from .. import audit, throttling
from ..models import AuditEvent, User
from ..services import end_sessions
from .forms import ForgotPasswordForm, ResetPasswordForm

#: Reset requests allowed per hour: per email address, per network address.
PER_EMAIL_PER_HOUR = 3
PER_ADDRESS_PER_HOUR = 20


@method_decorator(login_not_required, name="dispatch")
class ForgotPasswordView(auth_views.PasswordResetView):
    template_name = "accounts/password/forgot.html"
    form_class = ForgotPasswordForm
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form):
        ip = audit.client_ip(self.request) or "unknown"
        if not throttling.allow("password-reset-address", ip, PER_ADDRESS_PER_HOUR, 3600):
            form.add_error(None, "There have been too many requests from your network. Wait an hour, then try again.")
            return self.form_invalid(form)
        email = form.cleaned_data["email"].strip().lower()
        if not throttling.allow("password-reset-email", email, PER_EMAIL_PER_HOUR, 3600):
            return self._sent()  # the same page: nothing more is sent to this address for now
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        audit.record(
            AuditEvent.Action.PASSWORD_RESET_REQUESTED,
            actor=None,
            request=self.request,
            object_type="accounts.user" if user else "",
            object_id=str(user.pk) if user else "",
            summary=f"Password reset asked for {email}",
            details={"email": email, "account": bool(user)},
        )
        return super().form_valid(form)

    def _sent(self):
        return redirect(self.success_url)


@method_decorator(login_not_required, name="dispatch")
class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_sent.html"


@method_decorator(login_not_required, name="dispatch")
class ResetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password/reset.html"
    form_class = ResetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_done")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        end_sessions(user)
        throttling.clear_lockout(user.email)
        audit.record(
            AuditEvent.Action.PASSWORD_CHANGED,
            actor=user,
            request=self.request,
            obj=user,
            summary=f"{user.email} set a new password from a reset link (every session ended)",
        )
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password/reset_done.html"
