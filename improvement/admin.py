"""Sector-led improvement in the admin: administrators maintain the self-assessment framework (areas
and their judgement scales) and the framework list of providers for brokered support. Everything
else changes only through ``improvement.services`` (permission, state, history, emails), so the admin
shows it read-only for support staff to look things up."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssessmentFramework,
    Brokerage,
    FrameworkArea,
    FrameworkProvider,
    InspectionRecord,
    JudgementLevel,
    PeerChallenge,
    ReciprocityEntry,
    SelfAssessment,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _in_use(framework):
    return framework is not None and framework.pk is not None and framework.self_assessments.exists()


class FrameworkAreaInline(admin.StackedInline):
    model = FrameworkArea
    extra = 0
    fields = ["order", "title", "description", "evidence_prompt"]

    def has_change_permission(self, request, obj=None):
        return not _in_use(obj)

    def has_add_permission(self, request, obj=None):
        return not _in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj)


@admin.register(AssessmentFramework)
class AssessmentFrameworkAdmin(SimpleHistoryAdmin):
    """A framework in use by a self-assessment keeps its areas: add a new framework and make it current."""

    list_display = ["name", "is_current", "created_at"]
    inlines = [FrameworkAreaInline]

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj)


class JudgementLevelInline(admin.TabularInline):
    model = JudgementLevel
    extra = 0

    def _locked(self, obj):
        return obj is not None and _in_use(obj.framework)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj)


@admin.register(FrameworkArea)
class FrameworkAreaAdmin(SimpleHistoryAdmin):
    """An area's judgement scale (rank 1 is the strongest)."""

    list_display = ["title", "framework", "order"]
    list_filter = ["framework"]
    inlines = [JudgementLevelInline]

    def has_change_permission(self, request, obj=None):
        return obj is None or not _in_use(obj.framework)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not _in_use(obj.framework)


@admin.register(FrameworkProvider)
class FrameworkProviderAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "approved_on", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["provider"]
    search_fields = ["provider__name", "provider__abbreviation"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["authority", "year", "status", "shared_at"]
    list_filter = ["status", "year", "authority__region"]
    list_select_related = ["authority"]
    search_fields = ["authority__name"]


@admin.register(PeerChallenge)
class PeerChallengeAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["authority", "starts_on", "status", "lead", "response_due", "letter_due"]
    list_filter = ["status", "authority__region"]
    list_select_related = ["authority", "lead"]
    search_fields = ["authority__name"]


@admin.register(ReciprocityEntry)
class ReciprocityEntryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["year", "person", "giving_authority", "receiving_authority", "days", "given_on"]
    list_filter = ["year"]
    list_select_related = ["person", "giving_authority", "receiving_authority"]


@admin.register(InspectionRecord)
class InspectionRecordAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["authority", "title", "published_on", "overall"]
    list_select_related = ["authority"]


@admin.register(Brokerage)
class BrokerageAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["authority", "support_plan", "broker", "created_at"]
    list_select_related = ["authority", "support_plan", "broker"]
