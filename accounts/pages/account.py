"""A person's own account: what it is, their password, email address, sessions and two-factor
sign-in; "enter your password again"; and the session timeout's two endpoints."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actions import posted, submit

from .. import audit, credentials, sessions
from ..models import AuditEvent, UserSession
from ..services import end_other_sessions, end_session, end_sessions
from ..two_factor import confirmed_device, required_for_role, safe_next
from .forms import ChangeEmailForm, ChangePasswordForm, ConfirmForm, ConfirmPasswordForm, SessionsForm

ACCOUNT = ("Your account", None)


def _crumbs(*more):
    return [("Your account", reverse("accounts:account")), *more] if more else [ACCOUNT]


@require_GET
def account(request):
    user = request.user
    return render(
        request,
        "accounts/account/detail.html",
        {
            "device": confirmed_device(user),
            "two_factor_required": required_for_role(user),
            "sessions": len(sessions.sessions_of(user, request.session.session_key)),
            "crumbs": _crumbs(),
        },
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """Enter your password again (before changing credentials, or approving a plan, when it was
    last entered more than 15 minutes ago)."""
    form = ConfirmPasswordForm(posted(request), request=request)
    outcome = submit(request, form, lambda data: sessions.mark_password_entered(request), then=safe_next(request))
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": "Enter your password",
            "lead": "For your security, enter your password again to continue.",
            "cancel_url": reverse("accounts:account"),
            "crumbs": _crumbs(("Enter your password", None)),
        },
    )


@never_cache
@sensitive_post_parameters()
@sessions.recent_password_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = ChangePasswordForm(request.user, posted(request))

    def perform(data):
        user = form.save()
        update_session_auth_hash(request, user)  # this session carries on
        sessions.mark_password_entered(request)
        ended = end_sessions(user, keep=request.session.session_key)
        audit.record(
            AuditEvent.Action.PASSWORD_CHANGED,
            actor=user,
            request=request,
            obj=user,
            summary=f"{user.email} changed their password ({ended} other session{'s' if ended != 1 else ''} ended)",
        )
        return user

    outcome = submit(
        request,
        form,
        perform,
        success="Your password has been changed. You have been signed out everywhere else.",
        then=reverse("accounts:account"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": "Change your password",
            "cancel_url": reverse("accounts:account"),
            "crumbs": _crumbs(("Change your password", None)),
        },
    )


@never_cache
@sensitive_post_parameters()
@sessions.recent_password_required
@require_http_methods(["GET", "POST"])
def change_email(request):
    form = ChangeEmailForm(posted(request), request=request)
    outcome = submit(
        request,
        form,
        lambda data: credentials.request_email_change(actor=request.user, email=data["email"]),
        success=lambda email: f"We have sent a link to {email}. Follow it within 24 hours to confirm the change.",
        then=reverse("accounts:account"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": "Change your email address",
            "lead": "We will send a link to the new address. Your address changes when you follow it.",
            "cancel_url": reverse("accounts:account"),
            "crumbs": _crumbs(("Change your email address", None)),
        },
    )


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link sent to the new address: a button confirms (a GET changes nothing)."""
    form = ConfirmForm(posted(request), button="Confirm my new email address")
    outcome = submit(
        request,
        form,
        lambda data: credentials.confirm_email_change(actor=request.user, token=token),
        success=lambda user: f"Your email address is now {user.email}. Use it to sign in.",
        then=reverse("accounts:account"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": "Confirm your new email address",
            "crumbs": _crumbs(("Confirm your new email address", None)),
        },
    )


@require_GET
def session_list(request):
    current = request.session.session_key
    found = sessions.sessions_of(request.user, current)
    return render(
        request,
        "accounts/account/sessions.html",
        {
            "sessions": found,
            "others": [s for s in found if not s.is_current],
            "form": SessionsForm(),
            "crumbs": _crumbs(("Your sessions", None)),
        },
    )


@require_POST
def session_end(request, pk):
    """Sign out one of your other sessions."""
    row = get_object_or_404(UserSession, pk=pk, user=request.user)
    if row.session_key == request.session.session_key:
        messages.error(request, "This is the session you are using. Use “Sign out” to end it.")
        return redirect(reverse("accounts:sessions"))
    browser = end_session(actor=request.user, session=row, request=request)
    messages.success(request, f"You have signed out of the session on {browser}.")
    return redirect(reverse("accounts:sessions"))


@require_POST
def session_end_others(request):
    ended = end_other_sessions(actor=request.user, keep=request.session.session_key, request=request)
    messages.success(
        request,
        f"You have signed out of {ended} other session{'s' if ended != 1 else ''}."
        if ended
        else "You had no other sessions.",
    )
    return redirect(reverse("accounts:sessions"))


# --- the session timeout's endpoints --------------------------------------------------------------


@login_not_required
@never_cache
@require_GET
def session_status(request):
    """How long this session has left (does not count as activity). For the timeout warning."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": sessions.seconds_left(request)})


@require_POST
def session_keep_alive(request):
    """ "Stay signed in": count now as activity. JavaScript gets 204; a plain form goes back."""
    sessions.touch(request)
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"signed_in": True, "seconds_left": sessions.seconds_left(request)})
        return response
    return redirect(safe_next(request))
