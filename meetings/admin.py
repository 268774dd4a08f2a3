from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ICalToken,
    Meeting,
    MeetingAttendee,
    MeetingNote,
    NonWorkingDay,
    NoteComment,
    NoteJudgement,
    Reminder,
)


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "reason"]
    search_fields = ["reason"]
    date_hierarchy = "date"


class AttendeeInline(admin.TabularInline):
    model = MeetingAttendee
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "authority", "forum", "starts_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "purpose"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organiser", "agenda_agreed_by"]
    inlines = [AttendeeInline]


class JudgementInline(admin.TabularInline):
    model = NoteJudgement
    extra = 0


@admin.register(MeetingNote)
class MeetingNoteAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "status", "draft_due", "response_due", "final_due"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "author", "officer_concerned"]
    inlines = [JudgementInline]


@admin.register(NoteComment)
class NoteCommentAdmin(SimpleHistoryAdmin):
    list_display = ["note", "author", "challenges_assessment", "created_at"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["note", "stage", "kind", "recipient", "sent_at"]
    list_filter = ["stage", "kind"]


@admin.register(ICalToken)
class ICalTokenAdmin(admin.ModelAdmin):
    """Revoking only: the token is stored as a hash (nothing to show) and made by its user alone."""

    list_display = ["user", "created_at", "revoked_at"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False


# --- the protocol's clocks: extensions, calendar changes, series, digests, feedback ---------------

from .models import (  # noqa: E402
    ArrangementsFeedback,
    BankHolidaySnapshot,
    DeadlineExtension,
    DeadlineMove,
    Digest,
    FeedbackRound,
    MeetingSeries,
)


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["note", "stage", "old_due", "new_due", "working_days", "status", "requested_by"]
    list_filter = ["status", "stage"]
    raw_id_fields = ["note", "requested_by", "agreed_by", "declined_by"]


@admin.register(BankHolidaySnapshot)
class BankHolidaySnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are imported from GOV.UK's file (the portal's Bank holidays page or
    ``manage.py import_bank_holidays``), never edited."""

    list_display = ["imported_at", "imported_by", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeadlineMove)
class DeadlineMoveAdmin(admin.ModelAdmin):
    list_display = ["note", "stage", "old_due", "new_due", "reason", "created_at"]
    raw_id_fields = ["note", "snapshot", "moved_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(SimpleHistoryAdmin):
    list_display = ["title", "authority", "rule", "starts_at", "until"]
    raw_id_fields = ["organiser", "previous"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "items", "created_at"]
    date_hierarchy = "day"
    raw_id_fields = ["user"]


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "opened_at", "closes_on"]


@admin.register(ArrangementsFeedback)
class ArrangementsFeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["round", "authority", "respondent", "arrangements", "support", "submitted_at"]
    list_filter = ["round"]
    raw_id_fields = ["respondent"]
