"""The portal's users: one per person, signing in by email, with a role and the organisation they
belong to (a Region, a LocalAuthority or a Provider, as docs/architecture.md, Permissions, sets out)."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from core import digest


class Role(models.TextChoices):
    CSA = "csa", "Children's Services Adviser"
    GO_DIRECTOR = "go_director", "GO Director for Children and Learners"
    DCS = "dcs", "Director of Children's Services"
    LA_OFFICER = "la_officer", "Local authority officer"
    PROVIDER_ADVISER = "provider_adviser", "Provider adviser"
    NATIONAL = "national", "National analyst"
    ADMIN = "admin", "Administrator"


#: The organisation each role belongs to (docs/architecture.md, Permissions): a user of these roles without it would see
#: nothing of their own and, worse, queries that forgot to refuse them might widen to everything.
#: Enforced by a check constraint on User and on Invitation.
ORGANISATION_OF_ROLE: dict[str, str] = {
    Role.CSA: "region",
    Role.GO_DIRECTOR: "region",
    Role.DCS: "authority",
    Role.LA_OFFICER: "authority",
    Role.PROVIDER_ADVISER: "provider",
}


def lacks_organisation(user: Any) -> bool:
    """Whether ``user``'s role needs an organisation (``ORGANISATION_OF_ROLE``) that it does not have:
    a CSA or GO director without a region, a DCS or officer without an authority, a provider adviser
    without a provider. The check constraints keep active accounts from being so; the scope queries
    refuse such an account all the same (``in_scope``), so that a missing organisation can never
    widen what anyone sees."""
    field = ORGANISATION_OF_ROLE.get(getattr(user, "role", None) or "")
    return bool(field) and getattr(user, f"{field}_id", None) is None


def in_scope(user: Any) -> bool:
    """The first question of every scope query (``visible_to``, the compliance figures, the panels):
    signed in, switched on and with the organisation the role needs. Anyone else sees nothing."""
    return bool(user and user.is_authenticated and user.is_active) and not lacks_organisation(user)


def roles_needing(field: str) -> list[str]:
    return [str(role) for role, needed in ORGANISATION_OF_ROLE.items() if needed == field]


def organisation_constraints(prefix: str, *, exempt: models.Q | None = None) -> list[models.CheckConstraint]:
    """One check constraint per organisation field: the roles that need it have it (``exempt``: a
    condition under which the rule does not apply, e.g. a switched-off account)."""
    constraints = []
    for field in ("region", "authority", "provider"):
        condition = ~models.Q(role__in=roles_needing(field)) | models.Q(**{f"{field}__isnull": False})
        if exempt is not None:
            condition = exempt | condition
        constraints.append(models.CheckConstraint(name=f"{prefix}_role_needs_{field}", condition=condition))
    return constraints


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
    reminder_emails = models.CharField("reminder emails", max_length=10, choices=digest.CHOICES, default=digest.DIGEST)

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
            # An active account always has the organisation its role needs (a switched-off account
            # keeps whatever it had, so old rows that could not be mended were switched off instead).
            *organisation_constraints("user", exempt=models.Q(is_active=False)),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def organisation(self) -> Any:
        """The Region, LocalAuthority or Provider the role belongs to (None for national and system staff)."""
        field = ORGANISATION_OF_ROLE.get(self.role)
        if field:
            return getattr(self, field)
        return self.region if self.role == Role.ADMIN else None

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

    @property
    def is_system_admin(self) -> bool:
        """An administrator of the whole service (a superuser, or an administrator of no region);
        an administrator with a region administers that region only."""
        return self.is_active and (self.is_superuser or (self.role == Role.ADMIN and self.region_id is None))


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
        # People: invitations, access requests and changes to who may do what.
        INVITED = "invited", "Person invited"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_CANCELLED = "invitation_cancelled", "Invitation cancelled"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ACCESS_REQUESTED = "access_requested", "Access requested"
        ACCESS_DECLINED = "access_declined", "Access request declined"
        ROLE_CHANGED = "role_changed", "Role or organisation changed"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account switched off"
        ACCOUNT_REACTIVATED = "account_reactivated", "Account switched on again"
        # Credentials and sessions.
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset asked for"
        EMAIL_CHANGED = "email_changed", "Email address changed"
        TWO_FACTOR_LINK_SENT = "two_factor_link_sent", "Two-factor set-up link sent"
        SESSION_ENDED = "session_ended", "Session ended"
        SESSION_TIMED_OUT = "session_timed_out", "Signed out after inactivity"

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


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor cancelled (it may have expired: see ``pending``)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)

    def pending(self, now: Any = None) -> "InvitationQuerySet":
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An invitation to join the portal with a role and the organisation it needs. The emailed link
    (``accounts.tokens.invitation_tokens``) works once, until ``expires_at`` (7 days after it was last
    sent), and not at all once the invitation is accepted or cancelled."""

    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "authorities.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    authority = models.ForeignKey(
        "authorities.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now, help_text="when the link was last emailed")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
        help_text="the account made when the invitation was accepted",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="invitation_role_valid", condition=models.Q(role__in=[r.value for r in Role])),
            *organisation_constraints("invitation"),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.role_label}"

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def organisation(self) -> Any:
        field = ORGANISATION_OF_ROLE.get(self.role)
        if field:
            return getattr(self, field)
        return self.region if self.role == Role.ADMIN else None

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AccessRequest(models.Model):
    """Someone from a provider with no adviser on the portal asks for an account (from the link in
    the email to the provider's contact address). A CSA or administrator approves it, which sends an
    invitation, or declines it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="access_requests")
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    job_title = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_request"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.email}) for {self.provider}"


class UserSession(models.Model):
    """A signed-in session (Django's own row is ``django_session``, keyed the same): whose it is,
    from which browser and address, since when — so a user can see their sessions and end them."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    user_agent = models.CharField(max_length=200, blank=True, help_text="a summary, like Firefox on Windows")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Session of {self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One attempt at a throttled action (a password reset, an access request) by one key (a hashed
    email or address): counted in a sliding window, in the database so every web machine shares it."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="ratelimit_scope_key_at_idx")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M}"
