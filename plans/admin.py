"""Plans in the admin: for support staff to look things up, read-only. Every change to a plan, an
offer or a decision goes through ``plans.services`` (permission, state, history, emails), so the
admin neither adds, changes nor deletes them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    JISP,
    ChangeRequest,
    Decision,
    DeliveryUpdate,
    DeploymentPlan,
    Offer,
    OfferEvent,
    OwnSupport,
    PlanComment,
    Priority,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JISP)
class JISPAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["authority", "period", "version", "status", "csa", "approved_at"]
    list_filter = ["status", "period", "authority__region"]
    list_select_related = ["authority", "csa"]
    search_fields = ["authority__name", "authority__gss_code"]


@admin.register(Priority)
class PriorityAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "jisp", "order", "is_workforce"]
    list_filter = ["is_workforce"]
    list_select_related = ["jisp__authority"]
    search_fields = ["title", "jisp__authority__name"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["provider", "priority", "status", "days", "funding", "respond_by", "deliver_by"]
    list_filter = ["status", "delivery_status", "provider__kind"]
    list_select_related = ["provider", "priority"]
    search_fields = ["description", "provider__name", "priority__title", "priority__jisp__authority__name"]

    def lookup_allowed(self, lookup, value, request=None):
        # one plan's offers: /admin/plans/offer/?priority__jisp__id__exact=<plan id>
        return lookup == "priority__jisp__id__exact" or super().lookup_allowed(lookup, value, request)


@admin.register(OfferEvent)
class OfferEventAdmin(ReadOnlyAdmin):
    list_display = ["offer", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["offer__provider", "actor"]


@admin.register(DeliveryUpdate)
class DeliveryUpdateAdmin(ReadOnlyAdmin):
    list_display = ["offer", "status", "author", "created_at", "meeting"]
    list_filter = ["status"]
    list_select_related = ["offer__provider", "offer__priority", "author", "meeting"]
    search_fields = ["body", "offer__provider__name", "offer__priority__jisp__authority__name"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["jisp", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["jisp__authority", "decided_by"]


@admin.register(PlanComment)
class PlanCommentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["jisp", "author", "created_at", "resolved_at"]
    list_select_related = ["jisp__authority", "author"]


@admin.register(DeploymentPlan)
class DeploymentPlanAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["jisp", "provider", "original_name", "size", "uploaded_at"]
    list_select_related = ["jisp__authority", "provider"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["jisp", "status", "raised_by", "created_at", "answered_by"]
    list_filter = ["status"]
    list_select_related = ["jisp__authority", "raised_by", "answered_by"]


@admin.register(OwnSupport)
class OwnSupportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["jisp", "source", "cost", "recorded_by"]
    list_filter = ["source"]
    list_select_related = ["jisp__authority", "recorded_by"]
