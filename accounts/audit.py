"""The audit log: who signed in, who failed to, who was locked out, and every change to a record
with history — written from signals, so no service has to remember to call it.

- ``django.contrib.auth`` signals: ``user_logged_in``, ``user_login_failed`` (with the email tried),
  ``user_logged_out``; django-axes' ``user_locked_out``.
- django-simple-history's ``post_create_historical_record``: every ``+``/``~``/``-`` history row of
  JISP, Priority, Need, Offer and MeetingNote (and any model that gains history later) becomes an
  event naming the model, the pk, the changed fields and the user. It is written in the same
  transaction as the change, so a rolled-back change leaves no audit line either.

Details hold field names and identifiers, never the text of the judgements themselves.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from .client_ip import client_ip as client_ip_of
from .models import AuditEvent, User

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

logger = logging.getLogger(__name__)

Action = AuditEvent.Action
HISTORY_ACTIONS = {"+": Action.CREATED, "~": Action.CHANGED, "-": Action.DELETED}
HISTORY_VERBS = {"+": "created", "~": "changed", "-": "deleted"}
SUMMARY_MAX = 300


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address (``accounts.client_ip``: ``TRUSTED_PROXY_COUNT`` proxies' hops of
    ``X-Forwarded-For``, else REMOTE_ADDR), the same one the sign-in lockout counts."""
    return client_ip_of(request)


def recorded_by_service(instance: Any) -> None:
    """A service records this account change in the audit log in its own words: the generic
    "account changed" event is not written for its next save."""
    instance._audit_recorded = True


def _current_request() -> HttpRequest | None:
    return getattr(HistoricalRecords.context, "request", None)


def record(
    action: str,
    *,
    actor: User | AnonymousUser | None = None,
    summary: str,
    request: HttpRequest | None = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. ``obj`` fills object_type/object_id from a model instance."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor if isinstance(actor, User) else None,  # an anonymous visitor is no actor
        summary=summary[:SUMMARY_MAX],
        object_type=object_type,
        object_id=object_id,
        ip_address=client_ip(request),
        details=details or {},
    )


# --- sign-in and sign-out -----------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def on_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(Action.SIGNED_IN, actor=user, request=request, obj=user, summary=f"{user.email} signed in")


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str((credentials or {}).get("username") or "").strip().lower()[:254]
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    record(
        Action.SIGN_IN_FAILED,
        actor=user,
        request=request,
        object_type="accounts.user" if user else "",
        object_id=str(user.pk) if user else "",
        summary=f"Failed sign-in for {email or '(no email)'}",
        details={"email": email},
    )


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def on_signed_out(sender: Any, request: HttpRequest, user: User | None = None, **kwargs: Any) -> None:
    if user is None:
        return
    record(Action.SIGNED_OUT, actor=user, request=request, obj=user, summary=f"{user.email} signed out")


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    email = str(username or "").strip().lower()[:254]
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    event = record(
        Action.LOCKED_OUT,
        actor=user,
        request=request,
        object_type="accounts.user" if user else "",
        object_id=str(user.pk) if user else "",
        summary=f"{email or 'An unknown account'} locked out after repeated failed sign-ins",
        details={"email": email},
    )
    if ip_address and not event.ip_address:
        AuditEvent.objects.filter(pk=event.pk).update(ip_address=ip_address)


# --- accounts: who may do what -----------------------------------------------------------------

#: User fields whose change alters what someone may see or do (the password is named, never shown).
WATCHED_USER_FIELDS = (
    "email",
    "role",
    "region_id",
    "authority_id",
    "provider_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "password",
)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_user_before")
def on_user_saving(
    sender: type[User], instance: User, update_fields: Iterable[str] | None = None, **kwargs: Any
) -> None:
    if instance.pk is None or (update_fields is not None and set(update_fields) <= {"last_login"}):
        instance._audit_before = None
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS).first()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_user_after")
def on_user_saved(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or getattr(instance, "_audit_recorded", False):  # a service recorded it, in its own words
        return
    request = _current_request()
    actor = getattr(request, "user", None) if request is not None else None
    if created:
        record(
            Action.ACCOUNT_CREATED,
            actor=actor,
            request=request,
            obj=instance,
            summary=f"Account {instance.email} created ({instance.role})",
            details={"role": instance.role},
        )
        return
    before = getattr(instance, "_audit_before", None)
    if not before:
        return
    changed = [f for f in WATCHED_USER_FIELDS if before[f] != getattr(instance, f)]
    if "password" in changed and not before["password"]:
        changed.remove("password")  # the first password of an account just created is not news
    if not changed:
        return
    names = [f.removesuffix("_id") for f in changed]
    details = {"fields": names}
    for f in ("role", "is_active", "is_staff", "is_superuser"):
        if f in changed:
            details[f] = [before[f], getattr(instance, f)]
    record(
        Action.ACCOUNT_CHANGED,
        actor=actor,
        request=request,
        obj=instance,
        summary=f"Account {instance.email} changed: {', '.join(names)}",
        details=details,
    )


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="audit_two_factor_reset")
def on_device_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not instance.confirmed:
        return
    request = _current_request()
    record(
        Action.TWO_FACTOR_RESET,
        actor=getattr(request, "user", None) if request is not None else None,
        request=request,
        object_type="accounts.user",
        object_id=str(instance.user_id),
        summary=f"Two-factor device “{instance.name}” removed from user {instance.user_id}",
    )


# --- every change to a record with history ------------------------------------------------------


def changed_fields(history_instance: Any) -> list[str]:
    kind = history_instance.history_type
    if kind == "~":
        previous = history_instance.prev_record
        if previous is None:
            return []
        return sorted(history_instance.diff_against(previous).changed_fields)
    if kind == "+":
        model = history_instance.instance_type
        names = []
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            value = getattr(history_instance, field.attname, None)
            if value not in (None, ""):
                names.append(field.name)
        return names
    return []


@receiver(pre_create_historical_record, dispatch_uid="history_reason_fits")
def fit_change_reason(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """A change reason may carry what a user wrote (why an offer was withdrawn): longer than its
    column, it is cut to fit with an ellipsis, rather than the change failing. The full text stays
    where the service keeps it (the offer's event, the compare view)."""
    reason = history_instance.history_change_reason
    limit = history_instance._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        history_instance.history_change_reason = reason[: limit - 1] + "…"


@receiver(post_create_historical_record, dispatch_uid="audit_history")
def on_history(
    sender: Any, instance: Model, history_instance: Any, history_user: User | None = None, **kwargs: Any
) -> None:
    kind = history_instance.history_type
    request = _current_request()
    actor = history_user
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    fields = changed_fields(history_instance)
    model = type(instance)._meta  # ``sender`` is the historical model; name the real one
    label = str(model.verbose_name)
    try:
        name = str(instance)
    except Exception:  # a __str__ that needs a deleted relation must not break the change
        logger.warning("audit: could not name %s %s", model.label_lower, instance.pk)
        name = f"#{instance.pk}"
    summary = f"{label[:1].upper()}{label[1:]} “{name}” {HISTORY_VERBS.get(kind, 'changed')}"
    if kind == "~" and fields:
        summary += f": {', '.join(fields)}"
    record(
        HISTORY_ACTIONS.get(kind, Action.CHANGED),
        actor=actor,
        request=request,
        object_type=model.label_lower,
        object_id=str(instance.pk),
        summary=summary,
        details={
            "model": model.label_lower,
            "pk": instance.pk,
            "history_type": kind,
            "history_id": history_instance.pk,
            "fields": fields,
            "history_user_id": getattr(history_user, "pk", None),
        },
    )
