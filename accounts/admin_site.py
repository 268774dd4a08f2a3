"""The Django admin, for administrators only.

Django lets in any active user with ``is_staff``; the portal lets in only active users whose role is
``admin`` (or superusers). Anyone else — a CSA someone ticked "staff" for, say — gets the admin's
sign-in page, never the index or a model page.
"""

from django.contrib import admin

from .models import Role


def may_use_admin(user):
    return bool(
        user is not None and user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)
    )


class PortalAdminSite(admin.AdminSite):
    site_header = "JISP portal administration"
    site_title = "JISP portal admin"
    index_title = "Administration"

    def has_permission(self, request):
        return may_use_admin(request.user)
