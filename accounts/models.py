"""The portal's users: one per person, signing in by email, with a role and the organisation they
belong to (a Region, a LocalAuthority or a Provider, as docs/architecture.md, Permissions, sets out)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    CSA = "csa", "Children's Services Adviser"
    GO_DIRECTOR = "go_director", "GO Director for Children and Learners"
    DCS = "dcs", "Director of Children's Services"
    LA_OFFICER = "la_officer", "Local authority officer"
    PROVIDER_ADVISER = "provider_adviser", "Provider adviser"
    NATIONAL = "national", "National analyst"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("role", Role.ADMIN)
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LA_OFFICER, db_index=True)
    region = models.ForeignKey(
        "authorities.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    authority = models.ForeignKey(
        "authorities.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="advisers"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_regional_lead = models.BooleanField(
        "regional lead for sector-led improvement",
        default=False,
        help_text="A DCS or an administrator who sets up peer challenges in their region "
        "(an administrator without a region: in every region). Appointed on the regional leads page.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    # Set on the signed-in user of each request by django-otp's middleware.
    is_verified: Callable[[], bool]
    # Set by accounts.audit between the pre-save and post-save signals: the watched fields before.
    _audit_before: dict[str, Any] | None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=models.Q(role__in=[r.value for r in Role]),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    # Small role helpers used by templates and rules.
    @property
    def is_csa(self) -> bool:
        return self.role == Role.CSA

    @property
    def is_go_director(self) -> bool:
        return self.role == Role.GO_DIRECTOR

    @property
    def is_dcs(self) -> bool:
        return self.role == Role.DCS

    @property
    def is_la_officer(self) -> bool:
        return self.role == Role.LA_OFFICER

    @property
    def is_authority_user(self) -> bool:
        return self.role in (Role.DCS, Role.LA_OFFICER)

    @property
    def is_provider_adviser(self) -> bool:
        return self.role == Role.PROVIDER_ADVISER

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_go_staff(self) -> bool:
        return self.role in (Role.CSA, Role.GO_DIRECTOR)


class OutboundEmail(models.Model):
    """One email for one event to one recipient. The (key, recipient) pair makes sending idempotent:
    queuing the same event twice, or a retried task, never sends a second copy."""

    key = models.CharField(max_length=200, help_text="the event, e.g. offer-invited:42")
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["key", "recipient"], name="email_once_per_event")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}"


class AuditEvent(models.Model):
    """One line of the audit log: a sign-in, a failed sign-in, a sign-out, a lockout, a two-factor
    event, or a change to a record with history (recorded by ``accounts.audit`` from signals, so
    services written anywhere are audited without calling it). ``details`` holds field names, never
    the text of OFFICIAL-SENSITIVE judgements."""

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor set up"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor device removed"
        ACCOUNT_CREATED = "account_created", "Account created"
        ACCOUNT_CHANGED = "account_changed", "Account changed"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model, e.g. plans.offer")
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="audit_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.summary}"
