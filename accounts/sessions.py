"""Signed-in sessions: recorded, timed out, listed and ended; and "enter your password again".

- Each sign-in records a ``UserSession`` (the session key, a summary of the browser, the address
  from ``accounts.audit.client_ip``), so a user can see their sessions and end the others, and an
  account switched off is signed out everywhere at once (``accounts.services.end_sessions``).
- ``IdleTimeoutMiddleware`` signs out a session idle for ``SESSION_IDLE_TIMEOUT`` seconds (30
  minutes) or signed in for longer than ``SESSION_COOKIE_AGE`` (8 hours, however active): the server
  decides, so it holds without JavaScript. With JavaScript, ``static/js/session-timeout.mjs`` warns
  ``SESSION_IDLE_WARNING`` seconds (2 minutes) before, with GOV.UK's timeout warning, and "Stay signed
  in" posts to ``session_keep_alive``.
- ``recent_password_required``: a view that changes credentials (or approves a plan) asks for the
  password again when it was last entered more than ``RECENT_AUTHENTICATION_SECONDS`` (15 minutes) ago.
"""

import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import audit
from .models import AuditEvent, User, UserSession

#: Session keys: when the user signed in, last did something, last entered their password.
SIGNED_IN_AT = "signed_in_at"
LAST_ACTIVITY = "last_activity"
AUTHENTICATED_AT = "password_entered_at"
#: Activity is written to the session at most this often (seconds), not on every request.
ACTIVITY_RESOLUTION = 60
#: Requests that do not count as activity (the JavaScript asking how long is left).
PASSIVE_URL_NAMES = frozenset({"accounts:session_status"})


def idle_timeout() -> int:
    return getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60)


def warning_seconds() -> int:
    return getattr(settings, "SESSION_IDLE_WARNING", 2 * 60)


def recent_seconds() -> int:
    return getattr(settings, "RECENT_AUTHENTICATION_SECONDS", 15 * 60)


# --- what browser is this -------------------------------------------------------------------------

BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_summary(user_agent: str | None) -> str:
    """ "Firefox on Windows" from a User-Agent header (never the whole header)."""
    user_agent = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in SYSTEMS if marker in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system or ""
    cleaned = re.sub(r"[^\w .;/()-]", "", user_agent)[:60]
    return cleaned or "Unknown browser"


# --- recording --------------------------------------------------------------------------------------


def mark_password_entered(request: HttpRequest) -> None:
    request.session[AUTHENTICATED_AT] = int(time.time())


@receiver(user_logged_in, dispatch_uid="sessions_record")
def on_signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now
    mark_password_entered(request)
    if request.session.session_key is None:
        request.session.save()
    _forget_ended_sessions(user)
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": browser_summary(request.META.get("HTTP_USER_AGENT"))[:200],
            "ip_address": audit.client_ip(request),
        },
    )


def _forget_ended_sessions(user: User) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()


@receiver(user_logged_out, dispatch_uid="sessions_forget")
def on_signed_out(sender: Any, request: HttpRequest | None, user: User | None = None, **kwargs: Any) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()


def sessions_of(user: User, current_key: str | None = None) -> list[UserSession]:
    """The user's live sessions, newest first, each with ``is_current`` and ``last_active`` (read
    from the session itself). Rows of sessions that have ended are left out."""
    from datetime import UTC, datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    rows = list(UserSession.objects.filter(user=user).order_by("-created_at", "-pk"))
    live = {
        s.session_key: s
        for s in Session.objects.filter(session_key__in=[r.session_key for r in rows], expire_date__gt=timezone.now())
    }
    found = []
    for row in rows:
        session = live.get(row.session_key)
        data = session.get_decoded() if session is not None else {}
        if str(data.get("_auth_user_id")) != str(user.pk):
            continue  # ended (its row goes at the user's next sign-in: a GET changes nothing)
        stamp = data.get(LAST_ACTIVITY)
        # Two attributes for the sessions page only (not columns).
        row.last_active = datetime.fromtimestamp(stamp, tz=UTC) if stamp else row.created_at  # type: ignore[attr-defined]
        row.is_current = row.session_key == current_key  # type: ignore[attr-defined]
        found.append(row)
    return found


# --- the idle and absolute timeouts ------------------------------------------------------------------


def seconds_left(request: HttpRequest, now: float | None = None) -> int:
    """Seconds before this session is signed out for inactivity (or its 8 hours end)."""
    now = now or time.time()
    session = request.session
    last = session.get(LAST_ACTIVITY, now)
    started = session.get(SIGNED_IN_AT, now)
    return max(0, int(min(last + idle_timeout(), started + settings.SESSION_COOKIE_AGE) - now))


class IdleTimeoutMiddleware:
    """Sign out a session idle for 30 minutes or older than 8 hours; note activity (at most once a
    minute). Goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            if LAST_ACTIVITY not in session:  # a session from before timeouts were recorded
                session[LAST_ACTIVITY] = session[SIGNED_IN_AT] = int(now)
            if seconds_left(request, now) <= 0:
                return self._timed_out(request, user)
            request.session_activity_pending = now - session[LAST_ACTIVITY] >= ACTIVITY_RESOLUTION  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if getattr(request, "session_activity_pending", False):
            match = getattr(request, "resolver_match", None)
            if match is None or match.view_name not in PASSIVE_URL_NAMES:
                request.session[LAST_ACTIVITY] = int(time.time())
        return None

    def _timed_out(self, request: HttpRequest, user: User) -> HttpResponse:
        audit.record(
            AuditEvent.Action.SESSION_TIMED_OUT,
            actor=user,
            request=request,
            obj=user,
            summary=f"{user.email} signed out after {idle_timeout() // 60} minutes without activity",
        )
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        logout(request)
        if request.headers.get("HX-Request"):
            response = redirect(reverse("accounts:signed_out"))
            response["HX-Redirect"] = reverse("accounts:signed_out")
            return response
        return redirect(reverse("accounts:signed_out"))


def touch(request: HttpRequest) -> None:
    """Count this moment as activity (the "Stay signed in" button)."""
    request.session[LAST_ACTIVITY] = int(time.time())


# --- "enter your password again" --------------------------------------------------------------------


def recently_authenticated(request: HttpRequest) -> bool:
    entered = request.session.get(AUTHENTICATED_AT)
    return entered is not None and time.time() - entered <= recent_seconds()


def recent_password_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ask for the password again first when it was last entered more than 15 minutes ago. A GET
    comes back to the same page afterwards; a POST comes back to the page to submit again (nothing
    of the refused POST is done)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not recently_authenticated(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:confirm_password')}?{query}")
        return view(request, *args, **kwargs)

    wrapper.recent_password_required = True  # type: ignore[attr-defined]
    return wrapper
