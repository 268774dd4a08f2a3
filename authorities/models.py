"""Regions, local authorities, National Indicators and Regional Children and Young People's Forums."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import Role, in_scope


class VisibleToAllQuerySet(models.QuerySet):
    """Reference data: every signed-in user may see every row."""

    def visible_to(self, user):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    government_office = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=10, blank=True)
    history = HistoricalRecords()

    objects = VisibleToAllQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    class LAType(models.TextChoices):
        COUNTY = "county", "County"
        UNITARY = "unitary", "Unitary"
        METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
        LONDON_BOROUGH = "london_borough", "London borough"
        CITY_OF_LONDON = "city_of_london", "City of London Corporation"

    class SupportStatus(models.TextChoices):
        UNIVERSAL = "universal", "Universal"
        PERFORMANCE_RISK = "performance_risk", "Performance risk"
        INTERVENTION = "intervention", "Intervention"
        IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"

    name = models.CharField(max_length=150)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="authorities")
    la_type = models.CharField("type", max_length=30, choices=LAType.choices)
    dcs = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Director of Children's Services",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dcs_of",
    )
    csa = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Children's Services Adviser",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="csa_of",
    )
    support_status = models.CharField(
        max_length=20, choices=SupportStatus.choices, default=SupportStatus.UNIVERSAL, db_index=True
    )
    history = HistoricalRecords()

    objects = VisibleToAllQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"
        constraints = [
            models.CheckConstraint(
                name="la_support_status_valid",
                condition=models.Q(
                    support_status__in=["universal", "performance_risk", "intervention", "improvement_notice"]
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authorities:detail", kwargs={"gss_code": self.gss_code})


class NationalIndicator(models.Model):
    class Outcome(models.TextChoices):
        BE_HEALTHY = "Be healthy", "Be healthy"
        STAY_SAFE = "Stay safe", "Stay safe"
        ENJOY_AND_ACHIEVE = "Enjoy and achieve", "Enjoy and achieve"
        POSITIVE_CONTRIBUTION = "Make a positive contribution", "Make a positive contribution"
        ECONOMIC_WELLBEING = "Achieve economic well-being", "Achieve economic well-being"

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=300)
    ecm_outcome = models.CharField("Every Child Matters outcome", max_length=40, choices=Outcome.choices)
    history = HistoricalRecords()

    objects = VisibleToAllQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"NI {self.number} {self.title}"


class RegionalForumQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not in_scope(user):
            return self.none()
        if user.is_superuser or user.role in (Role.ADMIN, Role.NATIONAL):
            return self
        q = models.Q(members=user)
        if user.region_id:
            q |= models.Q(region_id=user.region_id)
        if user.authority_id:
            q |= models.Q(region__authorities=user.authority_id)
        if user.provider_id:
            q |= models.Q(partners=user.provider_id)
        return self.filter(pk__in=self.filter(q).values("pk"))


class RegionalForum(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="forums")
    name = models.CharField(max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_forums"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="forums")
    partners = models.ManyToManyField("providers.Provider", blank=True, related_name="forums")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[members, partners])

    objects = RegionalForumQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="forum_unique_name_per_region")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authorities:forum_detail", kwargs={"pk": self.pk})
