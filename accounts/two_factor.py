"""Two-factor sign-in with an authenticator app (django-otp, TOTP).

Required for the roles in ``settings.TWO_FACTOR_REQUIRED_ROLES`` (administrators and GO directors by
default) and, once they have set it up, for anyone else who chose to. ``TwoFactorRequiredMiddleware``
(``accounts.middleware``) sends a signed-in user who must verify to ``two_factor_verify`` — or, with
no confirmed device yet, to ``two_factor_setup``.

A user who has a confirmed device but has not verified this session can never reach the set-up page
to replace it: a stolen password alone does not let anyone enrol their own phone.
"""

from __future__ import annotations

import time
from base64 import b32encode
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
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

from core.actions import posted, submit

from . import audit
from .models import AuditEvent, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    from .http import SignedInRequest

#: Session key set at sign-in when the user has a confirmed device (so the middleware needs no query).
ENROLLED_SESSION_KEY = "two_factor_enrolled"
DEVICE_NAME = "Authenticator app"


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


@never_cache
@sensitive_post_parameters("code")
def setup(request: SignedInRequest) -> HttpResponse:
    user = request.user
    existing = confirmed_device(user)
    if existing is not None:
        if not user.is_verified():
            # Never let an unverified session replace the device: verify first.
            return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': safe_next(request)})}")
        return render(
            request, "accounts/two_factor_status.html", {"device": existing, "required": required_for_role(user)}
        )
    pending = PendingDevice(request)
    outcome = submit(
        request,
        CodeForm(posted(request), device=pending, submit="Turn on two-factor sign-in"),
        lambda data: _signed_in(
            request,
            pending.confirm(),
            action=AuditEvent.Action.TWO_FACTOR_ENROLLED,
            summary="set up two-factor sign-in",
        ),
        success="Two-factor sign-in is on. You will be asked for a code each time you sign in.",
        then=safe_next(request),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": outcome.form,
            "title": "Set up two-factor sign-in",
            "caption": "Two-factor sign-in",
            "secret": grouped(base32_secret(pending.device)),
            "config_url": pending.device.config_url,
            "required": required_for_role(user),
        },
    )
