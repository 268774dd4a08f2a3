"""API token services: issue and revoke (docs/architecture.md, The API).

``actor`` is the administrator doing it, or None for the command line (``manage.py issue_api_token``),
whose operator already holds the server. Each change is in the audit log.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from accounts.permissions import require
from core.errors import ServiceError

from .models import PREFIX_LENGTH, ApiToken, hash_key

if TYPE_CHECKING:
    from accounts.models import User

#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _check_actor(actor: User | None) -> None:
    if actor is not None:
        require(actor, "api.manage_tokens")


@transaction.atomic
def issue_api_token(*, actor: User | None, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the token row and the token itself, which is never stored
    and cannot be shown again."""
    _check_actor(actor)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter what the token is for", field="name")
    if not user.is_active:
        raise ServiceError("This account is switched off: it cannot be given an API token", field="user")
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ServiceError(f"A token lasts between 1 and {settings.API_TOKEN_MAX_DAYS} days", field="days")
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        created_at=now,
        created_by=actor,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        AuditEvent.Action.CREATED,
        actor=actor,
        obj=token,
        summary=f"API token {token.prefix}… issued to {user.email} until {token.expires_at:%d %B %Y}",
        details={"user": user.pk, "days": days},
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    """The token stops working at once."""
    _check_actor(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ServiceError("This token is already revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        AuditEvent.Action.CHANGED,
        actor=actor,
        obj=token,
        summary=f"API token {token.prefix}… of {token.user.email} revoked",
        details={"user": token.user_id},
    )
    return token


def revoke_tokens_of(*, user: User, actor: User | None) -> int:
    """Revoke every token of a switched-off account (``core.hooks`` ``user_deactivated``)."""
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)


def record_use(token: ApiToken) -> None:
    """Note when the token was last used (at most once a minute; no history, no audit line)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
