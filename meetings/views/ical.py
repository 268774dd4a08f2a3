"""Meeting views: the user's private calendar feed — its settings page and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.actions import post_only
from core.errors import ServiceError
from core.notify import absolute_url

from .. import exports, services
from ..models import ICalToken
from .common import crumbs


def _unknown_action(*, actor):
    raise ServiceError("Choose to create or revoke the feed.")


def _page(request, token, feed_url=None):
    return render(
        request,
        "meetings/ical_settings.html",
        {"token": token, "feed_url": feed_url, "crumbs": crumbs(("Calendar feed", None))},
    )


def ical_settings(request):
    """The feed's settings. Only the token's hash is stored, so the address is shown once: on the page
    that answers "create" (not a redirect: nothing keeps the token for a next request)."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token = services.create_ical_token(actor=request.user)
            messages.success(request, "Your calendar feed address is ready. Copy it now: it is shown only this once.")
            feed_url = absolute_url(reverse("meetings:ical_feed", kwargs={"token": token.plain_token}))
            return _page(request, token, feed_url)
        perform = services.revoke_ical_token if action == "revoke" else _unknown_action
        return post_only(
            request,
            lambda: perform(actor=request.user),
            success="Your calendar feed address is revoked: calendars using it stop updating.",
            then="meetings:ical_settings",
        )
    return _page(request, ICalToken.objects.filter(user=request.user).first())


@login_not_required
@require_GET
def ical_feed(request, token):
    row = ICalToken.objects.for_token(token).filter(revoked_at__isnull=True).select_related("user").first()
    if row is None or not row.user.is_active:
        raise Http404
    return exports.ical_feed(row.user)
