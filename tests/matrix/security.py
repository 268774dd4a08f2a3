"""Matrix rows for the security pages: the audit log (administrators only, 404 for everyone else)
and two-factor sign-in (every signed-in user may set it up; with no device, "enter your code" sends
them to set-up). Conftest turns the required roles off, so nobody here is forced through 2FA."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.matrix import Case, everyone


def _no_device_made(w, o, role, response):
    assert not TOTPDevice.objects.exists(), f"{role}: a refused code must not create a device"


def _admin_sees_events(w, o, role, response):
    if role == "admin":
        assert AuditEvent.objects.exists()
        assert "Audit log" in response.content.decode()


CASES = [
    Case(
        "audit log",
        "accounts:audit_log",
        lambda w, o: reverse("accounts:audit_log"),
        everyone(404, admin=200),
        then=_admin_sees_events,
    ),
    Case(
        "audit log filtered",
        "accounts:audit_log",
        lambda w, o: reverse("accounts:audit_log") + f"?action=signed_in&actor={w.csa.pk}",
        everyone(404, admin=200),
    ),
    Case(
        "two-factor code page (no device: sent to set-up)",
        "accounts:two_factor_verify",
        lambda w, o: reverse("accounts:two_factor_verify"),
        everyone(302),
    ),
    Case(
        "two-factor code, posted without a device",
        "accounts:two_factor_verify",
        lambda w, o: reverse("accounts:two_factor_verify"),
        everyone(302),
        method="post",
        data=lambda w, o: {"code": "123456"},
        then=_no_device_made,
    ),
    Case(
        "two-factor set-up page",
        "accounts:two_factor_setup",
        lambda w, o: reverse("accounts:two_factor_setup"),
        everyone(200),
        then=_no_device_made,
    ),
    Case(
        "two-factor set-up with a malformed code",
        "accounts:two_factor_setup",
        lambda w, o: reverse("accounts:two_factor_setup"),
        everyone(200),
        method="post",
        data=lambda w, o: {"code": "abcdef"},
        then=_no_device_made,
    ),
]
