"""Regular meetings with an authority: a CSA agrees the frequency ("every 6 weeks on a Tuesday at
10:00, until 21 July 2027") and the series puts the meetings in the calendar.

The rule is an iCalendar RRULE expanded with python-dateutil in Europe/London wall time (10:00 stays
10:00 across the clock changes). An occurrence on a day that is not a working day (a bank holiday, a
closure) gets no meeting; the calendar feed lists it as an exception (EXDATE) of the one recurring
event. Changing a series from a date onwards ends it the day before and continues as a new series;
the meetings it had from that date are removed (or cancelled, with their attendees told, when someone
had already been invited or the agenda agreed).
"""

from datetime import datetime, time, timedelta

from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.permissions import require
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email
from core.working_days import LONDON, WorkingCalendar, london_date

from .models import Meeting, MeetingSeries
from .rules import Target

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MAX_INTERVAL_WEEKS = 26
MAX_YEARS = 2
MAX_MEETINGS = 60
KINDS = [
    Meeting.Kind.KIT,
    Meeting.Kind.VISIT,
    Meeting.Kind.STANDARDS,
    Meeting.Kind.STRATEGIC_ENGAGEMENT,
    Meeting.Kind.LAA_REVIEW,
    Meeting.Kind.AD_HOC,
]
FIELDS = ("title", "purpose", "location", "is_remote", "is_face_to_face", "duration_minutes")


def weekly_rule(interval, weekday):
    return f"FREQ=WEEKLY;INTERVAL={int(interval)};BYDAY={WEEKDAYS[weekday]}"


def rule_parts(rule):
    """(interval in weeks, weekday 0-4) of a weekly rule."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    return int(parts.get("INTERVAL", "1")), WEEKDAYS.index(parts.get("BYDAY", "MO"))


def describe(series):
    """ "Every 6 weeks on Tuesday at 10:00, from 3 March 2026 until 21 July 2027"."""
    interval, weekday = rule_parts(series.rule)
    local = timezone.localtime(series.starts_at, LONDON)
    every = "Every week" if interval == 1 else f"Every {interval} weeks"
    return f"{every} on {WEEKDAY_NAMES[weekday]} at {local:%H:%M}, from {_day(local.date())} until {_day(series.until)}"


def _day(d):
    return f"{d.day} {d:%B %Y}"


def occurrences(series):
    """Every start the rule gives (aware, Europe/London), from the first meeting to ``until``."""
    start = timezone.localtime(series.starts_at, LONDON).replace(tzinfo=None)
    last = datetime.combine(series.until, time.max)
    return [
        dt.replace(tzinfo=LONDON)
        for dt in rrulestr(series.rule, dtstart=start, ignoretz=True).between(start, last, inc=True)
    ]


def _first_on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _clean(*, kind, title, purpose, first_date, at, interval, weekday, until, location, is_remote, today):
    _clean_what(kind=kind, title=title, purpose=purpose, location=location, is_remote=is_remote)
    _clean_when(first_date=first_date, at=at, interval=interval, weekday=weekday, until=until, today=today)


def _clean_what(*, kind, title, purpose, location, is_remote):
    if kind not in KINDS:
        raise ServiceError("Select the kind of meeting", field="kind")
    if not (title or "").strip():
        raise ServiceError("Enter a title", field="title")
    if not (purpose or "").strip():
        raise ServiceError("Enter the purpose of the meetings", field="purpose")
    if not is_remote and not (location or "").strip():
        raise ServiceError("Enter where the meetings take place, or say they are remote", field="location")


def _clean_when(*, first_date, at, interval, weekday, until, today):
    if first_date is None:
        raise ServiceError("Enter the date of the first meeting", field="first_date")
    if first_date < today:
        raise ServiceError("The first meeting must be today or later", field="first_date")
    if at is None:
        raise ServiceError("Enter the time of the meetings", field="at")
    if weekday not in range(5):
        raise ServiceError("Select the day of the week", field="weekday")
    if not interval or not 1 <= int(interval) <= MAX_INTERVAL_WEEKS:
        raise ServiceError(f"Enter how many weeks apart, from 1 to {MAX_INTERVAL_WEEKS}", field="interval")
    if until is None:
        raise ServiceError("Enter the date of the last meeting", field="until")
    if until <= first_date:
        raise ServiceError("The series must end after its first meeting", field="until")
    if until > first_date.replace(year=first_date.year + MAX_YEARS) - timedelta(days=1):
        raise ServiceError(f"A series can run for at most {MAX_YEARS} years", field="until")


def _make_meetings(series, from_day=None):
    """The series' meetings on working days (from ``from_day``); returns them."""
    starts = [s for s in occurrences(series) if from_day is None or s.date() >= from_day]
    if len(starts) > MAX_MEETINGS:
        raise ServiceError(
            f"That makes {len(starts)} meetings: a series can have at most {MAX_MEETINGS}. End it sooner.",
            field="until",
        )
    if not starts:
        raise ServiceError("The rule gives no meeting before the series ends", field="until")
    calendar = WorkingCalendar(starts[0].date(), starts[-1].date())
    meetings = [
        Meeting(
            authority=series.authority,
            kind=series.kind,
            title=series.title,
            purpose=series.purpose,
            starts_at=start,
            duration_minutes=series.duration_minutes,
            location=series.location,
            is_remote=series.is_remote,
            is_face_to_face=series.is_face_to_face,
            agenda="",
            organiser=series.organiser,
            series=series,
            occurrence=start,
        )
        for start in starts
        if calendar.is_working_day(start.date())
    ]
    return bulk_create_with_history(meetings, Meeting, default_user=series.organiser)


def _tell_authority(series, meetings, key, intro):
    dcs = series.authority.dcs
    if dcs and dcs.pk != series.organiser_id:
        queue_email(
            key=key,
            recipients=[dcs],
            subject=f"Regular meetings: {series.title}",
            template="meetings/email/series.txt",
            context={
                "series": series,
                "intro": intro,
                "rule": describe(series),
                "meetings": meetings,
                "link": absolute_url(series.get_absolute_url()),
            },
        )


def create_series(
    *,
    actor,
    authority,
    kind,
    title,
    purpose,
    first_date,
    at,
    interval,
    weekday,
    until,
    location="",
    is_remote=False,
    is_face_to_face=True,
    duration_minutes=60,
    today=None,
):
    """Agree regular meetings with ``authority`` and put them in the calendar."""
    require(actor, "meetings.add_meeting", Target(authority=authority))
    today = today or london_date()
    _clean(
        kind=kind,
        title=title,
        purpose=purpose,
        first_date=first_date,
        at=at,
        interval=interval,
        weekday=weekday,
        until=until,
        location=location,
        is_remote=is_remote,
        today=today,
    )
    first = _first_on_or_after(first_date, weekday)
    with transaction.atomic():
        series = MeetingSeries(
            authority=authority,
            kind=kind,
            rule=weekly_rule(interval, weekday),
            starts_at=datetime.combine(first, at, tzinfo=LONDON),
            until=until,
            title=title.strip(),
            purpose=purpose.strip(),
            location=(location or "").strip(),
            is_remote=bool(is_remote),
            is_face_to_face=bool(is_face_to_face),
            duration_minutes=duration_minutes or 60,
            organiser=actor,
        )
        series._history_user = actor
        series.save()
        meetings = _make_meetings(series)
        _tell_authority(series, meetings, f"series-created:{series.pk}", "These regular meetings have been agreed")
    return series


def _clear_from(series, day):
    """Remove the series' scheduled meetings from ``day``: deleted, or cancelled (attendees told) once
    someone was invited or the agenda agreed."""
    later = list(
        series.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=datetime.combine(day, time.min, LONDON))
        .prefetch_related("attendees")
        .order_by("starts_at")
    )
    keep = [m for m in later if m.agenda_agreed_at or m.attendees.all()]
    for meeting in keep:
        meeting.status = Meeting.Status.CANCELLED
        meeting.lock_version += 1
        meeting.save(update_fields=["status", "lock_version"])
        queue_email(
            key=f"meeting-cancelled:{meeting.pk}",
            recipients=list(meeting.attendees.all()),
            subject=f"Cancelled: {meeting.title}",
            template="meetings/email/cancelled.txt",
            context={
                "meeting": meeting,
                "reason": "The regular meetings were changed.",
                "link": absolute_url(meeting.get_absolute_url()),
            },
        )
    Meeting.objects.filter(pk__in=[m.pk for m in later if m not in keep]).delete()


def _locked(series, lock_version):
    series = MeetingSeries.objects.select_for_update(of=("self",)).select_related("authority__dcs").get(pk=series.pk)
    if lock_version is not None:
        check_and_bump(series, lock_version)
    return series


def change_series(
    *,
    actor,
    series,
    from_date,
    lock_version=None,
    at=None,
    interval=None,
    weekday=None,
    until=None,
    today=None,
    **fields,
):
    """Change the series from ``from_date`` onwards (time, frequency, day, end date, title, place…):
    it ends the day before and continues as a new series with the changes. Returns the new series."""
    today = today or london_date()
    with transaction.atomic():
        series = _locked(series, lock_version)
        require(actor, "meetings.change_series", series)
        if hasattr(series, "continued_by"):
            raise ServiceError("This series has already been changed: change the series that continues it.")
        if from_date is None or from_date < today:
            raise ServiceError("The change must start today or later", field="from_date")
        if from_date > series.until:
            raise ServiceError(f"The series ends on {series.until:%d %B %Y}", field="from_date")
        old_interval, old_weekday = rule_parts(series.rule)
        local = timezone.localtime(series.starts_at, LONDON)
        data = {k: fields.get(k, getattr(series, k)) for k in FIELDS}
        interval = interval or old_interval
        weekday = old_weekday if weekday is None else weekday
        at = at or local.time()
        until = until or series.until
        first_date = max(from_date, local.date())
        _clean(
            kind=series.kind,
            title=data["title"],
            purpose=data["purpose"],
            first_date=first_date,
            at=at,
            interval=interval,
            weekday=weekday,
            until=until,
            location=data["location"],
            is_remote=data["is_remote"],
            today=today,
        )
        _clear_from(series, from_date)
        kept = series.meetings.filter(starts_at__lt=datetime.combine(from_date, time.min, LONDON)).exists()
        new = MeetingSeries(
            authority=series.authority,
            kind=series.kind,
            rule=weekly_rule(interval, weekday),
            starts_at=datetime.combine(_first_on_or_after(first_date, weekday), at, tzinfo=LONDON),
            until=until,
            organiser=series.organiser,
            previous=series if kept else None,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()},
        )
        if kept:
            series.until = from_date - timedelta(days=1)
            series._history_user = actor
            series._change_reason = f"Changed from {from_date:%d %B %Y}"
            series.save()
        else:  # nothing happened yet: the series is replaced whole
            series.meetings.all().delete()
            series.delete()
        new._history_user = actor
        new.save()
        meetings = _make_meetings(new)
        _tell_authority(
            new, meetings, f"series-changed:{new.pk}", f"These regular meetings have changed from {from_date:%d %B %Y}"
        )
    return new


def end_series(*, actor, series, from_date, lock_version=None, today=None):
    """Stop the series from ``from_date``: its meetings from then are removed."""
    today = today or london_date()
    with transaction.atomic():
        series = _locked(series, lock_version)
        require(actor, "meetings.change_series", series)
        if hasattr(series, "continued_by"):
            raise ServiceError("This series has already been changed: change the series that continues it.")
        if from_date is None or from_date < today:
            raise ServiceError("The series can be stopped from today or later", field="from_date")
        if from_date > series.until:
            raise ServiceError(f"The series already ends on {series.until:%d %B %Y}", field="from_date")
        _clear_from(series, from_date)
        series.until = max(from_date - timedelta(days=1), timezone.localtime(series.starts_at, LONDON).date())
        series._history_user = actor
        series._change_reason = f"Stopped from {from_date:%d %B %Y}"
        series.save()
        dcs = series.authority.dcs
        if dcs and dcs.pk != actor.pk:
            queue_email(
                key=f"series-ended:{series.pk}:{from_date:%Y%m%d}",
                recipients=[dcs],
                subject=f"Regular meetings stopped: {series.title}",
                template="meetings/email/series.txt",
                context={
                    "series": series,
                    "intro": f"These regular meetings stop from {from_date:%d %B %Y}",
                    "rule": describe(series),
                    "meetings": [],
                    "link": absolute_url(series.get_absolute_url()),
                },
            )
    return series


def exceptions(series, meetings):
    """The rule's starts that have no meeting going ahead (a day that is not a working day, or a
    cancelled meeting): the feed's EXDATEs. ``meetings``: the series' meetings."""
    going_ahead = {m.occurrence for m in meetings if m.occurrence and m.status != Meeting.Status.CANCELLED}
    return [start for start in occurrences(series) if start not in going_ahead]


def overridden(series, meeting):
    """Whether a meeting of the series differs from what the rule says (its own VEVENT in the feed)."""
    return (
        meeting.starts_at != meeting.occurrence
        or meeting.duration_minutes != series.duration_minutes
        or meeting.title != series.title
        or meeting.location != series.location
    )


__all__ = [
    "change_series",
    "create_series",
    "describe",
    "end_series",
    "exceptions",
    "occurrences",
    "overridden",
]
