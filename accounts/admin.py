from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from .models import AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "region", "authority", "provider", "is_active"]
    list_filter = ["role", "region", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["authority", "provider"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "job_title")}),
        ("Role and organisation", {"fields": ("role", "region", "authority", "provider")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "password1", "password2")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody edits or deletes history, not even an administrator."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "summary", "ip_address"]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["summary", "actor__email", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    readonly_fields = ["at", "actor", "action", "object_type", "object_id", "summary", "ip_address", "details"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
