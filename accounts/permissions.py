"""One place to ask "may this user do this?" and to turn the answer into 404 or 403.

- ``can(user, perm, obj)`` reads the ``rules`` permission set (no superuser shortcut).
- ``get_visible_or_404(queryset, user, **lookup)`` finds an object only among those the user may see
  (``visible_to(user)``), so an object they may not see is a 404 that does not reveal it exists.
- ``require(user, perm, obj)`` raises ``PermissionDenied`` (403) for an action on a visible object.
- ``ObjectPermissionMixin`` does both for class-based views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from accounts.models import User


def can(user: User | AnonymousUser, perm: str, obj: object = None) -> bool:
    return rules.has_perm(perm, user, obj)


def require(user: User | AnonymousUser, perm: str, obj: object = None, message: str | None = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(message or "You do not have permission to do that.")


def get_visible_or_404(queryset: Any, user: User | AnonymousUser, **lookup: Any) -> Any:
    """``queryset``: a model's manager or queryset with ``visible_to(user)``."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


class ObjectPermissionMixin:
    """For detail/update views: 404 outside ``visible_to(user)``, 403 without ``permission_required``."""

    permission_required = None

    request: HttpRequest

    def get_queryset(self) -> Any:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]

    def get_object(self, queryset: Any = None) -> Any:
        obj = super().get_object(queryset)  # type: ignore[misc]
        if self.permission_required:
            require(self.request.user, self.permission_required, obj)
        return obj
