"""Meeting views: the user's private calendar feed — its settings page and the feed itself."""

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

#: The buttons on the settings page: what each does and the banner after it.
FEED_ACTIONS = {
    "create": (services.create_ical_token, "Your calendar feed address is ready. Keep it private."),
    "revoke": (services.revoke_ical_token, "Your calendar feed address is revoked: calendars using it stop updating."),
}


def _unknown_action(*, actor):
    raise ServiceError("Choose to create or revoke the feed.")


def ical_settings(request):
    if request.method == "POST":
        perform, banner = FEED_ACTIONS.get(request.POST.get("action"), (_unknown_action, None))
        return post_only(request, lambda: perform(actor=request.user), success=banner, then="meetings:ical_settings")
    token = ICalToken.objects.filter(user=request.user).first()
    feed_url = (
        absolute_url(reverse("meetings:ical_feed", kwargs={"token": token.token}))
        if token and token.is_active
        else None
    )
    return render(
        request,
        "meetings/ical_settings.html",
        {"token": token, "feed_url": feed_url, "crumbs": crumbs(("Calendar feed", None))},
    )


@login_not_required
@require_GET
def ical_feed(request, token):
    row = ICalToken.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
    if row is None or not row.user.is_active:
        raise Http404
    return exports.ical_feed(row.user)
