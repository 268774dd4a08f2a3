"""Sector-led improvement: the self-improvement cycle the sector took over from the Government
Office model (reference documents 002–004).

An authority writes its annual ``SelfAssessment`` against the ``AssessmentFramework`` the
administrators maintain (``FrameworkArea`` with its ``JudgementLevel`` scale), with evidence and its
local profile; once its DCS shares it, a regional lead sets up a ``PeerChallenge`` with a team of
DCSs and senior officers of other authorities (``PeerChallengeMember``); the team writes a
``Finding`` per area; the authority responds within 5 working days; the lead issues the final letter
(a PDF). Every day given to a peer challenge is a ``ReciprocityEntry`` in the ledger (the expectation:
five days a year per authority). After a peer challenge, or an ``InspectionRecord``, the authority's
lead adviser brokers a support package (``Brokerage``): a support plan made with the plans services,
inviting providers on the ``FrameworkProvider`` list.

Workflow lives in ``improvement.services``; these are the tables, constraints and derived values.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, in_scope
from plans.models import JISP, validate_period

User = settings.AUTH_USER_MODEL

#: Days each authority is expected to give to peer challenge in a year ("each DCS ... will dedicate
#: five days per annum on a reciprocal basis to supporting this peer challenge activity").
EXPECTED_DAYS_PER_YEAR = 5

#: ``lead_region_scope`` for a regional lead who leads in every region (an administrator without one).
ALL_REGIONS = "all"


def financial_year(d: date) -> str:
    """The financial year of a date, written as plans' periods are: 1 April 2026 → "2026-27"."""
    first = d.year if d.month >= 4 else d.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def year_bounds(year: str) -> tuple[date, date]:
    """The first and last day of a financial year like "2026-27"."""
    first = int(year[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def _signed_in(user):
    """Signed in and scoped: an account without the organisation its role needs sees nothing
    (``accounts.models.in_scope``)."""
    return in_scope(user)


def lead_region_scope(user):
    """Where ``user`` acts as a regional lead: None (not a lead), ``ALL_REGIONS``, or a region id.

    The flag counts only on a DCS (their authority's region) or an administrator (their region, or
    every region for an administrator without one)."""
    if not _signed_in(user) or not getattr(user, "is_regional_lead", False):
        return None
    if user.role == Role.DCS:
        return user.authority.region_id  # in scope: the DCS has an authority
    if user.role == Role.ADMIN:
        return user.region_id or ALL_REGIONS
    return None


def _lead_q(user, path):
    """The Q of rows whose authority (at ``path``) is in the user's regional-lead scope, or None."""
    scope = lead_region_scope(user)
    if scope is None:
        return None
    if scope == ALL_REGIONS:  # (an empty Q would vanish when OR-ed with another)
        everything = models.Q(**{f"{path}_id__isnull": False})
        return everything & ~models.Q(**{f"{path}_id": user.authority_id}) if user.authority_id else everything
    q = models.Q(**{f"{path}__region_id": scope})
    if user.authority_id:
        q &= ~models.Q(**{f"{path}_id": user.authority_id})
    return q


# --- the framework --------------------------------------------------------------------------------


class AssessmentFramework(models.Model):
    """The framework self-assessments are written against; one is current (new self-assessments use
    it). A framework in use is never changed: the administrator adds a new one."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="improvement_one_current_framework"
            ),
        ]

    def __str__(self):
        return self.name


class FrameworkArea(models.Model):
    """An area of the framework (e.g. safeguarding), with what it covers, the evidence expected and
    its judgement scale (``levels``)."""

    framework = models.ForeignKey(AssessmentFramework, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField("what the area covers", blank=True)
    evidence_prompt = models.TextField("evidence expected", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "title"], name="improvement_area_unique_title"),
        ]

    def __str__(self):
        return self.title


class JudgementLevel(models.Model):
    """One grade of an area's judgement scale; rank 1 is the strongest."""

    area = models.ForeignKey(FrameworkArea, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["area", "rank"], name="improvement_level_unique_rank"),
            models.UniqueConstraint(fields=["area", "label"], name="improvement_level_unique_label"),
        ]

    def __str__(self):
        return self.label


# --- self-assessment ------------------------------------------------------------------------------


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A draft is the authority's alone (its DCS and officers). Once shared for peer challenge:
        also the regional leads of its region and the members of a team testing it."""
        if not _signed_in(user):
            return self.none()
        q = models.Q(pk__in=[])
        if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
            q |= models.Q(authority_id=user.authority_id)
        shared = models.Q(
            pk__in=PeerChallengeMember.objects.filter(user=user, status=PeerChallengeMember.Status.ACCEPTED).values(
                "peer_challenge__self_assessment_id"
            )
        )
        lead = _lead_q(user, "authority")
        if lead is not None:
            shared |= lead
        q |= models.Q(status=SelfAssessment.Status.SHARED) & shared
        return self.filter(q)


class SelfAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared for peer challenge"

    authority = models.ForeignKey(
        "authorities.LocalAuthority", on_delete=models.PROTECT, related_name="self_assessments"
    )
    year = models.CharField(max_length=7, validators=[validate_period], db_index=True)
    framework = models.ForeignKey(AssessmentFramework, on_delete=models.PROTECT, related_name="self_assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    summary = models.TextField("overall self-evaluation", blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="improvement_one_self_assessment_a_year"),
            models.CheckConstraint(
                name="improvement_self_assessment_status_valid", condition=models.Q(status__in=["draft", "shared"])
            ),
            models.CheckConstraint(
                name="improvement_self_assessment_year_format", condition=models.Q(year__regex=r"^\d{4}-\d{2}$")
            ),
        ]

    def __str__(self):
        return f"{self.authority} self-assessment {self.year}"

    def get_absolute_url(self):
        return reverse("improvement:self_assessment", kwargs={"pk": self.pk})

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class SelfAssessmentArea(models.Model):
    """The authority's own judgement of one framework area, with its evidence."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="answers")
    judgement = models.ForeignKey(JudgementLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    class Meta:
        ordering = ["self_assessment", "area__order", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "area"], name="improvement_one_answer_per_area"),
        ]

    def __str__(self):
        return f"{self.area} ({self.self_assessment})"

    @property
    def is_complete(self):
        return self.judgement_id is not None and bool(self.evidence.strip())


class ProfileEntry(models.Model):
    """A line of the authority's local profile: a National Indicator its plan uses, with the latest
    figure and what it says."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="profile")
    indicator = models.ForeignKey("authorities.NationalIndicator", on_delete=models.PROTECT, related_name="+")
    figure = models.CharField("latest figure", max_length=100, blank=True)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["self_assessment", "indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "indicator"], name="improvement_profile_once"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.figure}"


class Evidence(models.Model):
    """A document attached to a self-assessment (checked by content, stored under a generated name,
    served only to those who may see the self-assessment)."""

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="evidence")
    answer = models.ForeignKey(
        SelfAssessmentArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="self_assessment_evidence/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    class Meta:
        ordering = ["self_assessment", "uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.title


# --- peer challenge -------------------------------------------------------------------------------


class PeerChallengeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The authority's DCS and officers; the team (invited or on it); the regional leads of the
        region; and once the letter is issued, the region's GO staff, national analysts and
        administrators."""
        if not _signed_in(user):
            return self.none()
        q = models.Q(
            pk__in=PeerChallengeMember.objects.filter(
                user=user, status__in=[PeerChallengeMember.Status.INVITED, PeerChallengeMember.Status.ACCEPTED]
            ).values("peer_challenge_id")
        )
        if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
            q |= models.Q(authority_id=user.authority_id)
        lead = _lead_q(user, "authority")
        if lead is not None:
            q |= lead
        issued = models.Q(status=PeerChallenge.Status.LETTER_ISSUED)
        if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
            q |= issued & models.Q(authority__region_id=user.region_id)
        if user.role in (Role.NATIONAL, Role.ADMIN) or user.is_superuser:
            q |= issued
        return self.filter(q)


class PeerChallenge(models.Model):
    """A peer challenge of an authority's shared self-assessment, set up by a regional lead.

    planned ─send_findings→ findings_sent ─respond→ responded ─issue_letter→ letter_issued
    findings_sent ─(5 working days, no response: the sweep)→ no_response ─issue_letter→ letter_issued
    planned ─cancel→ cancelled
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        FINDINGS_SENT = "findings_sent", "Findings sent"
        RESPONDED = "responded", "Response received"
        NO_RESPONSE = "no_response", "No response"
        LETTER_ISSUED = "letter_issued", "Letter issued"
        CANCELLED = "cancelled", "Cancelled"

    authority = models.ForeignKey(
        "authorities.LocalAuthority", on_delete=models.PROTECT, related_name="peer_challenges"
    )
    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.PROTECT, related_name="challenges")
    lead = models.ForeignKey(User, on_delete=models.PROTECT, related_name="peer_challenges_led")
    starts_on = models.DateField("first day on site")
    ends_on = models.DateField("last day on site")
    focus = models.TextField("what the challenge focuses on", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    findings_sent_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True, db_index=True)
    response = models.TextField("the authority's response", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    letter_due = models.DateField(null=True, blank=True, db_index=True)
    letter = models.TextField("final letter", blank=True)
    letter_issued_at = models.DateTimeField(null=True, blank=True)
    letter_issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    letter_pdf = models.FileField(upload_to="peer_challenge_letters/", blank=True)
    letter_pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    objects = PeerChallengeQuerySet.as_manager()
    # Set by improvement.queries for the dashboard: the due date in words, and whether it has passed.
    due_text: str
    is_overdue: bool

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="improvement_challenge_dates_in_order", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="improvement_challenge_status_valid",
                condition=models.Q(
                    status__in=["planned", "findings_sent", "responded", "no_response", "letter_issued", "cancelled"]
                ),
            ),
        ]

    def __str__(self):
        return f"Peer challenge of {self.authority} ({self.starts_on:%B %Y})"

    def get_absolute_url(self):
        return reverse("improvement:challenge", kwargs={"pk": self.pk})

    @property
    def current_stage(self):
        """(stage, due date) of what is awaited on the clock now, or (None, None)."""
        S = self.Status
        if self.status == S.FINDINGS_SENT:
            return "response", self.response_due
        if self.status in (S.RESPONDED, S.NO_RESPONSE):
            return "letter", self.letter_due
        return None, None

    @property
    def state_phrase(self):
        """Where the challenge is, as the end of a sentence ("You cannot do this now: ...")."""
        return {
            self.Status.PLANNED: "the peer challenge is being planned and its findings written",
            self.Status.FINDINGS_SENT: "the findings have been sent to the authority",
            self.Status.RESPONDED: "the authority has responded to the findings",
            self.Status.NO_RESPONSE: "the authority did not respond to the findings in time",
            self.Status.LETTER_ISSUED: "the final letter has been issued",
            self.Status.CANCELLED: "the peer challenge was cancelled",
        }[self.status]

    @property
    def findings_released(self):
        """The authority sees the findings once they are sent to it."""
        return self.status in (
            self.Status.FINDINGS_SENT,
            self.Status.RESPONDED,
            self.Status.NO_RESPONSE,
            self.Status.LETTER_ISSUED,
        )


class PeerChallengeMember(models.Model):
    """A DCS or senior officer of another authority invited to the team, and the days they give."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "On the team"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    peer_challenge = models.ForeignKey(PeerChallenge, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="peer_challenge_places")
    authority = models.ForeignKey(
        "authorities.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="peer_challenge_places",
        help_text="the member's authority when invited",
    )
    days = models.DecimalField(max_digits=4, decimal_places=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED, db_index=True)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    class Meta:
        ordering = ["peer_challenge", "invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["peer_challenge", "user"], name="improvement_member_once"),
            models.CheckConstraint(name="improvement_member_days_positive", condition=models.Q(days__gt=0)),
            models.CheckConstraint(
                name="improvement_member_status_valid",
                condition=models.Q(status__in=["invited", "accepted", "declined", "withdrawn"]),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.authority}) on {self.peer_challenge}"

    @property
    def answer_phrase(self):
        return {
            self.Status.INVITED: "you have not answered yet",
            self.Status.ACCEPTED: "you joined the team",
            self.Status.DECLINED: "you declined",
            self.Status.WITHDRAWN: "you were taken off the team",
        }[self.status]


class Finding(models.Model):
    """The team's finding on one framework area: strengths, areas for improvement and its judgement,
    with reasons where it differs from the authority's own; and the authority's response to it."""

    peer_challenge = models.ForeignKey(PeerChallenge, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(FrameworkArea, on_delete=models.PROTECT, related_name="findings")
    judgement = models.ForeignKey(JudgementLevel, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    reasons = models.TextField("reasons for the judgement", blank=True)
    response = models.TextField("the authority's response", blank=True)
    written_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    class Meta:
        ordering = ["peer_challenge", "area__order", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["peer_challenge", "area"], name="improvement_one_finding_per_area"),
        ]

    def __str__(self):
        return f"{self.area}: {self.judgement}"

    @property
    def improvement_points(self):
        """The areas for improvement, one per non-blank line (list markers removed)."""
        points = []
        for line in self.areas_for_improvement.splitlines():
            text = line.strip().lstrip("-*•").strip()
            if text:
                points.append(text)
        return points


class ChallengeReminder(models.Model):
    """A reminder sent by the sweep: once per challenge, stage, kind and recipient."""

    class Stage(models.TextChoices):
        RESPONSE = "response", "The authority's response to the findings"
        LETTER = "letter", "The final letter"

    class Kind(models.TextChoices):
        DUE_TOMORROW = "due_tomorrow", "Due in 1 working day"
        DUE_TODAY = "due_today", "Due today"
        OVERDUE = "overdue", "Overdue"

    peer_challenge = models.ForeignKey(PeerChallenge, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer_challenge", "stage", "kind", "recipient"], name="improvement_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_stage_display()}) to {self.recipient}"


# --- the reciprocity ledger -----------------------------------------------------------------------


class ReciprocityEntry(models.Model):
    """Days a DCS or officer gave to a peer challenge: given by their authority, received by the
    authority challenged, counted in the financial year of ``given_on``."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="reciprocity_entries")
    giving_authority = models.ForeignKey(
        "authorities.LocalAuthority", on_delete=models.PROTECT, related_name="peer_days_given"
    )
    receiving_authority = models.ForeignKey(
        "authorities.LocalAuthority", on_delete=models.PROTECT, related_name="peer_days_received"
    )
    peer_challenge = models.ForeignKey(
        PeerChallenge, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    year = models.CharField(max_length=7, validators=[validate_period], db_index=True)
    given_on = models.DateField()
    days = models.DecimalField(max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "pk"]
        verbose_name_plural = "reciprocity entries"
        constraints = [
            models.UniqueConstraint(fields=["peer_challenge", "person"], name="improvement_days_once_per_challenge"),
            models.CheckConstraint(name="improvement_days_positive", condition=models.Q(days__gt=0)),
            models.CheckConstraint(
                name="improvement_days_given_to_another_authority",
                condition=~models.Q(giving_authority=models.F("receiving_authority")),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "giving_authority"], name="improvement_ledger_given_idx"),
            models.Index(fields=["year", "receiving_authority"], name="improvement_ledger_recv_idx"),
        ]

    def __str__(self):
        return f"{self.days} days from {self.giving_authority} to {self.receiving_authority} ({self.year})"


# --- inspection and brokerage ---------------------------------------------------------------------


class InspectionRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Inspection outcomes are published: every signed-in user but provider advisers."""
        if not _signed_in(user) or user.role == Role.PROVIDER_ADVISER:
            return self.none()
        return self


class InspectionRecord(models.Model):
    """An inspection outcome an administrator records, from which support may be brokered."""

    class Judgement(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        SATISFACTORY = "satisfactory", "Satisfactory"
        INADEQUATE = "inadequate", "Inadequate"

    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.PROTECT, related_name="inspections")
    inspectorate = models.CharField(max_length=100, default="Ofsted")
    title = models.CharField("inspection", max_length=200)
    published_on = models.DateField()
    overall = models.CharField("overall effectiveness", max_length=20, choices=Judgement.choices)
    summary = models.TextField(blank=True)
    areas_for_improvement = models.TextField()
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    objects = InspectionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="improvement_inspection_judgement_valid",
                condition=models.Q(overall__in=["outstanding", "good", "satisfactory", "inadequate"]),
            ),
        ]

    def __str__(self):
        return f"{self.inspectorate} {self.title}, {self.authority} ({self.published_on:%B %Y})"

    def get_absolute_url(self):
        return reverse("improvement:inspection", kwargs={"pk": self.pk})

    @property
    def improvement_points(self):
        return [
            line.strip().lstrip("-*•").strip()
            for line in self.areas_for_improvement.splitlines()
            if line.strip().lstrip("-*•").strip()
        ]


class FrameworkProvider(models.Model):
    """A provider on the framework list: approved to supply brokered support packages."""

    provider = models.OneToOneField("providers.Provider", on_delete=models.PROTECT, related_name="framework_place")
    services = models.TextField("support it is approved to supply", blank=True)
    approved_on = models.DateField(default=date.today)
    is_active = models.BooleanField("on the list", default=True)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    class Meta:
        ordering = ["provider__name"]

    def __str__(self):
        return str(self.provider)


class BrokerageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The authority's DCS and officers, the region's GO staff and regional leads, and
        administrators; national analysts once the support plan is approved (as they see plans)."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        q = models.Q(pk__in=[])
        if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
            q |= models.Q(authority_id=user.authority_id)
        if user.role in (Role.CSA, Role.GO_DIRECTOR) and user.region_id:
            q |= models.Q(authority__region_id=user.region_id)
        if user.role == Role.NATIONAL:
            q |= models.Q(support_plan__status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED])
        lead = _lead_q(user, "authority")
        if lead is not None:
            q |= lead
        return self.filter(q)


class Brokerage(models.Model):
    """A support package brokered with an authority after a peer challenge or an inspection: its
    areas for improvement became the priorities of ``support_plan`` (a plan made with the plans
    services), with providers of the framework list invited to offer."""

    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.PROTECT, related_name="brokerages")
    peer_challenge = models.ForeignKey(
        PeerChallenge, null=True, blank=True, on_delete=models.PROTECT, related_name="brokerages"
    )
    inspection = models.ForeignKey(
        InspectionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="brokerages"
    )
    findings = models.ManyToManyField(Finding, blank=True, related_name="brokerages")
    broker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="brokerages")
    support_plan = models.OneToOneField("plans.JISP", on_delete=models.PROTECT, related_name="brokerage")
    providers = models.ManyToManyField("providers.Provider", blank=True, related_name="brokerages")
    summary = models.TextField("what was agreed with the authority", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: Any
    _change_reason: str

    objects = BrokerageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="improvement_brokerage_has_one_source",
                condition=(models.Q(peer_challenge__isnull=False) & models.Q(inspection__isnull=True))
                | (models.Q(peer_challenge__isnull=True) & models.Q(inspection__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"Brokered support for {self.authority} ({self.support_plan.period})"

    def get_absolute_url(self):
        return reverse("improvement:brokerage", kwargs={"pk": self.pk})

    @property
    def source(self):
        return self.peer_challenge or self.inspection
