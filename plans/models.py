"""Joint Improvement Support Plans on the Annex 2 template.

An Annex 2 row is a Priority with its Needs and Offers; "Resources" is an offer's days and £.
Workflow lives in ``plans.services``; these are the tables, constraints and small derived values.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, User, in_scope

from .urls_cache import pk_reverse

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_period(value):
    """A period is a financial year like "2009-10": the second year follows the first."""
    match = PERIOD_RE.match(value or "")
    if not match:
        raise ValidationError("Enter the period as two years like 2009-10", code="period_format")
    first, second = int(match.group(1)), int(match.group(2))
    if (first + 1) % 100 != second:
        raise ValidationError("The second year of the period must follow the first, like 2009-10", code="period_order")


def _signed_in(user):
    """Signed in and scoped: an account without the organisation its role needs sees nothing
    (``accounts.models.in_scope``)."""
    return in_scope(user)


class JISPQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The plans a user may open (docs/architecture.md, Permissions); anything else is a 404.

        GO staff: every plan of their region. The authority's DCS and officers: their own authority's.
        Provider advisers: approved plans their provider has an accepted offer in (RIEPs: every
        approved plan of the regions they serve). National analysts: approved plans only.
        """
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        published = [JISP.Status.APPROVED, JISP.Status.SUPERSEDED]
        if user.role in (Role.CSA, Role.GO_DIRECTOR):
            return self.filter(authority__region_id=user.region_id)
        if user.role in (Role.DCS, Role.LA_OFFICER):
            return self.filter(authority_id=user.authority_id)
        if user.role == Role.NATIONAL:
            return self.filter(status__in=published)
        if user.role == Role.PROVIDER_ADVISER and user.provider_id:
            in_plan = models.Q(
                pk__in=Offer.objects.filter(provider_id=user.provider_id, status=Offer.Status.ACCEPTED).values(
                    "priority__jisp_id"
                )
            )
            if user.provider.kind == "riep":
                in_plan |= models.Q(authority__region__in=user.provider.regions.all())
            return self.filter(in_plan, status__in=published)
        return self.none()


class JISP(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        WITH_AUTHORITY = "with_authority", "With authority"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.PROTECT, related_name="jisps")
    period = models.CharField(max_length=7, validators=[validate_period], db_index=True)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    csa = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Children's Services Adviser",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jisps",
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(upload_to="jisp_pdfs/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: User | None
    _change_reason: str

    objects = JISPQuerySet.as_manager()

    class Meta:
        verbose_name = "JISP"
        verbose_name_plural = "JISPs"
        ordering = ["authority__name", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "period", "version"], name="jisp_unique_version"),
            models.CheckConstraint(name="jisp_period_format", condition=models.Q(period__regex=r"^\d{4}-\d{2}$")),
            models.CheckConstraint(name="jisp_version_positive", condition=models.Q(version__gte=1)),
        ]

    def __str__(self):
        return f"{self.authority} JISP {self.period} (version {self.version})"

    def get_absolute_url(self):
        return pk_reverse("plans:detail", self.pk)

    def clean(self):
        if self.period:
            validate_period(self.period)

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.WITH_AUTHORITY)


class Priority(models.Model):
    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    is_workforce = models.BooleanField("workforce development", default=False)
    indicators = models.ManyToManyField("authorities.NationalIndicator", blank=True, related_name="priorities")
    notes = models.TextField(
        blank=True, help_text="the Notes column of the Annex 2 row, for local use by the GO and the authority"
    )
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[indicators])
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["jisp", "order", "pk"]
        verbose_name_plural = "priorities"
        indexes = [models.Index(fields=["jisp", "order"])]

    def __str__(self):
        return self.title


class Need(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="needs")
    order = models.PositiveIntegerField(default=0)
    description = models.TextField()
    from_workforce_tool = models.BooleanField("from the One Children's Workforce Tool", default=False)
    proposed_by_authority = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["priority", "order", "pk"]

    def __str__(self):
        return self.description[:80]


class OfferQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Offers a user may open: a provider only its own; the authority never a draft (invited)."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CSA, Role.GO_DIRECTOR):
            return self.filter(priority__jisp__authority__region_id=user.region_id)
        if user.role in (Role.DCS, Role.LA_OFFICER):
            return (
                self.filter(priority__jisp__authority_id=user.authority_id)
                .exclude(status=Offer.Status.INVITED)
                .exclude(status=Offer.Status.WITHDRAWN, submitted_at__isnull=True)
            )
        if user.role == Role.PROVIDER_ADVISER:
            return self.filter(provider_id=user.provider_id)
        if user.role == Role.NATIONAL:
            return self.filter(
                status=Offer.Status.ACCEPTED,
                priority__jisp__status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED],
            )
        return self.none()


class Offer(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        SUBMITTED = "submitted", "Submitted"
        CHALLENGED = "challenged", "Challenged"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class DeliveryStatus(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        DELIVERED = "delivered", "Delivered"
        NOT_DELIVERED = "not_delivered", "Not delivered"

    OPEN_STATUSES = (Status.INVITED, Status.SUBMITTED, Status.CHALLENGED)
    #: Delivery statuses that end the work: no reminders, never overdue.
    DELIVERY_DONE = (DeliveryStatus.DELIVERED, DeliveryStatus.NOT_DELIVERED)

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="offers")
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="offers")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED, db_index=True)
    invitation_message = models.TextField(blank=True)
    description = models.TextField(blank=True)
    deliver_by = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)])
    funding = models.DecimalField(
        "funding (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(blank=True)
    is_tailored = models.BooleanField(default=True)
    challenge_reason = models.TextField(blank=True)
    # The authority's own challenge while the plan is with it: "not tailored", with its reason; the
    # lead CSA then challenges the provider or accepts the offer, and the mark clears.
    authority_concern = models.TextField("the authority's concern", blank=True)
    authority_concern_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authority_concern_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The latest ``DeliveryUpdate``'s status, kept here by ``plans.services.delivery`` so that lists
    #: and the Annex 2 page read it without a query per row.
    delivery_status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_STARTED, db_index=True
    )
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()
    # Who made the change and why, set before a save for its history row (django-simple-history).
    _history_user: User | None
    _change_reason: str

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "pk"]
        indexes = [
            # A provider's latest offers (its dashboard): read in order, ten rows, not all its offers sorted.
            models.Index(fields=["provider", "-submitted_at", "-id"], name="offer_provider_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                name="offer_days_non_negative", condition=models.Q(days__isnull=True) | models.Q(days__gte=0)
            ),
            models.CheckConstraint(
                name="offer_funding_non_negative",
                condition=models.Q(funding__isnull=True) | models.Q(funding__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.provider} offer on {self.priority}"

    def get_absolute_url(self):
        return pk_reverse("plans:offer_detail", self.pk)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class DeliveryUpdate(models.Model):
    """One report on the delivery of an accepted offer (docs/architecture.md, Delivery): the
    provider's progress, or the CSA's or the authority's update or comment, or a review recorded at a
    strategic engagement meeting (``meeting``). ``status`` is the offer's delivery status afterwards;
    ``previous_status`` what it was before (the same for a comment)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="delivery_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Offer.DeliveryStatus.choices)
    previous_status = models.CharField(max_length=20, choices=Offer.DeliveryStatus.choices)
    body = models.TextField("what happened")
    days_given = models.DecimalField(
        "days actually given", max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="delivery_reviews"
    )

    class Meta:
        ordering = ["offer", "created_at", "pk"]
        indexes = [models.Index(fields=["offer", "created_at"])]
        constraints = [
            models.CheckConstraint(
                name="delivery_days_given_non_negative",
                condition=models.Q(days_given__isnull=True) | models.Q(days_given__gte=0),
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()}: {self.offer}"

    @property
    def is_comment(self):
        return self.status == self.previous_status


class OfferDraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A provider's unsubmitted revision is its own: its advisers alone see it."""
        if not _signed_in(user) or user.role != Role.PROVIDER_ADVISER:
            return self.none()
        return self.filter(offer__provider_id=user.provider_id)


class OfferDraft(models.Model):
    """The provider's revision of a challenged offer, saved but not yet resubmitted.

    The offer keeps what the provider submitted: the authority, the Government Office, the offer's
    history, the Annex 2 table, the PDF, the exports and the analysis show that until the provider
    resubmits. ``plans.services.offers.submit_offer`` then copies the revision onto the offer (with
    its history row and timeline snapshot) and deletes it; a withdrawal deletes it too."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, primary_key=True, related_name="revision")
    description = models.TextField(blank=True)
    deliver_by = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)])
    funding = models.DecimalField(
        "funding (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)

    objects = OfferDraftQuerySet.as_manager()

    FIELDS = ("description", "deliver_by", "days", "funding", "notes")

    def __str__(self):
        return f"Unsubmitted revision of {self.offer}"


class PlanFeedback(models.Model):
    """Which plan a piece of provision feedback is about. The link lives here, with the plans that
    depend on providers, so that ``providers`` never refers to ``plans``."""

    feedback = models.OneToOneField(
        "providers.ProvisionFeedback", on_delete=models.CASCADE, primary_key=True, related_name="plan_link"
    )
    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="provision_feedback")
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.feedback} ({self.jisp})"


class GoodPractice(models.Model):
    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="good_practice")
    area = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jisp", "area"]
        verbose_name_plural = "good practice areas"

    def __str__(self):
        return self.area


class DeploymentPlan(models.Model):
    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="deployment_plans")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="deployment_plans")
    file = models.FileField(upload_to="deployment_plans/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jisp", "provider__name", "-uploaded_at"]

    def __str__(self):
        return f"{self.provider} deployment plan ({self.original_name})"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    comments = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jisp", "-decided_at"]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.decided_by} on {self.decided_at:%d/%m/%Y}"


class PlanCommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments are seen by whoever may see the plan they are on."""
        return self.filter(jisp__in=JISP.objects.visible_to(user))

    def open(self):
        return self.filter(resolved_at__isnull=True)


class PlanComment(models.Model):
    """The authority's comment on a row of its plan (a priority, a need or an offer, or the plan as a
    whole) during its review; the lead CSA resolves it."""

    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="comments")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = PlanCommentQuerySet.as_manager()

    class Meta:
        ordering = ["jisp", "created_at", "pk"]
        indexes = [models.Index(fields=["jisp", "resolved_at"])]

    def __str__(self):
        return f"Comment by {self.author} on {self.target_label}"

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def target_label(self):
        if self.offer_id:
            return f"{self.offer.provider} offer on “{self.offer.priority.title}”"
        if self.need_id:
            return f"need “{self.need.description[:80]}”"
        if self.priority_id:
            return f"priority “{self.priority.title}”"
        return "the plan as a whole"


class PlanCopy(models.Model):
    """A copy of the signed-off plan sent to one person (the guidance: the CSA copies the finalised
    JISP to key partners). One per (plan, address): copying again sends nothing twice."""

    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="copies")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField()
    organisation = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jisp", "organisation", "email"]
        constraints = [models.UniqueConstraint(fields=["jisp", "email"], name="plan_copy_once_per_address")]

    def __str__(self):
        return f"Copy of {self.jisp} to {self.email}"


class OfferEvent(models.Model):
    """One step in the life of an offer, for its timeline: the invitation, each submission (with a
    snapshot of what was offered), each challenge with its reason, the acceptance or withdrawal."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        SUBMITTED = "submitted", "Submitted"
        RESUBMITTED = "resubmitted", "Revised and resubmitted"
        CHALLENGED = "challenged", "Challenged"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        VARIED = "varied", "Variation asked for"
        NOT_TAILORED = "not_tailored", "Marked not tailored by the authority"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, help_text="the invitation message, challenge reason or withdrawal reason")
    description = models.TextField(blank=True, help_text="what was offered, when submitted")
    deliver_by = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    funding = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    respond_by = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offer", "created_at", "pk"]
        indexes = [models.Index(fields=["offer", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.offer}"


class AnnexImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import waiting for its confirmation is GO working material: the region's GO staff (and
        admins) see it. Once imported, its document goes with the plan: whoever sees the plan."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        seen = models.Q(status=AnnexImport.Status.IMPORTED, jisp__in=JISP.objects.visible_to(user))
        if user.role in (Role.CSA, Role.GO_DIRECTOR):
            seen |= models.Q(authority__region_id=user.region_id)
        return self.filter(seen)


class AnnexImport(models.Model):
    """An Annex 2 document (Word or Excel) uploaded to become a draft plan: held, with its preview,
    until the lead CSA confirms it (or it expires); once confirmed, the original document kept with
    the plan it became."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey("authorities.LocalAuthority", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7, validators=[validate_period])
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="annex_imports/", blank=True)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=4, choices=[("docx", "Word document"), ("xlsx", "Excel spreadsheet")])
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    preview = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    jisp = models.ForeignKey(JISP, null=True, blank=True, on_delete=models.CASCADE, related_name="imports")

    objects = AnnexImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="annex_import_plan_when_imported",
                condition=~models.Q(status="imported") | models.Q(jisp__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.original_name} for {self.authority} {self.period}"

    def get_absolute_url(self):
        return reverse("plans:import_preview", kwargs={"pk": self.pk})

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def is_expired(self):
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The GO staff of the region and the authority's own DCS and officers (docs/architecture.md,
        In-year change); providers and analysts never see them."""
        if not _signed_in(user):
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CSA, Role.GO_DIRECTOR):
            return self.filter(jisp__authority__region_id=user.region_id)
        if user.role in (Role.DCS, Role.LA_OFFICER):
            return self.filter(jisp__authority_id=user.authority_id)
        return self.none()


class ChangeRequest(models.Model):
    """The authority asks for an in-year change to its approved plan: raised by the DCS (open), or by
    an officer for the DCS to confirm (awaiting_dcs). The lead CSA starts a revision (revising; the
    new version is ``revision``) or declines with a reason; the revision's approval makes it done."""

    class Status(models.TextChoices):
        AWAITING_DCS = "awaiting_dcs", "Waiting for the DCS to confirm"
        OPEN = "open", "Open"
        REVISING = "revising", "Revision started"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"

    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="change_requests")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("what should change and why")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="change_requests")
    offers = models.ManyToManyField(Offer, blank=True, related_name="change_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey(
        JISP, null=True, blank=True, on_delete=models.SET_NULL, related_name="answered_change_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["jisp", "status"])]
        constraints = [
            models.CheckConstraint(
                name="change_request_revision_when_revising",
                condition=~models.Q(status__in=["revising", "done"]) | models.Q(revision__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Change request on {self.jisp} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return pk_reverse("plans:change_request", self.pk)

    @property
    def is_waiting(self):
        return self.status in (self.Status.AWAITING_DCS, self.Status.OPEN)


class OwnSupport(models.Model):
    """Support the authority takes up or buys itself (C4EO, the Commissioning Support Programme or
    other), recorded by its DCS on the plan: a section of the Annex 2 page and the PDF."""

    class Source(models.TextChoices):
        C4EO = "c4eo", "C4EO"
        CSP = "csp", "Commissioning Support Programme"
        OTHER = "other", "Other"

    jisp = models.ForeignKey(JISP, on_delete=models.CASCADE, related_name="own_support")
    source = models.CharField(max_length=10, choices=Source.choices)
    description = models.TextField()
    cost = models.DecimalField(
        "cost (£)", max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["jisp", "source", "pk"]
        verbose_name_plural = "own support"
        constraints = [
            models.CheckConstraint(
                name="own_support_cost_non_negative", condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.description[:60]}"
