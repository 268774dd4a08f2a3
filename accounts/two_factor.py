"""Two-factor sign-in with an authenticator app (django-otp, TOTP).

Required for the roles in ``settings.TWO_FACTOR_REQUIRED_ROLES`` (administrators and GO directors by
default) and, once they have set it up, for anyone else who chose to. ``TwoFactorRequiredMiddleware``
(``accounts.middleware``) sends a signed-in user who must verify to ``two_factor_verify`` — or, with
no confirmed device yet, to ``two_factor_setup``.

A password alone never enrols a device:

- For a role that requires two-factor sign-in, the first device is set up only with a grant in the
  session: from the invitation link (the invitee sets their password and then their device) or from
  a one-time set-up link an administrator sends (``accounts.services.send_two_factor_link``, or
  ``manage.py two_factor_link`` for the first administrator). Without one, the set-up page says to
  ask for a link.
- For other roles, turning it on asks for the password again (``recent_password_required``).
- A user who has a confirmed device but has not verified this session can never reach the set-up
  page to replace it; replacing or removing a device takes a current code (and a recent password).

The user is emailed whenever a device is added or removed (``accounts.credentials``).
"""

from __future__ import annotations

import time
from base64 import b32encode
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.actions import form_page, posted, submit

from . import audit
from .models import AuditEvent, Role
from .sessions import recent_password_required, recently_authenticated

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    from .http import SignedInRequest

#: Session key set at sign-in when the user has a confirmed device (so the middleware needs no query).
ENROLLED_SESSION_KEY = "two_factor_enrolled"
DEVICE_NAME = "Authenticator app"
#: Session keys of the grants: may set up a first device (from an invitation or a set-up link); may
#: replace the device (after a current code). Each is {"user": pk, "until": unix time}.
SETUP_GRANT = "two_factor_setup_grant"
REPLACE_GRANT = "two_factor_replace_grant"
GRANT_SECONDS = 60 * 60


def grant(request: HttpRequest, kind: str, user: User, seconds: int = GRANT_SECONDS) -> None:
    request.session[kind] = {"user": user.pk, "until": int(time.time()) + seconds}


def has_grant(request: HttpRequest, kind: str) -> bool:
    value = request.session.get(kind) or {}
    return value.get("user") == request.user.pk and value.get("until", 0) >= time.time()


def required_for_role(user: User) -> bool:
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return user.role in roles or (user.is_superuser and Role.ADMIN in roles)


def must_verify(request: HttpRequest) -> bool:
    """True when this signed-in request has to pass a code before anything else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's OTPMiddleware
    if is_verified is None or is_verified():
        return False
    return required_for_role(user) or bool(request.session.get(ENROLLED_SESSION_KEY))


def confirmed_device(user: User | AnonymousUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@receiver(user_logged_in, dispatch_uid="two_factor_enrolled_flag")
def _remember_enrolment(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        request.session[ENROLLED_SESSION_KEY] = enrolled


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device`` (used by ``demo_totp``)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(value).zfill(device.digits)


def base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def safe_next(request: HttpRequest, default: str = "accounts:dashboard") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, for example 123456",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(
        self, *args: Any, device: TOTPDevice | PendingDevice | None = None, submit: str = "Continue", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.device = device
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.text("code", field_width=5), Button("submit", submit))

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not (code.isdigit() and len(code) == 6 and code.isascii()):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app, like 123456")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("code")
        if not code or self.device is None:
            return data
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            self.add_error(
                "code",
                "You have entered too many wrong codes. Wait a minute or two, then enter the code your app shows",
            )
        elif not self.device.verify_token(code):
            self.add_error(
                "code",
                "The code is not correct or has expired. Enter the code your authenticator app shows now",
            )
        return data


def _signed_in(
    request: SignedInRequest,
    device: TOTPDevice,
    *,
    action: str = AuditEvent.Action.TWO_FACTOR_VERIFIED,
    summary: str = "passed two-factor sign-in",
) -> None:
    """The code was right: the session is verified with ``device`` (and remembered as enrolled)."""
    otp_login(request, device)
    request.session[ENROLLED_SESSION_KEY] = True
    user = request.user
    audit.record(action, actor=user, request=request, obj=user, summary=f"{user.email} {summary}")


@never_cache
@sensitive_post_parameters("code")
def verify(request: SignedInRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': safe_next(request)})}")
    if request.user.is_verified():
        return redirect(safe_next(request))
    outcome = submit(
        request,
        CodeForm(posted(request), device=device),
        lambda data: _signed_in(request, device),
        then=safe_next(request),
    )
    if outcome.response:
        return outcome.response
    if request.method == "POST":
        audit.record(
            AuditEvent.Action.TWO_FACTOR_FAILED,
            actor=request.user,
            request=request,
            obj=request.user,
            summary=f"{request.user.email} entered a wrong two-factor code",
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": outcome.form, "title": "Enter your code", "caption": "Two-factor sign-in", "next": safe_next(request)},
    )


class PendingDevice:
    """The key being set up, kept in the session until the user proves their app has it: looking at
    the set-up page changes no table, and an abandoned set-up leaves nothing behind."""

    SESSION_KEY = "two_factor_pending_key"

    def __init__(self, request: HttpRequest) -> None:
        key = request.session.get(self.SESSION_KEY)
        if not key:
            key = default_key()
            request.session[self.SESSION_KEY] = key
        self.request = request
        self.device = TOTPDevice(user=request.user, name=DEVICE_NAME, key=key, confirmed=False)

    def verify_token(self, code: str) -> bool:
        totp_ = TOTP(self.device.bin_key, self.device.step, self.device.t0, self.device.digits, 0)
        totp_.time = time.time()
        if not totp_.verify(int(code), self.device.tolerance):
            return False
        self.device.drift = totp_.drift
        self.device.last_t = totp_.t()
        return True

    def verify_is_allowed(self) -> tuple[bool, None]:
        return True, None

    def confirm(self) -> TOTPDevice:
        self.device.confirmed = True
        self.device.save()
        self.request.session.pop(self.SESSION_KEY, None)
        return self.device


def _enrol_allowed(request: SignedInRequest) -> HttpResponse | None:
    """None if the user may set up a first device now, else the response that says what to do."""
    if has_grant(request, SETUP_GRANT):
        return None
    if required_for_role(request.user):
        return render(request, "accounts/two_factor_needs_link.html", {"title": "Ask for a set-up link"})
    if not recently_authenticated(request):
        return redirect(f"{reverse('accounts:confirm_password')}?{urlencode({'next': request.get_full_path()})}")
    return None


@never_cache
@sensitive_post_parameters("code")
def setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    existing = confirmed_device(user)
    replacing = existing is not None and user.is_verified() and has_grant(request, REPLACE_GRANT)
    if existing is not None and not replacing:
        if not user.is_verified():
            # Never let an unverified session replace the device: verify first.
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': safe_next(request)})}")
        return render(
            request, "accounts/two_factor_status.html", {"device": existing, "required": required_for_role(user)}
        )
    if existing is None:
        refused = _enrol_allowed(request)
        if refused is not None:
            return refused
    pending = PendingDevice(request)

    def enrol(data: dict[str, Any]) -> None:
        if replacing:
            for old in TOTPDevice.objects.filter(user=user):
                old.delete()  # audited and emailed (accounts.audit, accounts.credentials)
        _signed_in(
            request,
            pending.confirm(),
            action=AuditEvent.Action.TWO_FACTOR_ENROLLED,
            summary="replaced their two-factor device" if replacing else "set up two-factor sign-in",
        )
        request.session.pop(SETUP_GRANT, None)
        request.session.pop(REPLACE_GRANT, None)

    outcome = submit(
        request,
        CodeForm(posted(request), device=pending, submit="Use this app" if replacing else "Turn on two-factor sign-in"),
        enrol,
        success="Your new authenticator app is set up. Use its codes from now on."
        if replacing
        else "Two-factor sign-in is on. You will be asked for a code each time you sign in.",
        then=safe_next(request),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": outcome.form,
            "title": "Set up your new authenticator app" if replacing else "Set up two-factor sign-in",
            "caption": "Two-factor sign-in",
            "secret": grouped(base32_secret(pending.device)),
            "config_url": pending.device.config_url,
            "required": required_for_role(user),
            "replacing": replacing,
        },
    )


def _current_code_page(
    request: SignedInRequest, *, title: str, lead: str, button: str, done: Callable[[TOTPDevice], Any], **outcome: Any
) -> HttpResponse:
    """A page asking for a code from the current device; ``done(device)`` on a right one, then the
    ``success`` banner and ``then`` (``core.actions.submit``)."""
    device = confirmed_device(request.user)
    if device is None or not request.user.is_verified():
        return redirect(reverse("accounts:two_factor_setup"))
    result = submit(
        request, CodeForm(posted(request), device=device, submit=button), lambda data: done(device), **outcome
    )
    if result.response:
        return result.response
    if request.method == "POST":
        audit.record(
            AuditEvent.Action.TWO_FACTOR_FAILED,
            actor=request.user,
            request=request,
            obj=request.user,
            summary=f"{request.user.email} entered a wrong two-factor code",
        )
    return form_page(
        request,
        result.form,
        title=title,
        caption="Two-factor sign-in",
        lead=lead,
        cancel_url=reverse("accounts:two_factor_setup"),
        crumbs=[("Your account", reverse("accounts:account")), (title, None)],
    )


@never_cache
@sensitive_post_parameters("code")
@recent_password_required
def replace(request: SignedInRequest) -> HttpResponse:
    """Replace the authenticator app: a code from the current one first, then the new one's set-up."""

    def done(device: TOTPDevice) -> None:
        grant(request, REPLACE_GRANT, request.user, seconds=15 * 60)
        request.session.pop(PendingDevice.SESSION_KEY, None)

    return _current_code_page(
        request,
        title="Replace your authenticator app",
        lead="Enter a code from the app you use now. Then you will set up the new one; the old one stops working.",
        button="Continue",
        done=done,
        then=reverse("accounts:two_factor_setup"),
    )


@never_cache
@sensitive_post_parameters("code")
@recent_password_required
def remove(request: SignedInRequest) -> HttpResponse:
    """Turn two-factor sign-in off (only for roles that do not require it), with a current code."""
    if required_for_role(request.user):
        messages.error(request, "Your role needs two-factor sign-in: you can replace your app but not turn it off.")
        return redirect(reverse("accounts:two_factor_setup"))

    def done(device: TOTPDevice) -> None:
        for old in TOTPDevice.objects.filter(user=request.user):
            old.delete()
        request.session[ENROLLED_SESSION_KEY] = False

    return _current_code_page(
        request,
        title="Turn off two-factor sign-in",
        lead="Enter a code from your authenticator app to turn two-factor sign-in off.",
        button="Turn off two-factor sign-in",
        done=done,
        success="Two-factor sign-in is off. You will sign in with your password only.",
        then=reverse("accounts:account"),
    )


@login_not_required
@never_cache
def link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An administrator's one-time set-up link (``accounts.services.send_two_factor_link``). A good
    link puts a set-up grant in the session and goes on: to the set-up page if its user is signed in
    here, else to sign in first (with the password; then the set-up page). The token is never kept
    in the address bar."""
    from .models import User
    from .tokens import decode_id, two_factor_setup_tokens

    pk = decode_id(uidb64)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None or not two_factor_setup_tokens.check_token(user, token):
        return render(request, "accounts/two_factor_link_invalid.html", {"title": "This link does not work"})
    if request.user.is_authenticated and request.user.pk != user.pk:
        return render(request, "accounts/invitation/signed_in.html", {"title": "You are signed in as someone else"})
    request.session[SETUP_GRANT] = {"user": user.pk, "until": int(time.time()) + GRANT_SECONDS}
    setup_url = reverse("accounts:two_factor_setup")
    if request.user.is_authenticated:
        return redirect(setup_url)
    messages.info(request, "Sign in with your email address and password. Then set up your authenticator app.")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': setup_url})}")
