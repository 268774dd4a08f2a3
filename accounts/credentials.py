"""A person's credentials: emails whenever their password, email address or two-factor device
changes (from signals, so a change made anywhere — their own pages, a reset link, an administrator
in the Django admin, the shell — is told), and changing one's own email address with a confirmation
link sent to the new address.

Each email goes to the address the account had at the time of the change; an email-address change
is told to the old address and the new.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from . import audit
from .models import AuditEvent, User

EMAIL_CHANGE_SALT = "accounts.credentials.email-change"
EMAIL_CHANGE_HOURS = 24


def _stamp() -> str:
    return f"{timezone.now().timestamp():.6f}"


def _tell(
    user: User, *, event: str, subject: str, template: str, recipients: list[str] | None = None, **context: Any
) -> None:
    queue_email(
        key=f"credentials:{event}:{user.pk}:{_stamp()}",
        recipients=recipients or [user.email],
        subject=subject,
        template=template,
        context={"user": user, "when": timezone.localtime(), **context},
    )


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="credentials_user_changed")
def on_user_saved(sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """The password or email changed (``_audit_before`` is what ``accounts.audit`` read before the save)."""
    before = getattr(instance, "_audit_before", None)
    if raw or created or not before:
        return
    if before["password"] and before["password"] != instance.password:
        _tell(
            instance,
            event="password",
            subject="Your JISP portal password has been changed",
            template="accounts/email/password_changed.txt",
        )
    if before["email"] and before["email"].lower() != instance.email.lower():
        _tell(
            instance,
            event="email",
            subject="Your JISP portal email address has been changed",
            template="accounts/email/email_changed.txt",
            recipients=[before["email"], instance.email],
            old_email=before["email"],
        )


@receiver(post_save, sender=TOTPDevice, dispatch_uid="credentials_device_added")
def on_device_saved(sender: Any, instance: TOTPDevice, created: bool, raw: bool = False, **kwargs: Any) -> None:
    was_confirmed = getattr(instance, "_was_confirmed", False)
    if raw or not instance.confirmed or (not created and was_confirmed):
        return
    _tell(
        instance.user,
        event=f"device-added-{instance.pk}",
        subject="Two-factor sign-in set up on your JISP portal account",
        template="accounts/email/device_added.txt",
        device=instance,
    )


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="credentials_device_removed")
def on_device_removed(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    if not instance.confirmed:
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:
        return
    _tell(
        user,
        event=f"device-removed-{instance.pk}",
        subject="Two-factor device removed from your JISP portal account",
        template="accounts/email/device_removed.txt",
        device=instance,
    )


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="credentials_device_before")
def _remember_confirmed(sender: Any, instance: TOTPDevice, raw: bool = False, **kwargs: Any) -> None:
    instance._was_confirmed = (
        not raw and instance.pk is not None and TOTPDevice.objects.filter(pk=instance.pk, confirmed=True).exists()
    )


# --- changing one's own email address -------------------------------------------------------------


def email_change_token(user: User, email: str) -> str:
    return signing.dumps({"user": user.pk, "from": user.email, "to": email}, salt=EMAIL_CHANGE_SALT)


def request_email_change(*, actor: User, email: str) -> str:
    """Email a confirmation link to the new address (the change happens when it is followed)."""
    email = email.strip().lower()  # an address another account uses is not revealed: its link will not work
    link = absolute_url(reverse("accounts:email_confirm", args=[email_change_token(actor, email)]))
    queue_email(
        key=f"email-change:{actor.pk}:{_stamp()}",
        recipients=[email],
        subject="Confirm your new email address for the JISP portal",
        template="accounts/email/email_confirm.txt",
        context={"user": actor, "link": link, "hours": EMAIL_CHANGE_HOURS, "email": email},
    )
    return email


def confirm_email_change(*, actor: User, token: str) -> User:
    """Follow the link: the signed-in user's email becomes the new address, once."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_HOURS * 3600)
    except signing.BadSignature as error:
        raise ServiceError("This link has expired or is not valid. Ask for a new one.", field="__all__") from error
    if data.get("user") != actor.pk:
        raise ServiceError("This link is for another account. Sign in as that person to use it.", field="__all__")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.email != data.get("from"):
            raise ServiceError("This link has already been used.", field="__all__")
        if User.objects.filter(email__iexact=data["to"]).exclude(pk=user.pk).exists():
            raise ServiceError("Another account already uses this email address.", field="__all__")
        user.email = data["to"]
        audit.recorded_by_service(user)
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError as error:
            raise ServiceError("Another account already uses this email address.", field="__all__") from error
        audit.record(
            AuditEvent.Action.EMAIL_CHANGED,
            actor=user,
            request=audit._current_request(),
            obj=user,
            summary=f"{data['from']} changed their email address to {data['to']}",
        )
    return user
