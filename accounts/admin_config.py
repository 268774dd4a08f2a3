"""``django.contrib.admin`` with the portal's own site (``accounts.admin_site``): administrators only."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PortalAdminSite"
