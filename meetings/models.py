"""Meetings and their notes under the protocol's 5-working-day rule (docs/architecture.md, Workflows: Meeting notes).

``NonWorkingDay`` holds closures beyond England's bank holidays (see ``core.working_days``).
State changes live in ``meetings.services``; these are tables, constraints and small derived values.
"""

import hashlib
import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, in_scope
from plans.urls_cache import pk_reverse

User = settings.AUTH_USER_MODEL

if TYPE_CHECKING:
    import accounts.models


class NonWorkingDay(models.Model):
    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"


def _signed_in(user):
    """Signed in and scoped: an account without the organisation its role needs sees nothing
    (``accounts.models.in_scope``)."""
    return in_scope(user)


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
        """``meeting_visibility``, with each many-valued way of seeing a meeting as an EXISTS on its own
        index: a few index probes per meeting instead of a six-table join for each (the calendar)."""
        if not _signed_in(user) or user.role == Role.NATIONAL:
            return self.none()
        from authorities.models import RegionalForum

        outer = models.OuterRef("pk")
        clinics = self.model.authorities.through.objects
        q = models.Q(organiser=user) | models.Q(models.Exists(MeetingAttendee.objects.filter(meeting=outer, user=user)))
        if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
            q |= models.Q(authority__region_id=user.region_id) | models.Q(forum__region_id=user.region_id)
            q |= models.Q(models.Exists(clinics.filter(meeting_id=outer, localauthority__region_id=user.region_id)))
        if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
            q |= models.Q(authority_id=user.authority_id)
            q |= models.Q(models.Exists(clinics.filter(meeting_id=outer, localauthority_id=user.authority_id)))
        if user.role == Role.ADMIN or user.is_superuser:
            q |= models.Q(forum__isnull=False)
        if user.role != Role.PROVIDER_ADVISER:
            members = RegionalForum.members.through.objects
            q |= models.Q(models.Exists(members.filter(regionalforum_id=models.OuterRef("forum_id"), user_id=user.pk)))
        return self.filter(q)


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
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # A meeting of a regular series: ``occurrence`` is when the series put it (its RECURRENCE-ID).
    series = models.ForeignKey(
        "meetings.MeetingSeries", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    occurrence = models.DateTimeField(null=True, blank=True)
    # Provider clinics: the authorities invited, the providers taking part and the regional theme.
    authorities = models.ManyToManyField("authorities.LocalAuthority", blank=True, related_name="clinics")
    providers = models.ManyToManyField("providers.Provider", blank=True, related_name="meetings")
    priority_theme = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[authorities, providers])

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
        return pk_reverse("meetings:detail", self.pk)

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
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def where(self):
        if self.is_remote and self.location:
            return f"Remote ({self.location})"
        return "Remote" if self.is_remote else self.location


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="attendance")
    contribution = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

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
        COMMENTS_RECEIVED = "comments_received", "Response received"
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
    # When the authority's response counts as received: submitted, or the lapsed window's last day.
    comments_received_at = models.DateTimeField(null=True, blank=True)
    response_submitted_at = models.DateTimeField(null=True, blank=True)
    response_submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses_submitted"
    )
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
    history = HistoricalRecords()

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
    history = HistoricalRecords()

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
    # The due date reminded of: a due date moved by an agreed extension or a closure gets its own.
    due = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["note", "stage", "kind", "recipient", "due"], name="reminder_once_per_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_stage_display()}) to {self.recipient}"


# --- the protocol's clocks: extensions, calendar changes, series, digests, feedback ---------------


class DeadlineExtension(models.Model):
    """A request to move a stage's due date, made by one side (the note's author, or the authority)
    and agreed or declined by the other. An agreed extension adds ``working_days`` to the stage's
    5 working days: the due date moves, and so do its reminders."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting agreement"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"

    class Side(models.TextChoices):
        AUTHOR = "author", "The author of the note"
        AUTHORITY = "authority", "The authority"

    note = models.ForeignKey(MeetingNote, on_delete=models.CASCADE, related_name="extensions")
    stage = models.CharField(max_length=10, choices=Reminder.Stage.choices)
    old_due = models.DateField()
    new_due = models.DateField()
    working_days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    side = models.CharField(max_length=10, choices=Side.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="extensions_requested")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED, db_index=True)
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="extensions_agreed"
    )
    declined_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="extensions_declined"
    )
    answer = models.TextField(blank=True, help_text="why it was declined")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(name="extension_moves_later", condition=models.Q(new_due__gt=models.F("old_due"))),
            models.CheckConstraint(
                name="extension_status_valid", condition=models.Q(status__in=["requested", "agreed", "declined"])
            ),
            models.CheckConstraint(
                name="extension_stage_valid", condition=models.Q(stage__in=["draft", "response", "final"])
            ),
            models.UniqueConstraint(
                fields=["note", "stage"],
                condition=models.Q(status="requested"),
                name="one_open_extension_request_per_stage",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} to {self.new_due:%d %B %Y} ({self.get_status_display().lower()})"

    @property
    def other_side(self):
        return self.Side.AUTHORITY if self.side == self.Side.AUTHOR else self.Side.AUTHOR


class BankHolidaySnapshot(models.Model):
    """One import of GOV.UK's ``bank-holidays.json``: its SHA-256, who imported it and when, and the
    England and Wales events as GOV.UK lists them (title, date, notes, bunting). The latest snapshot
    is the calendar of record for the years its events cover (``core.working_days``)."""

    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="bank_holiday_imports"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    events = models.JSONField(default=list)

    class Meta:
        ordering = ["-pk"]
        get_latest_by = "pk"

    def __str__(self):
        return f"Bank holidays imported on {timezone.localtime(self.imported_at):%d %B %Y %H:%M}"

    @property
    def years(self):
        years = sorted({int(e["date"][:4]) for e in self.events})
        return (years[0], years[-1]) if years else None


class DeadlineMove(models.Model):
    """A due date the calendar moved: a closure added or removed, or a new bank-holiday snapshot."""

    note = models.ForeignKey(MeetingNote, on_delete=models.CASCADE, related_name="deadline_moves")
    stage = models.CharField(max_length=10, choices=Reminder.Stage.choices)
    old_due = models.DateField()
    new_due = models.DateField()
    reason = models.CharField(max_length=300)
    snapshot = models.ForeignKey(
        BankHolidaySnapshot, null=True, blank=True, on_delete=models.CASCADE, related_name="moves"
    )
    moved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} moved from {self.old_due} to {self.new_due}"


class MeetingSeriesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Series of the authorities whose meetings the user sees as GO staff of the region or as the
        authority's own people, and those they organise."""
        if not _signed_in(user) or user.role == Role.NATIONAL:
            return self.none()
        q = models.Q(organiser=user)
        if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
            q |= models.Q(authority__region_id=user.region_id)
        if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
            q |= models.Q(authority_id=user.authority_id)
        return self.filter(q)


class MeetingSeries(models.Model):
    """Regular meetings agreed with an authority ("every 6 weeks on a Tuesday at 10:00 until ...").
    ``rule`` is an iCalendar RRULE (without DTSTART and UNTIL), ``starts_at`` the first meeting
    (Europe/London), ``until`` the last possible date. The series creates its meetings; changing it
    from a date onwards ends it the day before and continues as a new series (``previous``)."""

    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.PROTECT, related_name="meeting_series")
    kind = models.CharField(max_length=30, choices=Meeting.Kind.choices)
    rule = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    until = models.DateField()
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    location = models.CharField(max_length=200, blank=True)
    is_remote = models.BooleanField(default=False)
    is_face_to_face = models.BooleanField(default=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    organiser = models.ForeignKey(User, on_delete=models.PROTECT, related_name="series_organised")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="continued_by"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name_plural = "meeting series"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series_detail", kwargs={"pk": self.pk})


class Digest(models.Model):
    """The daily digest sent to one person: at most one per person per day, however many workers
    run the digest or however often it is retried (``claim`` is the run that sent it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    claim = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_per_person_per_day")]
        indexes = [models.Index(fields=["day", "claim"], name="digest_day_claim_idx")]

    def __str__(self):
        return f"Digest for {self.user} on {self.day}"


class FeedbackRound(models.Model):
    """A term's request for feedback on the arrangements (the protocol's "Feedback"): the DCS and
    senior officers of every authority are emailed a link to a short form."""

    class Term(models.TextChoices):
        AUTUMN = "autumn", "Autumn term"
        SPRING = "spring", "Spring term"
        SUMMER = "summer", "Summer term"

    year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=10, choices=Term.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField()
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["year", "term"], name="one_feedback_round_per_term")]

    def __str__(self):
        return f"{self.get_term_display()} {self.year}"

    def get_absolute_url(self):
        return reverse("meetings:feedback_give", kwargs={"pk": self.pk})


class ArrangementsFeedback(models.Model):
    """One person's answer for their authority: how well the arrangements and the support are working."""

    class Rating(models.IntegerChoices):
        VERY_WELL = 4, "Very well"
        WELL = 3, "Quite well"
        NOT_VERY_WELL = 2, "Not very well"
        NOT_AT_ALL = 1, "Not at all well"

    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="answers")
    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="arrangements_feedback")
    arrangements = models.PositiveSmallIntegerField(choices=Rating.choices)
    support = models.PositiveSmallIntegerField(choices=Rating.choices)
    working_well = models.TextField(blank=True)
    to_change = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="feedback_once_per_person_per_term"),
            models.CheckConstraint(
                name="feedback_ratings_valid",
                condition=models.Q(arrangements__gte=1, arrangements__lte=4, support__gte=1, support__lte=4),
            ),
        ]

    def __str__(self):
        return f"Feedback from {self.respondent} ({self.round})"


def new_token():
    return secrets.token_urlsafe(32)


def hash_token(token):
    """The SHA-256 of a feed token, as stored: the token has 256 random bits, so a plain hash (no salt,
    no stretching) is enough and lets the feed find its row by the hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class ICalTokenQuerySet(models.QuerySet):
    def for_token(self, token):
        """The row of a token as given in the feed's address (looked up by its hash)."""
        return self.filter(token_hash=hash_token(token))


class ICalToken(models.Model):
    """A user's calendar feed address. Only the token's hash is stored (ASVS 8.3.1, 13.1.3): the
    address is shown once, when it is made (``services.create_ical_token`` sets ``plain_token`` on the
    row it returns); afterwards nobody — the user, an administrator, a database backup — can read it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="ical_token")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ICalTokenQuerySet.as_manager()

    plain_token: str | None = None  # the token itself, only on the row create_ical_token returns

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def set_new_token(self):
        """A fresh random token: its hash is stored, the token itself kept on ``plain_token`` only."""
        self.plain_token = new_token()
        self.token_hash = hash_token(self.plain_token)
        return self.plain_token

    @property
    def is_active(self):
        return self.revoked_at is None
