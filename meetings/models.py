"""Meetings and their notes under the protocol's 5-working-day rule (docs/architecture.md, Workflows: Meeting notes).

``NonWorkingDay`` holds closures beyond England's bank holidays (see ``core.working_days``).
State changes live in ``meetings.services``; these are tables, constraints and small derived values.
"""

import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role

User = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    import accounts.models


class NonWorkingDay(models.Model):
    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def meeting_visibility(user, prefix=""):
    """The Q of meetings ``user`` may see (``prefix`` for lookups from a related model), or None for all
    and False for none."""
    if not _signed_in(user) or user.role == Role.NATIONAL:
        return False
    p = prefix
    q = models.Q(**{f"{p}organiser": user}) | models.Q(**{f"{p}attendees": user})
    if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
        q |= models.Q(**{f"{p}authority__region_id": user.region_id})
        q |= models.Q(**{f"{p}authorities__region_id": user.region_id})
        q |= models.Q(**{f"{p}forum__region_id": user.region_id})
    if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
        q |= models.Q(**{f"{p}authority_id": user.authority_id})
        q |= models.Q(**{f"{p}authorities": user.authority_id})
    if user.role == Role.ADMIN or user.is_superuser:
        q |= models.Q(**{f"{p}forum__isnull": False})
    if user.role != Role.PROVIDER_ADVISER:
        q |= models.Q(**{f"{p}forum__members": user})
    return q


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = meeting_visibility(user)
        if q is False:
            return self.none()
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class Meeting(models.Model):
    class Kind(models.TextChoices):
        KIT = "kit", "Keeping in touch (KIT) meeting"
        STANDARDS = "standards", "Standards meeting"
        STRATEGIC_ENGAGEMENT = "strategic_engagement", "Strategic engagement meeting"
        VISIT = "visit", "Visit"
        LAA_REVIEW = "laa_review", "LAA review"
        PROVIDER_CLINIC = "provider_clinic", "Provider clinic"
        FORUM = "forum", "Forum meeting"
        AD_HOC = "ad_hoc", "Ad hoc meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    authority = models.ForeignKey(
        "authorities.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    forum = models.ForeignKey(
        "authorities.RegionalForum", null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    starts_at = models.DateTimeField(db_index=True)
    location = models.CharField(max_length=200, blank=True)
    is_remote = models.BooleanField(default=False)
    is_face_to_face = models.BooleanField(default=True)
    agenda = models.TextField(blank=True)
    agenda_agreed_at = models.DateTimeField(null=True, blank=True)
    agenda_agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="agendas_agreed"
    )
    organiser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="meetings_organised")
    attendees = models.ManyToManyField(User, through="MeetingAttendee", related_name="meetings_attended", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    held_on = models.DateField(null=True, blank=True)
    # Provider clinics: the authorities invited, the providers taking part and the regional theme.
    authorities = models.ManyToManyField("authorities.LocalAuthority", blank=True, related_name="clinics")
    providers = models.ManyToManyField("providers.Provider", blank=True, related_name="meetings")
    priority_theme = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=0)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="meeting_kind_valid",
                condition=models.Q(
                    kind__in=[
                        "kit",
                        "standards",
                        "strategic_engagement",
                        "visit",
                        "laa_review",
                        "provider_clinic",
                        "forum",
                        "ad_hoc",
                    ]
                ),
            ),
            models.CheckConstraint(
                name="meeting_status_valid", condition=models.Q(status__in=["scheduled", "held", "cancelled"])
            ),
            models.CheckConstraint(
                name="meeting_has_authority_or_forum",
                condition=models.Q(authority__isnull=False) | models.Q(forum__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def region(self):
        if self.authority_id:
            return self.authority.region
        return self.forum.region if self.forum_id else None

    @property
    def region_id(self):
        if self.authority_id:
            return self.authority.region_id
        return self.forum.region_id if self.forum_id else None

    @property
    def agenda_agreed(self):
        return self.agenda_agreed_at is not None

    @property
    def where(self):
        if self.is_remote and self.location:
            return f"Remote ({self.location})"
        return "Remote" if self.is_remote else self.location


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attendance")
    contribution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendee_once_per_meeting")]

    def __str__(self):
        return f"{self.user} at {self.meeting}"


class MeetingNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


class MeetingNote(models.Model):
    class Status(models.TextChoices):
        AWAITING_DRAFT = "awaiting_draft", "Awaiting draft"
        DRAFT_CIRCULATED = "draft_circulated", "Draft circulated"
        COMMENTS_RECEIVED = "comments_received", "Comments received"
        NO_COMMENTS = "no_comments", "No comments"
        FINAL_SENT = "final_sent", "Final note sent"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="note")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="notes_authored")
    officer_concerned = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="notes_concerning"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_DRAFT, db_index=True)
    draft = models.TextField(blank=True)
    final = models.TextField(blank=True)
    draft_due = models.DateField(db_index=True)
    draft_circulated_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True, db_index=True)
    comments_received_at = models.DateTimeField(null=True, blank=True)
    final_due = models.DateField(null=True, blank=True, db_index=True)
    final_sent_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: "accounts.models.User | None"
    _change_reason: str
    # Set on notes listed with their deadline (meetings.queries.label_notes and OverdueNotes).
    stage: str | None
    due: date | None
    due_label: str
    is_overdue: bool
    objects = MeetingNoteQuerySet.as_manager()

    class Meta:
        ordering = ["draft_due", "pk"]
        constraints = [
            models.CheckConstraint(
                name="note_status_valid",
                condition=models.Q(
                    status__in=["awaiting_draft", "draft_circulated", "comments_received", "no_comments", "final_sent"]
                ),
            ),
        ]

    def __str__(self):
        return f"Note of {self.meeting}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#note"

    @property
    def is_final(self):
        return self.status == self.Status.FINAL_SENT

    @property
    def current_stage(self):
        """(stage, due date) of what is awaited now, or (None, None) once the final note is sent."""
        S = self.Status
        if self.status == S.AWAITING_DRAFT:
            return "draft", self.draft_due
        if self.status == S.DRAFT_CIRCULATED:
            return "response", self.response_due
        if self.status in (S.COMMENTS_RECEIVED, S.NO_COMMENTS):
            return "final", self.final_due
        return None, None


class NoteJudgement(models.Model):
    class Rating(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        ADEQUATE = "adequate", "Adequate"
        INADEQUATE = "inadequate", "Inadequate"

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    note = models.ForeignKey(MeetingNote, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=200)
    performance_rating = models.CharField(max_length=20, choices=Rating.choices)
    risk = models.CharField(max_length=10, choices=Risk.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.area}: {self.get_performance_rating_display()}, {self.get_risk_display()} risk"


class NoteComment(models.Model):
    note = models.ForeignKey(MeetingNote, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="note_comments")
    body = models.TextField()
    challenges_assessment = models.BooleanField(default=False)
    judgement = models.ForeignKey(
        NoteJudgement, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenges"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.note}"


class Reminder(models.Model):
    class Stage(models.TextChoices):
        DRAFT = "draft", "Draft note"
        RESPONSE = "response", "Authority's response"
        FINAL = "final", "Final note"

    class Kind(models.TextChoices):
        DUE_TOMORROW = "due_tomorrow", "Due in 1 working day"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalation"

    note = models.ForeignKey(MeetingNote, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="note_reminders")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["note", "stage", "kind", "recipient"], name="reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_stage_display()}) to {self.recipient}"


def new_token():
    return secrets.token_urlsafe(32)


class ICalToken(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="ical_token")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @property
    def is_active(self):
        return self.revoked_at is None
