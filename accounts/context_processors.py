"""Template context shared by every page: the navigation for the signed-in user's role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .models import Role
from .two_factor import must_verify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

ALL = None
GO = (Role.CSA, Role.GO_DIRECTOR, Role.ADMIN)


def ANALYSIS(user: User) -> bool:  # noqa: N802 - used like the role tuples above
    """GO staff, admins, analysts, and advisers of RIEPs (who see their regions' analysis)."""
    if user.role in (Role.CSA, Role.GO_DIRECTOR, Role.ADMIN, Role.NATIONAL):
        return True
    return user.role == Role.PROVIDER_ADVISER and user.provider is not None and user.provider.kind == "riep"


def SECTOR(user: User) -> bool:  # noqa: N802 - used like the role tuples above
    """Sector-led improvement: everyone but provider advisers."""
    return user.role != Role.PROVIDER_ADVISER


#: (label, url name, roles that see it, a predicate on the user, or ALL). Links whose URL does not exist yet are left out.
NAVIGATION = [
    ("Dashboard", "accounts:dashboard", ALL),
    ("Plans", "plans:list", ALL),
    ("Offers", "plans:offer_list", (Role.PROVIDER_ADVISER,)),
    ("Meetings", "meetings:list", ALL),
    ("Authorities", "authorities:list", ALL),
    ("Providers", "providers:list", ALL),
    ("Indicators", "authorities:indicator_list", ALL),
    ("Forums", "authorities:forum_list", ALL),
    ("Analysis", "plans:analysis", ANALYSIS),
    ("Open data", "open_data:index", (Role.NATIONAL, Role.ADMIN)),
    ("People", "accounts:people", (Role.ADMIN, Role.GO_DIRECTOR)),
    ("Invitations", "accounts:invitations", (Role.CSA,)),
    ("Improvement", "improvement:index", SECTOR),
    ("Audit log", "accounts:audit_log", (Role.ADMIN,)),
]


def navigation_for(user: User | AnonymousUser, path: str) -> list[dict[str, Any]]:
    if not user.is_authenticated:
        return []
    items: list[dict[str, Any]] = []
    for label, name, roles in NAVIGATION:
        if roles is not ALL and not user.is_superuser:
            allowed = roles(user) if callable(roles) else user.role in roles
            if not allowed:
                continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    # Only the most specific match is current (/authorities/forums/ is Forums, not Authorities).
    matches = [item for item in items if item["active"]]
    if matches:
        best = max(matches, key=lambda item: len(item["url"]))
        for item in matches:
            item["active"] = item is best
    return items


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    """What the timeout warning needs (signed-in pages only)."""
    from django.conf import settings

    if not request.user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "idle": settings.SESSION_IDLE_TIMEOUT,
            "warning": settings.SESSION_IDLE_WARNING,
            "minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        }
    }


def people_links(user: User | AnonymousUser) -> dict[str, bool]:
    """Which of the People section's links the user has (its own navigation)."""
    from . import people

    return {
        "may_manage_people": people.may_manage_people(user),
        "may_decide_access": people.may_decide_access_requests(user),
    }


def portal(request: HttpRequest) -> dict[str, Any]:
    if must_verify(request):  # signed in, but owes a two-factor code: no way in but the code page
        return {"navigation": [], **session_timeout(request)}
    return {"navigation": navigation_for(request.user, request.path), **session_timeout(request)}
