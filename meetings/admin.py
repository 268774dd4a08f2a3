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
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason"]
    search_fields = ["reason"]
    date_hierarchy = "date"


class AttendeeInline(admin.TabularInline):
    model = MeetingAttendee
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
class NoteCommentAdmin(admin.ModelAdmin):
    list_display = ["note", "author", "challenges_assessment", "created_at"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["note", "stage", "kind", "recipient", "sent_at"]
    list_filter = ["stage", "kind"]


@admin.register(ICalToken)
class ICalTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]
