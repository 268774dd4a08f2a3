"""Improvement support providers (field forces, National Strategies, RIEPs, C4EO, ...) and the
feedback authorities give on their provision."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, in_scope


class ProviderQuerySet(models.QuerySet):
    """Providers are reference data: every signed-in user may see them."""

    def visible_to(self, user):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self


class Provider(models.Model):
    class Kind(models.TextChoices):
        FIELD_FORCE = "field_force", "Field force"
        NATIONAL_STRATEGIES = "national_strategies", "National Strategies"
        RIEP = "riep", "Regional Improvement and Efficiency Partnership"
        C4EO = "c4eo", "C4EO"
        CSP = "csp", "Commissioning Support Programme"
        NDPB = "ndpb", "Non-departmental public body"
        VOLUNTARY = "voluntary", "Voluntary sector"
        PRIVATE = "private", "Private sector"
        ASSOCIATION = "association", "Association"
        INSPECTORATE = "inspectorate", "Inspectorate"
        DEPARTMENT = "department", "Government department"
        GOVERNMENT_OFFICE = "government_office", "Government Office"

    #: Kinds that deliver improvement support in plans; the others are partners only.
    DELIVERING_KINDS = (
        Kind.FIELD_FORCE,
        Kind.NATIONAL_STRATEGIES,
        Kind.RIEP,
        Kind.C4EO,
        Kind.CSP,
        Kind.NDPB,
        Kind.VOLUNTARY,
        Kind.PRIVATE,
    )

    class EngagementPreference(models.TextChoices):
        DIRECT = "direct", "Directly with the authority"
        THROUGH_GO = "through_go", "Through the Government Office"
        REGIONAL = "regional", "Through regional programmes"

    name = models.CharField(max_length=200, unique=True)
    abbreviation = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    regions = models.ManyToManyField("authorities.Region", blank=True, related_name="providers")
    remit = models.TextField(blank=True)
    party_to_protocol = models.BooleanField(default=False)
    capacity_days_per_year = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    engagement_preference = models.CharField(
        max_length=20, choices=EngagementPreference.choices, default=EngagementPreference.DIRECT
    )
    contact_email = models.EmailField(blank=True)
    history = HistoricalRecords(m2m_fields=[regions])

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="provider_capacity_non_negative",
                condition=models.Q(capacity_days_per_year__isnull=True) | models.Q(capacity_days_per_year__gte=0),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("providers:detail", kwargs={"abbreviation": self.abbreviation})

    @property
    def delivers_support(self):
        return self.kind in self.DELIVERING_KINDS


class ProvisionFeedbackQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A provider sees its own feedback, an authority its own, GO staff their region's."""
        if not in_scope(user):
            return self.none()
        if user.is_superuser or user.role in (Role.ADMIN, Role.NATIONAL):
            return self
        if user.role in (Role.CSA, Role.GO_DIRECTOR):
            return self.filter(authority__region_id=user.region_id)
        if user.role in (Role.DCS, Role.LA_OFFICER):
            return self.filter(authority_id=user.authority_id)
        if user.role == Role.PROVIDER_ADVISER:
            return self.filter(provider_id=user.provider_id)
        return self.none()


class ProvisionFeedback(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="feedback")
    authority = models.ForeignKey(
        "authorities.LocalAuthority", on_delete=models.CASCADE, related_name="provision_feedback"
    )
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ProvisionFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        verbose_name_plural = "provision feedback"
        constraints = [
            models.CheckConstraint(name="feedback_rating_1_to_5", condition=models.Q(rating__gte=1, rating__lte=5)),
        ]

    def __str__(self):
        return f"{self.provider} for {self.authority}: {self.rating}/5"
