"""API tokens in the Django admin: administrators issue (the token is shown once, in the confirmation)
and revoke them; nobody edits one."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.errors import ServiceError

from .forms import IssueTokenForm
from .models import ApiToken
from .services import issue_api_token, revoke_api_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = IssueTokenForm
    list_display = ["prefix", "name", "user", "state", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["prefix", "name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]
    readonly_fields = ["prefix", "created_at", "created_by", "expires_at", "revoked_at", "revoked_by", "last_used_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "days"]
        return ["user", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", "name", *self.readonly_fields]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and request.method == "POST" else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays, as a record of who could read what

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied
        try:
            token, key = issue_api_token(
                actor=request.user,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ServiceError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = token.pk
        messages.warning(
            request,
            f"The token for {token.user.email} is {key} — copy it now: it is not stored and will not be shown again. "
            f"It expires on {token.expires_at:%d %B %Y}.",
        )

    def save_related(self, request, form, formsets, change):
        pass

    def log_addition(self, request, obj, message):
        pass  # the service wrote the audit line

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset:
            try:
                revoke_api_token(actor=request.user, token=token)
                revoked += 1
            except ServiceError:
                continue
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)
