"""People: invitations, access requests from providers, and changes to who may do what.

Every function checks the actor's right (``accounts.people``: PermissionDenied) and the state
(ServiceError, shown to the user), runs in one transaction, writes the audit log and queues its
emails to go after commit (``core.notify``).

- ``invite_user`` → the invitee gets a single-use link (``accounts.tokens``) that expires after
  ``INVITATION_DAYS``; ``resend_invitation`` sends a new one (the old link stops working) and
  ``cancel_invitation`` stops it. ``accept_invitation`` makes the account from the link.
- ``import_invitations``: many invitations from a checked CSV, all or none.
- ``change_role``, ``deactivate_user`` (their sessions end at once, ``core.hooks`` tells the other
  apps, e.g. their calendar feed stops), ``reactivate_user``.
- ``request_access`` (public, from the link emailed to a provider's contact address),
  ``approve_access_request`` (which invites the person), ``decline_access_request``.
- ``send_two_factor_link``: a one-time link to set up two-factor sign-in (replacing any device).
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core import hooks
from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from . import audit, people
from .models import AccessRequest, AuditEvent, Invitation, Role, User, UserSession
from .tokens import encode_id, invitation_tokens, two_factor_setup_tokens

__all__ = [
    "INVITATION_DAYS",
    "invite_user",
    "resend_invitation",
    "cancel_invitation",
    "accept_invitation",
    "import_invitations",
    "change_role",
    "deactivate_user",
    "reactivate_user",
    "request_access",
    "approve_access_request",
    "decline_access_request",
    "send_two_factor_link",
    "end_sessions",
    "access_request_link",
]

#: An invitation's link works this many days after it was (last) sent.
INVITATION_DAYS = 7

Action = AuditEvent.Action


def _record(action: str, **kwargs: Any) -> AuditEvent:
    """An audit event, with the address of the request being served (if any)."""
    kwargs.setdefault("request", audit._current_request())
    return audit.record(action, **kwargs)


def describe(role: str, organisation: Any) -> str:
    """ "Children's Services Adviser, North East"."""
    label = Role(role).label
    return f"{label}, {organisation}" if organisation else label


def _organisation_of(values: dict[str, Any]) -> Any:
    return values.get("authority") or values.get("provider") or values.get("region")


def _check_organisation(role: str, values: dict[str, Any]) -> None:
    missing = people.missing_organisation(role, values)
    if missing:
        words = {"region": "the region", "authority": "the local authority", "provider": "the provider"}
        raise ServiceError(f"Select {words[missing]} this person belongs to", field=missing)


def invitation_link(invitation: Invitation) -> str:
    token = invitation_tokens.make_token(invitation)
    return absolute_url(reverse("accounts:invitation_accept", args=[encode_id(invitation.pk), token]))


def _send_invitation(invitation: Invitation, actor: User | None) -> None:
    queue_email(
        key=f"invitation:{invitation.pk}:{invitation.sent_at.timestamp():.6f}",
        recipients=[invitation.email],
        subject="You have been invited to the JISP portal",
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "inviter": actor,
            "role": describe(invitation.role, invitation.organisation),
            "link": invitation_link(invitation),
            "days": INVITATION_DAYS,
        },
    )


def _existing_account_error(email: str, actor: User) -> ServiceError | None:
    """The refusal for an email that has an account: with its role and organisation when the actor
    manages that account, else only that it exists."""
    user = User.objects.filter(email__iexact=email).select_related("region", "authority", "provider").first()
    if user is None:
        return None
    if not people.may_manage(actor, user):
        return ServiceError(f"{email} already has an account. Nothing was sent.", field="email")
    state = "" if user.is_active else " (switched off)"
    return ServiceError(
        f"{email} already has an account{state}: {describe(user.role, user.organisation)}. "
        "Nothing was sent. Change their role on their page instead.",
        field="email",
    )


# --- invitations ----------------------------------------------------------------------------------


def invite_user(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    region: Any = None,
    authority: Any = None,
    provider: Any = None,
    _check: bool = True,
) -> Invitation:
    """Invite a person by email to the role and organisation. Refused (nothing changes) when the
    email already has an account or a pending invitation."""
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    if role not in Role.values:
        raise ServiceError("Select a role", field="role")
    values = people.normalise(role, region=region, authority=authority, provider=provider)
    _check_organisation(role, values)
    if _check and not people.may_assign(actor, role, **values):
        raise PermissionDenied("You may not invite someone to this role or organisation.")
    if not email:
        raise ServiceError("Enter their email address", field="email")
    if not full_name:
        raise ServiceError("Enter their full name", field="full_name")
    with transaction.atomic():
        error = _existing_account_error(email, actor)
        if error:
            raise error
        now = timezone.now()
        open_ones = Invitation.objects.select_for_update().open().filter(email__iexact=email)
        for old in open_ones:
            if old.expires_at > now:
                raise ServiceError(
                    f"{email} was already invited on {timezone.localtime(old.sent_at):%-d %B %Y}. "
                    "Send that invitation again from the list of invitations, or cancel it first.",
                    field="email",
                )
            old.cancelled_at = now  # an expired invitation gives way to the new one
            old.save(update_fields=["cancelled_at"])
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    email=email,
                    full_name=full_name,
                    role=role,
                    invited_by=actor,
                    created_at=now,
                    sent_at=now,
                    expires_at=now + timedelta(days=INVITATION_DAYS),
                    **values,
                )
        except IntegrityError as error:  # invited at the same moment by someone else
            raise ServiceError(f"{email} has just been invited by someone else.", field="email") from error
        _send_invitation(invitation, actor)
        _record(
            Action.INVITED,
            actor=actor,
            obj=invitation,
            summary=f"{email} invited as {describe(role, _organisation_of(values))}",
            details={"role": role, "email": email},
        )
    return invitation


def _visible_invitation(actor: User, invitation: Invitation) -> None:
    if not people.visible_invitations(actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied("You may not change this invitation.")


def _locked_open(invitation: Invitation, action: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ServiceError(f"You cannot {action} this invitation: it has been accepted.", field="__all__")
    if invitation.cancelled_at:
        raise ServiceError(f"You cannot {action} this invitation: it was cancelled.", field="__all__")
    return invitation


def resend_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """Email a new link (the old one stops working) valid for another ``INVITATION_DAYS``."""
    _visible_invitation(actor, invitation)
    with transaction.atomic():
        invitation = _locked_open(invitation, "send again")
        error = _existing_account_error(invitation.email, actor)
        if error:
            raise error
        now = timezone.now()
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.save(update_fields=["sent_at", "expires_at"])
        _send_invitation(invitation, actor)
        _record(
            Action.INVITATION_RESENT,
            actor=actor,
            obj=invitation,
            summary=f"Invitation of {invitation.email} sent again",
        )
    return invitation


def cancel_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    _visible_invitation(actor, invitation)
    with transaction.atomic():
        invitation = _locked_open(invitation, "cancel")
        invitation.cancelled_at = timezone.now()
        invitation.cancelled_by = actor
        invitation.save(update_fields=["cancelled_at", "cancelled_by"])
        _record(
            Action.INVITATION_CANCELLED,
            actor=actor,
            obj=invitation,
            summary=f"Invitation of {invitation.email} cancelled",
        )
    return invitation


def invitation_usable(invitation: Invitation | None, token: str | None) -> bool:
    """Whether the link (invitation + token) can still be used to make the account."""
    return (
        invitation is not None
        and invitation.accepted_at is None
        and invitation.cancelled_at is None
        and invitation.expires_at > timezone.now()
        and invitation_tokens.check_token(invitation, token)
    )


def _become_dcs(user: User) -> None:
    """A new DCS becomes their authority's DCS when the post is empty (or held by an account that is
    switched off or no longer that authority's DCS)."""
    authority = user.authority
    if authority is None:
        return
    current = authority.dcs
    if current is None or not current.is_active or current.role != Role.DCS or current.authority_id != authority.pk:
        authority.dcs = user
        authority.save(update_fields=["dcs"])


def accept_invitation(*, invitation: Invitation | None, token: str | None, full_name: str, password: str) -> User:
    """Make the invitee's account from a valid link: their name, a password they choose (Django's
    validators: at least 12 characters, not common, not like their name or email), the invitation's
    role and organisation. The link cannot be used again."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("region", "authority__region", "provider")
            .filter(pk__in=[invitation.pk] if invitation is not None else [])
            .first()
        )
        if invitation is None or not invitation_usable(invitation, token):
            raise ServiceError(
                "This invitation link has expired, has already been used or was cancelled. "
                "Ask the person who invited you to send a new one.",
                field="__all__",
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ServiceError(
                "An account with this email address already exists. Sign in, or reset your password.",
                field="__all__",
            )
        full_name = (full_name or "").strip() or invitation.full_name
        user = User(
            email=invitation.email,
            full_name=full_name,
            role=invitation.role,
            region=invitation.region,
            authority=invitation.authority,
            provider=invitation.provider,
            is_staff=invitation.role == Role.ADMIN,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ServiceError(" ".join(error.messages), field="new_password1") from error
        user.set_password(password)
        audit.recorded_by_service(user)  # recorded below, with the invitation
        user.save()
        now = timezone.now()
        invitation.accepted_at = now
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        AccessRequest.objects.filter(invitation=invitation).update(status=AccessRequest.Status.APPROVED)
        if user.role == Role.DCS:
            _become_dcs(user)
        _record(
            Action.INVITATION_ACCEPTED,
            actor=user,
            obj=user,
            summary=f"{user.email} accepted the invitation and set up their account "
            f"({describe(user.role, user.organisation)})",
            details={"invitation": invitation.pk, "role": user.role},
        )
    return user


def import_invitations(*, actor: User, rows: list[dict[str, Any]]) -> list[Invitation]:
    """Invite every row (dicts of ``invite_user``'s arguments), all or none: the first refusal
    undoes every invitation of the import and names its row."""
    if not rows:
        raise ServiceError("The file has no people to invite", field="upload")
    invitations = []
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            try:
                invitations.append(invite_user(actor=actor, **row))
            except PermissionDenied as error:
                raise ServiceError(
                    f"Row {number} ({row.get('email')}): you may not invite someone to this role or organisation. "
                    "Nobody was invited.",
                    field="upload",
                ) from error
            except ServiceError as error:
                raise ServiceError(
                    f"Row {number} ({row.get('email')}): {error.message} Nobody was invited.", field="upload"
                ) from error
    return invitations


# --- people ---------------------------------------------------------------------------------------


def _manageable(actor: User, user: User | None) -> None:
    if user is None or not people.may_manage(actor, user):
        raise PermissionDenied("You may not change this person's account.")


def _lock_user(user: User) -> User:
    return (
        User.objects.select_for_update(of=("self",)).select_related("region", "authority", "provider").get(pk=user.pk)
    )


def change_role(
    *, actor: User, user: User, role: str, region: Any = None, authority: Any = None, provider: Any = None
) -> User:
    """Give ``user`` another role or organisation (both the old and the new must be the actor's to
    manage)."""
    _manageable(actor, user)
    if role not in Role.values:
        raise ServiceError("Select a role", field="role")
    values = people.normalise(role, region=region, authority=authority, provider=provider)
    _check_organisation(role, values)
    if not people.may_assign(actor, role, **values):
        raise PermissionDenied("You may not give this role or organisation.")
    with transaction.atomic():
        user = _lock_user(user)
        before = (user.role, user.region_id, user.authority_id, user.provider_id)
        after = (role, *(getattr(values[f], "pk", None) for f in ("region", "authority", "provider")))
        if before == after:
            raise ServiceError("Nothing has changed: choose a different role or organisation", field="role")
        led = list(user.csa_of.all())
        if led and (role != Role.CSA or any(a.region_id != after[1] for a in led)):
            names = " and ".join(a.name for a in led)
            raise ServiceError(
                f"{user} is the Children's Services Adviser of {names}. Reassign "
                f"{'it' if len(led) == 1 else 'them'} to another CSA first.",
                field="role",
            )
        for authority_led in user.dcs_of.all():
            if role != Role.DCS or after[2] != authority_led.pk:
                authority_led.dcs = None  # the post falls vacant; the next DCS invited takes it
                authority_led.save(update_fields=["dcs"])
        old = describe(user.role, user.organisation)
        user.role = role
        for field, value in values.items():
            setattr(user, field, value)
        user.is_staff = role == Role.ADMIN or user.is_superuser
        audit.recorded_by_service(user)
        user.save()
        if role == Role.DCS and user.is_active:
            _become_dcs(user)
        new = describe(role, user.organisation)
        _record(
            Action.ROLE_CHANGED,
            actor=actor,
            obj=user,
            summary=f"{user.email}: {old} → {new}",
            details={"role": [before[0], role], "organisation": [list(before[1:]), list(after[1:])]},
        )
        queue_email(
            key=f"role-changed:{user.pk}:{timezone.now().timestamp():.6f}",
            recipients=[user],
            subject="Your role on the JISP portal has changed",
            template="accounts/email/role_changed.txt",
            context={"user": user, "old": old, "new": new, "actor": actor},
        )
    return user


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign ``user`` out everywhere (but the session ``keep``): their sessions' rows are deleted, so
    the next request from each is signed out. Returns how many ended."""
    from django.contrib.sessions.models import Session

    from .models import UserSession

    keys = list(
        UserSession.objects.filter(user=user).exclude(session_key=keep or "").values_list("session_key", flat=True)
    )
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_session(*, actor: User, session: UserSession, request: HttpRequest | None = None) -> str:
    """Sign ``actor`` out of one of their other sessions, in one transaction with its audit event.
    Returns the browser it was on."""
    from django.contrib.sessions.models import Session

    browser = session.user_agent or "another browser"
    with transaction.atomic():
        Session.objects.filter(session_key=session.session_key).delete()
        session.delete()
        audit.record(
            AuditEvent.Action.SESSION_ENDED,
            actor=actor,
            request=request,
            obj=actor,
            summary=f"{actor.email} signed out their session on {browser}",
        )
    return browser


def end_other_sessions(*, actor: User, keep: str | None, request: HttpRequest | None = None) -> int:
    """Sign ``actor`` out of every session but ``keep``, in one transaction with its audit event."""
    with transaction.atomic():
        ended = end_sessions(actor, keep=keep)
        audit.record(
            AuditEvent.Action.SESSION_ENDED,
            actor=actor,
            request=request,
            obj=actor,
            summary=f"{actor.email} signed out of {ended} other session{'s' if ended != 1 else ''}",
        )
    return ended


def deactivate_user(*, actor: User, user: User) -> User:
    """Switch the account off: they are signed out everywhere at once, cannot sign in, their
    calendar feed stops (``core.hooks``: ``user_deactivated``); what they did stays in the history."""
    _manageable(actor, user)
    with transaction.atomic():
        user = _lock_user(user)
        if not user.is_active:
            raise ServiceError(f"{user} is already switched off.", field="__all__")
        user.is_active = False
        audit.recorded_by_service(user)
        user.save(update_fields=["is_active"])
        ended = end_sessions(user)
        hooks.call("user_deactivated", user=user, actor=actor)
        _record(
            Action.ACCOUNT_DEACTIVATED,
            actor=actor,
            obj=user,
            summary=f"{user.email} switched off ({ended} session{'s' if ended != 1 else ''} ended)",
            details={"is_active": [True, False], "sessions_ended": ended},
        )
    return user


def reactivate_user(*, actor: User, user: User) -> User:
    _manageable(actor, user)
    with transaction.atomic():
        user = _lock_user(user)
        if user.is_active:
            raise ServiceError(f"{user} is already active.", field="__all__")
        missing = people.missing_organisation(
            user.role, {"region": user.region, "authority": user.authority, "provider": user.provider}
        )
        if missing:
            raise ServiceError(
                f"{user} has no {missing}, which their role needs. Change their role or organisation first.",
                field="__all__",
            )
        user.is_active = True
        audit.recorded_by_service(user)
        user.save(update_fields=["is_active"])
        _record(
            Action.ACCOUNT_REACTIVATED,
            actor=actor,
            obj=user,
            summary=f"{user.email} switched on again",
            details={"is_active": [False, True]},
        )
    return user


# --- providers with nobody on the portal ----------------------------------------------------------

#: The request-access link names its provider, signed (nobody can make one up), for this long.
ACCESS_LINK_SALT = "accounts.access-request"
ACCESS_LINK_DAYS = 60


def access_request_link(provider: Any) -> str:
    """The absolute address of the public "ask for access" page for ``provider`` (for the emails to
    its contact address)."""
    from django.core import signing

    token = signing.dumps({"provider": provider.pk}, salt=ACCESS_LINK_SALT)
    return absolute_url(reverse("accounts:access_request_form", args=[token]))


def has_active_adviser(provider: Any) -> bool:
    return User.objects.filter(role=Role.PROVIDER_ADVISER, provider=provider, is_active=True).exists()


def request_access(
    *,
    provider: Any,
    full_name: str,
    email: str,
    job_title: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
) -> AccessRequest:
    """Someone from ``provider`` asks for an account (from the emailed link; nobody is signed in).
    The CSAs who invited the provider and the administrators of its regions are told."""
    email = (email or "").strip().lower()
    with transaction.atomic():
        access = AccessRequest.objects.create(
            provider=provider,
            full_name=full_name.strip(),
            email=email,
            job_title=(job_title or "").strip(),
            reason=(reason or "").strip(),
        )
        _record(
            Action.ACCESS_REQUESTED,
            request=request,
            obj=access,
            summary=f"{email} asked for access as an adviser of {provider}",
            details={"provider": provider.pk},
        )
        deciders = access_deciders(provider)
        if deciders:
            queue_email(
                key=f"access-requested:{access.pk}",
                recipients=deciders,
                subject=f"{provider} asks for access to the JISP portal",
                template="accounts/email/access_requested.txt",
                context={
                    "access": access,
                    "link": absolute_url(reverse("accounts:access_request_detail", args=[access.pk])),
                },
            )
    return access


def access_deciders(provider: Any) -> list[User]:
    """Who is told of a provider's access request: the CSAs who invited it, and the administrators
    of the regions it serves (the system administrators when it serves none)."""
    inviters = set()
    for answer in hooks.call("csas_who_invited", provider_id=provider.pk):
        inviters |= set(answer)
    deciders = list(User.objects.filter(role=Role.CSA, is_active=True, pk__in=inviters).order_by("email"))
    admins = User.objects.filter(role=Role.ADMIN, is_active=True, region__in=provider.regions.all())
    if not admins.exists():
        admins = User.objects.filter(role=Role.ADMIN, is_active=True, region__isnull=True)
    return deciders + list(admins.order_by("email"))


def _locked_access(actor: User, access: AccessRequest) -> AccessRequest:
    if not people.may_decide_access(actor, access.provider):
        raise PermissionDenied("You may not decide this request.")
    access = AccessRequest.objects.select_for_update(of=("self",)).select_related("provider").get(pk=access.pk)
    if access.status != AccessRequest.Status.PENDING:
        raise ServiceError(f"This request has already been {access.get_status_display().lower()}.", field="__all__")
    return access


def approve_access_request(*, actor: User, access_request: AccessRequest) -> AccessRequest:
    """Invite the person who asked, as an adviser of their provider (the same invitation flow)."""
    with transaction.atomic():
        access = _locked_access(actor, access_request)
        invitation = invite_user(
            actor=actor,
            email=access.email,
            full_name=access.full_name,
            role=Role.PROVIDER_ADVISER,
            provider=access.provider,
        )
        access.status = AccessRequest.Status.APPROVED
        access.decided_by, access.decided_at, access.invitation = actor, timezone.now(), invitation
        access.save(update_fields=["status", "decided_by", "decided_at", "invitation"])
    return access


def decline_access_request(*, actor: User, access_request: AccessRequest) -> AccessRequest:
    with transaction.atomic():
        access = _locked_access(actor, access_request)
        access.status = AccessRequest.Status.DECLINED
        access.decided_by, access.decided_at = actor, timezone.now()
        access.save(update_fields=["status", "decided_by", "decided_at"])
        _record(
            Action.ACCESS_DECLINED,
            actor=actor,
            obj=access,
            summary=f"Access request of {access.email} for {access.provider} declined",
        )
        queue_email(
            key=f"access-declined:{access.pk}",
            recipients=[access.email],
            subject="Your request for access to the JISP portal",
            template="accounts/email/access_declined.txt",
            context={"access": access, "actor": actor},
        )
    return access


# --- two-factor set-up links ----------------------------------------------------------------------


def two_factor_link(user: User) -> str:
    token = two_factor_setup_tokens.make_token(user)
    return absolute_url(reverse("accounts:two_factor_link", args=[encode_id(user.pk), token]))


def send_two_factor_link(*, actor: User | None, user: User) -> str:
    """Email ``user`` a one-time link to set up two-factor sign-in; any device they had is removed
    (a lost or replaced phone). ``actor`` None: the server's operator (``manage.py
    two_factor_link``), who may send one to anyone."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor is not None:
        _manageable(actor, user)
    with transaction.atomic():
        user = _lock_user(user)
        if not user.is_active:
            raise ServiceError(f"{user} is switched off: switch the account on first.", field="__all__")
        removed = 0
        for device in TOTPDevice.objects.filter(user=user):
            device.delete()  # each removal is audited and emailed to the user (accounts.credentials)
            removed += 1
        end_sessions(user)  # a session verified with the old device ends too
        link = two_factor_link(user)
        queue_email(
            key=f"two-factor-link:{user.pk}:{timezone.now().timestamp():.6f}",
            recipients=[user],
            subject="Set up two-factor sign-in for the JISP portal",
            template="accounts/email/two_factor_link.txt",
            context={"user": user, "link": link, "hours": 72, "actor": actor},
        )
        _record(
            Action.TWO_FACTOR_LINK_SENT,
            actor=actor,
            obj=user,
            summary=f"Two-factor set-up link sent to {user.email}"
            + (f" ({removed} device{'s' if removed != 1 else ''} removed)" if removed else ""),
        )
    return link
