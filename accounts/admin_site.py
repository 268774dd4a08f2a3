"""The Django admin, for administrators only.

Django lets in any active user with ``is_staff``; the portal lets in only active users whose role is
``admin`` (or superusers). Anyone else — a CSA someone ticked "staff" for, say — gets the admin's
sign-in page, never the index or a model page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from .models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def may_use_admin(user: User | AnonymousUser | None) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    )


class PortalAdminSite(admin.AdminSite):
    site_header = "JISP portal administration"
    site_title = "JISP portal admin"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)
