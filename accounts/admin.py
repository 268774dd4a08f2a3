from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from .models import ORGANISATION_OF_ROLE, AuditEvent, Role, User

ORGANISATION_WORDS = {"region": "a region", "authority": "a local authority", "provider": "a provider"}


class OrganisationRequired(forms.ModelForm):
    """The admin's user forms ask for the organisation the role needs (the database refuses an
    active account without it: say so on the form instead of failing)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = str(data.get("role") or "")
        field = ORGANISATION_OF_ROLE.get(role)
        active = data.get("is_active", True)
        if field and active and not data.get(field):
            self.add_error(field, f"A {Role(role).label} needs {ORGANISATION_WORDS[field]}")
        authority = data.get("authority")
        if field == "authority" and authority is not None:
            data["region"] = authority.region
        return data


class UserAddForm(OrganisationRequired, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name", "role", "region", "authority", "provider")


class UserEditForm(OrganisationRequired, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"  # noqa: DJ007 - the admin change form, laid out by the fieldsets


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
    form = UserEditForm
    add_form = UserAddForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "region",
                    "authority",
                    "provider",
                    "usable_password",
                    "password1",
                    "password2",
                ),
                "description": "Prefer the People pages' invitations: the person then chooses their own password.",
            },
        ),
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
