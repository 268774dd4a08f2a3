"""How django-axes names the account a sign-in attempt was for: the email, lower-cased, so
"CSA@Example" and "csa@example" count against the same account."""

from typing import Any

from django.http import HttpRequest


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()


# --- throttled actions that are not sign-ins (password resets, access requests) -------------------


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Record an attempt at ``scope`` by ``key`` and say whether it is within ``limit`` attempts in
    the last ``window_seconds``. Kept in the database (``RateLimitHit``), so every web machine counts
    together; the key is stored hashed."""
    import hashlib
    from datetime import timedelta

    from django.utils import timezone

    from .models import RateLimitHit

    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    now = timezone.now()
    since = now - timedelta(seconds=window_seconds)
    RateLimitHit.objects.filter(scope=scope, key=digest, at__lt=since).delete()
    if RateLimitHit.objects.filter(scope=scope, key=digest).count() >= limit:
        return False
    RateLimitHit.objects.create(scope=scope, key=digest, at=now)
    return True


def clear_lockout(email: str) -> None:
    """Forget the failed sign-ins of ``email`` (after its password was reset)."""
    from axes.utils import reset

    reset(username=email.strip().lower())
