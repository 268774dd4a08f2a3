"""Invitations: inviting someone (one, or many from a CSV), the list of pending invitations with
"send again" and "cancel", and the invitee's side — the emailed link, then their name and password
(and, for a role that needs it, their two-factor device) before anything else."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actions import post_only, posted, submit
from core.errors import ServiceError
from core.pagination import paginate

from .. import people, services
from ..context_processors import people_links
from ..models import ORGANISATION_OF_ROLE, Invitation, Role
from ..tokens import decode_id
from ..two_factor import SETUP_GRANT, grant, required_for_role
from .forms import ConfirmForm, ImportForm, InviteForm

INVITATION_SESSION_KEY = "invitation_token"
IMPORT_SESSION_KEY = "people_import"


def people_crumbs(request, *more):
    first = ("People", reverse("accounts:people")) if people.may_manage_people(request.user) else None
    return [c for c in (first, ("Invitations", reverse("accounts:invitations")), *more) if c]


def _may_invite_or_404(user):
    if not people.may_invite(user):
        raise Http404


@require_http_methods(["GET", "POST"])
def invite(request):
    _may_invite_or_404(request.user)
    form = InviteForm(posted(request), actor=request.user)
    outcome = submit(
        request,
        form,
        lambda data: services.invite_user(
            actor=request.user,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            **form.organisation(),
        ),
        success=lambda inv: f"Invitation sent to {inv.email}. The link works for {services.INVITATION_DAYS} days.",
        then=reverse("accounts:invitations"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/people/invite.html",
        {
            "form": outcome.form,
            "title": "Invite someone",
            "crumbs": people_crumbs(request, ("Invite someone", None)),
            "may_import": people.may_manage_people(request.user),
        },
    )


@require_GET
def invitation_list(request):
    _may_invite_or_404(request.user)
    state = request.GET.get("state", "pending")
    invitations = people.visible_invitations(request.user).select_related(
        "region", "authority", "provider", "invited_by", "user"
    )
    now = timezone.now()
    states = {
        "pending": invitations.pending(now),
        "expired": invitations.open().filter(expires_at__lte=now),
        "accepted": invitations.filter(accepted_at__isnull=False),
        "cancelled": invitations.filter(cancelled_at__isnull=False),
    }
    if state not in states:
        state = "pending"
    page_obj, query_string = paginate(request, states[state].order_by("-sent_at", "-pk"))
    return render(
        request,
        "accounts/people/invitations.html",
        {
            "page_obj": page_obj,
            "invitations": page_obj.object_list,
            "query_string": query_string,
            "state": state,
            "states": [
                ("pending", "Pending"),
                ("expired", "Expired"),
                ("accepted", "Accepted"),
                ("cancelled", "Cancelled"),
            ],
            "crumbs": people_crumbs(request)[:-1] + [("Invitations", None)],
            **people_links(request.user),
            "may_import": people.may_manage_people(request.user),
        },
    )


def _visible_invitation(request, pk):
    _may_invite_or_404(request.user)
    invitation = people.visible_invitations(request.user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


@require_POST
def invitation_resend(request, pk):
    invitation = _visible_invitation(request, pk)
    return post_only(
        request,
        lambda: services.resend_invitation(actor=request.user, invitation=invitation),
        success=lambda inv: f"Invitation sent again to {inv.email}. The earlier link no longer works.",
        then=reverse("accounts:invitations"),
    )


@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk):
    invitation = _visible_invitation(request, pk)
    form = ConfirmForm(posted(request), button="Cancel the invitation", warning=True)
    outcome = submit(
        request,
        form,
        lambda data: services.cancel_invitation(actor=request.user, invitation=invitation),
        success=lambda inv: f"The invitation of {inv.email} is cancelled. Its link no longer works.",
        then=reverse("accounts:invitations"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/people/invitation_cancel.html",
        {
            "form": outcome.form,
            "invitation": invitation,
            "title": f"Cancel the invitation of {invitation.email}",
            "crumbs": people_crumbs(request, ("Cancel an invitation", None)),
        },
    )


# --- many at once, from a CSV ---------------------------------------------------------------------


def _find_organisation(role, code, actor):
    """The organisation named by ``code`` for ``role``, among those ``actor`` may give; or an error."""
    field = ORGANISATION_OF_ROLE.get(role) or ("region" if role == Role.ADMIN else None)
    if field is None:
        return {}, None
    if not code:
        if role == Role.ADMIN:
            return {}, None
        return {}, f"Enter the {field}'s code in the organisation column"
    if field == "region":
        found = people.REGION.objects.filter(Q(slug__iexact=code) | Q(name__iexact=code)).first()
    elif field == "authority":
        found = people.AUTHORITY.objects.filter(Q(gss_code__iexact=code) | Q(name__iexact=code)).first()
    else:
        found = people.PROVIDER.objects.filter(Q(abbreviation__iexact=code) | Q(name__iexact=code)).first()
    if found is None:
        return {}, f"No {field} has the code “{code}”"
    return {field: found}, None


def _row_problem(actor, email, name, role, role_text, code, seen):
    """The first problem of one CSV row, and the organisation it names."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from ..models import User

    try:
        validate_email(email)
    except ValidationError:
        return "Enter an email address in the correct format", {}
    if not name:
        return "Enter the person's name", {}
    if role is None:
        return f"“{role_text}” is not a role", {}
    organisation, error = _find_organisation(role, code, actor)
    if error:
        return error, {}
    checks = (
        (
            not people.may_assign(actor, role, **people.normalise(role, **organisation)),
            "You may not invite someone to this role or organisation",
        ),
        (email in seen, "This email address is in the file more than once"),
        (User.objects.filter(email__iexact=email).exists(), "This email address already has an account"),
        (
            Invitation.objects.pending().filter(email__iexact=email).exists(),
            "This email address already has a pending invitation",
        ),
    )
    return next((message for failed, message in checks if failed), None), organisation


def check_import(actor, rows):
    """Each CSV row as it would be invited, with its problem (if any). Nothing is saved."""
    seen = set()
    checked = []
    for number, (email, name, role_text, code) in enumerate(rows, start=2):
        email = email.lower()
        role = next((r for r in Role if role_text.lower() in (r.value, r.label.lower())), None)
        error, organisation = _row_problem(actor, email, name, role, role_text, code, seen)
        seen.add(email)
        checked.append(
            {
                "number": number,
                "email": email,
                "full_name": name,
                "role": role,
                "organisation": organisation,
                "error": error,
                "label": services.describe(role, next(iter(organisation.values()), None)) if role else role_text,
            }
        )
    return checked


def _invite_args(row):
    return {"email": row["email"], "full_name": row["full_name"], "role": row["role"], **row["organisation"]}


@require_http_methods(["GET", "POST"])
def invitation_import(request):
    """Upload a CSV, see every row checked (nothing is sent), then invite them all — or none."""
    if not people.may_manage_people(request.user):
        raise Http404
    rows = None
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored:
            messages.error(request, "Upload the file again: the checked file was not found.")
            return redirect(reverse("accounts:invitation_import"))
        checked = check_import(request.user, stored)
        if any(r["error"] for r in checked):
            rows = checked
            messages.error(request, "Something changed since the file was checked. Nobody was invited.")
        else:
            try:
                invited = services.import_invitations(actor=request.user, rows=[_invite_args(r) for r in checked])
            except ServiceError as error:
                messages.error(request, error.message)
                rows = checked
            else:
                request.session.pop(IMPORT_SESSION_KEY, None)
                messages.success(request, f"{len(invited)} invitation{'s' if len(invited) != 1 else ''} sent.")
                return redirect(reverse("accounts:invitations"))
        form = ImportForm()
    else:
        form = ImportForm(posted(request), request.FILES or None)
        if request.method == "POST" and form.is_valid():
            stored = form.cleaned_data["upload"]
            rows = check_import(request.user, stored)
            request.session[IMPORT_SESSION_KEY] = stored
    errors = [r for r in rows or [] if r["error"]]
    return render(
        request,
        "accounts/people/import.html",
        {
            "form": form,
            "rows": rows,
            "errors": errors,
            "title": "Invite people from a CSV file",
            "crumbs": people_crumbs(request, ("Invite from a CSV file", None)),
        },
    )


# --- the invitee's side ---------------------------------------------------------------------------


def _invitation(uidb64):
    pk = decode_id(uidb64)
    return (
        Invitation.objects.select_related("region", "authority", "provider", "invited_by").filter(pk=pk).first()
        if pk
        else None
    )


@login_not_required
@never_cache
@require_GET
def invitation_accept(request, uidb64, token):
    """The emailed link. A usable link is kept in the session and the browser moves to a URL without
    the token (so it is never in a Referer header), as Django's password reset does."""
    if request.user.is_authenticated:
        return render(request, "accounts/invitation/signed_in.html", {"title": "You are already signed in"})
    invitation = _invitation(uidb64)
    if not services.invitation_usable(invitation, token):
        return render(request, "accounts/invitation/invalid.html", {"title": "This link does not work"})
    request.session[INVITATION_SESSION_KEY] = {"invitation": invitation.pk, "token": token}
    return redirect(reverse("accounts:invitation_set_up", args=[uidb64]))


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_set_up(request, uidb64):
    """Name and password; then, for a role that needs it, two-factor sign-in (the set-up page)."""
    from .forms import AcceptInvitationForm

    if request.user.is_authenticated:
        return render(request, "accounts/invitation/signed_in.html", {"title": "You are already signed in"})
    invitation = _invitation(uidb64)
    stored = request.session.get(INVITATION_SESSION_KEY) or {}
    token = stored.get("token") if invitation and stored.get("invitation") == invitation.pk else None
    if not services.invitation_usable(invitation, token):
        return render(request, "accounts/invitation/invalid.html", {"title": "This link does not work"})
    form = AcceptInvitationForm(posted(request), invitation=invitation)

    def accept(data):
        user = services.accept_invitation(
            invitation=invitation, token=token, full_name=data["full_name"], password=data["new_password1"]
        )
        request.session.pop(INVITATION_SESSION_KEY, None)
        login(request, user, backend="accounts.backends.UserBackend")
        if required_for_role(user):
            grant(request, SETUP_GRANT, user)  # the first device is part of the invitation
        return user

    outcome = submit(
        request,
        form,
        accept,
        success=lambda user: (
            "Your account is ready."
            + (" Now set up two-factor sign-in: your role needs it." if required_for_role(user) else "")
        ),
        then=lambda user: (
            reverse("accounts:two_factor_setup") if required_for_role(user) else reverse("accounts:dashboard")
        ),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/invitation/set_up.html",
        {
            "form": outcome.form,
            "invitation": invitation,
            "role": services.describe(invitation.role, invitation.organisation),
            "title": "Set up your account",
            "two_factor": invitation.role in _required_roles(),
        },
    )


def _required_roles():
    from django.conf import settings

    return set(settings.TWO_FACTOR_REQUIRED_ROLES)
