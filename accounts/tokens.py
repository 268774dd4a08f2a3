"""Links that prove who followed them, made with Django's own token machinery
(``PasswordResetTokenGenerator``: an HMAC of the object's state with the SECRET_KEY, and a
timestamp), never a home-made token.

- ``invitation_tokens``: the link in an invitation email. Its hash includes whether the invitation
  was accepted or cancelled and when it was last sent, so it works once, stops when the invitation
  is cancelled, and an older email's link stops when the invitation is sent again. Its expiry is the
  invitation's own ``expires_at`` (7 days), not ``PASSWORD_RESET_TIMEOUT``.
- ``two_factor_setup_tokens``: the one-time link an administrator sends for a first (or
  replacement) two-factor device. Its hash includes the user's password and confirmed devices, so it
  stops working once a device is set up; it expires after ``TWO_FACTOR_LINK_HOURS``.

The object is named in the link by ``urlsafe_base64_encode`` of its id.
"""

from datetime import datetime
from typing import Any, cast

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

#: How long an administrator's two-factor set-up link works.
TWO_FACTOR_LINK_HOURS = 72


def encode_id(pk: int) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


def decode_id(value: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(value)))
    except (TypeError, ValueError, OverflowError):
        return None


class _TokenGenerator(PasswordResetTokenGenerator):
    #: Seconds a token lives; None: the object decides (``check_token`` only checks the HMAC).
    max_age: int | None = None

    def make_token(self, obj: Any) -> str:
        """A token for ``obj`` (an invitation, or a user)."""
        return super().make_token(cast(Any, obj))

    def check_token(self, obj: Any, token: str | None) -> bool:
        if not (obj and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(obj, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self.max_age is None or (self._num_seconds(self._now()) - ts) <= self.max_age


def _stamp(value: datetime | None) -> str:
    return "" if value is None else f"{value.timestamp():.6f}"


class InvitationTokenGenerator(_TokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, invitation: Any, timestamp: int) -> str:
        return (
            f"{invitation.pk}|{invitation.email}|{invitation.role}|{_stamp(invitation.sent_at)}|"
            f"{_stamp(invitation.accepted_at)}|{_stamp(invitation.cancelled_at)}|{timestamp}"
        )


class TwoFactorSetupTokenGenerator(_TokenGenerator):
    key_salt = "accounts.tokens.TwoFactorSetupTokenGenerator"
    max_age = TWO_FACTOR_LINK_HOURS * 3600

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        devices = ",".join(
            str(pk)
            for pk in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values_list("pk", flat=True)
        )
        return f"{user.pk}|{user.password}|{user.is_active}|{devices}|{timestamp}"


invitation_tokens = InvitationTokenGenerator()
two_factor_setup_tokens = TwoFactorSetupTokenGenerator()
