"""Regular meetings with an authority: agree them, see them, change them from a date onwards."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can, get_visible_or_404, require
from authorities.models import LocalAuthority
from core.actions import form_page, posted, submit
from core.working_days import LONDON

from .. import series as rules
from ..clock_forms import SeriesForm
from ..models import MeetingSeries
from ..rules import Target
from .common import crumbs


def _authority(request):
    """The authority named by ``?authority=GSS`` that the user may organise meetings for (403 if not)."""
    authority = get_visible_or_404(LocalAuthority.objects.all(), request.user, gss_code=request.GET.get("authority"))
    require(request.user, "meetings.add_meeting", Target(authority=authority))
    return authority


def series_create(request):
    authority = _authority(request)
    form = SeriesForm(posted(request), initial={"duration_minutes": 60, "is_remote": True, "is_face_to_face": False})
    outcome = submit(
        request,
        form,
        lambda data: rules.create_series(
            actor=request.user,
            authority=authority,
            kind=data["kind"],
            title=data["title"],
            purpose=data["purpose"],
            first_date=data["first_date"],
            at=data["at"],
            interval=data["interval"],
            weekday=data["weekday"],
            until=data["until"],
            location=data["location"],
            is_remote=data["is_remote"],
            is_face_to_face=data["is_face_to_face"],
            duration_minutes=data["duration_minutes"],
        ),
        success=lambda s: f"Regular meetings agreed: {s.meetings.count()} meetings are in the calendar",
        then=lambda s: s.get_absolute_url(),
    )
    title = "Agree regular meetings"
    return outcome.response or form_page(
        request,
        outcome.form,
        title=title,
        caption=str(authority),
        lead="Agree with the authority how often you meet (for example, a keeping-in-touch meeting every 6 weeks "
        "on a Tuesday at 10:00). The meetings go in the calendar; a date that is not a working day is skipped.",
        crumbs=crumbs(
            (str(authority), reverse("meetings:authority_calendar", args=[authority.gss_code])), (title, None)
        ),
        cancel_url=reverse("meetings:authority_calendar", args=[authority.gss_code]),
    )


def _series(request, pk):
    return get_visible_or_404(
        MeetingSeries.objects.select_related("authority", "organiser", "previous"), request.user, pk=pk
    )


def series_detail(request, pk):
    series = _series(request, pk)
    meetings = list(series.meetings.select_related("note").order_by("starts_at"))
    skipped = [s for s in rules.exceptions(series, meetings) if not any(m.occurrence == s for m in meetings)]
    return render(
        request,
        "meetings/clocks/series_detail.html",
        {
            "series": series,
            "rule": rules.describe(series),
            "meetings": meetings,
            "skipped": skipped,
            "next": getattr(series, "continued_by", None),
            "may_change": can(request.user, "meetings.change_series", series) and not hasattr(series, "continued_by"),
            "crumbs": crumbs(
                (str(series.authority), reverse("meetings:authority_calendar", args=[series.authority.gss_code])),
                (series.title, None),
            ),
        },
    )


def series_change(request, pk):
    series = _series(request, pk)
    require(request.user, "meetings.change_series", series)
    interval, weekday = rules.rule_parts(series.rule)
    local = timezone.localtime(series.starts_at, LONDON)
    initial = {
        "lock_version": series.lock_version,
        "action": "change",
        "title": series.title,
        "purpose": series.purpose,
        "at": local.strftime("%H:%M"),
        "duration_minutes": series.duration_minutes,
        "interval": interval,
        "weekday": weekday,
        "until": series.until.strftime("%d/%m/%Y"),
        "location": series.location,
        "is_remote": series.is_remote,
        "is_face_to_face": series.is_face_to_face,
    }
    form = SeriesForm(posted(request), initial=initial, changing=True)

    def perform(data):
        if data["action"] == "stop":
            return rules.end_series(
                actor=request.user, series=series, from_date=data["from_date"], lock_version=data["lock_version"]
            )
        return rules.change_series(
            actor=request.user,
            series=series,
            from_date=data["from_date"],
            lock_version=data["lock_version"],
            at=data["at"],
            interval=data["interval"],
            weekday=data["weekday"],
            until=data["until"],
            title=data["title"],
            purpose=data["purpose"],
            location=data["location"],
            is_remote=data["is_remote"],
            is_face_to_face=data["is_face_to_face"],
            duration_minutes=data["duration_minutes"],
        )

    outcome = submit(
        request,
        form,
        perform,
        success=lambda s: (
            "The regular meetings have been changed"
            if s.pk != series.pk
            else f"The regular meetings stop after {s.until:%d %B %Y}"
        ),
        then=lambda s: s.get_absolute_url(),
    )
    title = "Change the regular meetings"
    return outcome.response or form_page(
        request,
        outcome.form,
        title=title,
        caption=series.title,
        lead=f"Now: {rules.describe(series)}. Meetings before the date you give stay as they are; from it, the "
        "meetings follow the new pattern (or stop).",
        crumbs=crumbs((series.title, series.get_absolute_url()), (title, None)),
        cancel_url=series.get_absolute_url(),
    )


__all__ = ["series_change", "series_create", "series_detail"]
