"""A user's calendar feed (iCalendar): their meetings at their real start time and length in
Europe/London, each regular series as one recurring event (RRULE) with its exceptions (EXDATE for a
meeting that does not go ahead, an overriding event for one that was moved or changed), and the due
dates of the notes they must meet as all-day events."""

from datetime import UTC, datetime, time, timedelta

import icalendar
from django.utils import timezone

from core.notify import absolute_url
from core.working_days import LONDON

from . import queries
from . import series as series_rules
from .models import Meeting, MeetingSeries

STAGE_NAMES = {"draft": "Draft note due", "response": "Response to draft note due", "final": "Final note due"}
TZID = "Europe/London"


def london_timezone():
    """Europe/London as a VTIMEZONE: GMT, and BST from the last Sunday of March to the last Sunday of
    October."""
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    summer = icalendar.TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))  # noqa: DTZ001 - a VTIMEZONE's onsets are local times
    summer.add("tzoffsetfrom", timedelta(hours=0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = icalendar.TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))  # noqa: DTZ001 - a VTIMEZONE's onsets are local times
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(hours=0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _local(moment):
    return timezone.localtime(moment, LONDON)


def _timed(event, start, minutes):
    event.add("dtstart", _local(start))
    event.add("dtend", _local(start + timedelta(minutes=minutes)))


def _describe(kind_label, purpose, url):
    return f"{kind_label}. Purpose: {purpose}\n{url}"


def meeting_event(m, stamp, *, uid=None, recurrence_id=None):
    """One meeting, at its start time for its length."""
    event = icalendar.Event()
    event.add("uid", uid or f"meeting-{m.pk}@jisp-portal")
    event.add("dtstamp", stamp)
    if recurrence_id is not None:
        event.add("recurrence-id", _local(recurrence_id))
    event.add("summary", m.title + (" (agenda not agreed)" if not m.agenda_agreed_at else ""))
    _timed(event, m.starts_at, m.duration_minutes)
    event.add("description", _describe(m.get_kind_display(), m.purpose, absolute_url(m.get_absolute_url())))
    if m.where:
        event.add("location", m.where)
    if m.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def series_event(s, meetings, stamp):
    """A series: one recurring event, then an event per meeting the series moved or changed."""
    uid = f"series-{s.pk}@jisp-portal"
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", s.title)
    _timed(event, s.starts_at, s.duration_minutes)
    rule = icalendar.vRecur.from_ical(s.rule)
    last = datetime.combine(s.until, time.max, tzinfo=LONDON).astimezone(UTC).replace(microsecond=0)
    rule["UNTIL"] = [last]
    event.add("rrule", rule)
    skipped = series_rules.exceptions(s, meetings)
    if skipped:
        event.add("exdate", [_local(start) for start in skipped])
    event.add(
        "description",
        _describe(f"{s.get_kind_display()}: {series_rules.describe(s)}", s.purpose, absolute_url(s.get_absolute_url())),
    )
    where = f"Remote ({s.location})" if s.is_remote and s.location else ("Remote" if s.is_remote else s.location)
    if where:
        event.add("location", where)
    events = [event]
    for m in meetings:
        if m.occurrence and m.status != Meeting.Status.CANCELLED and series_rules.overridden(s, m):
            events.append(meeting_event(m, stamp, uid=uid, recurrence_id=m.occurrence))
    return events


def deadline_event(note, stage, due, stamp):
    """A note's next deadline as an all-day event."""
    event = icalendar.Event()
    event.add("uid", f"note-{note.pk}-{stage}@jisp-portal")
    event.add("dtstamp", stamp)
    event.add("summary", f"{STAGE_NAMES[stage]}: {note.meeting.title}")
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("description", absolute_url(note.meeting.get_absolute_url()))
    return event


def calendar_for(user):
    """The feed of ``user`` as iCalendar bytes."""
    meetings, notes = queries.ical_events(user)
    series_ids = {m.series_id for m in meetings if m.series_id}
    visible_series = {s.pk: s for s in MeetingSeries.objects.visible_to(user).filter(pk__in=series_ids)}
    of_series = {}
    if visible_series:
        for m in Meeting.objects.filter(series_id__in=list(visible_series)).order_by("starts_at"):
            of_series.setdefault(m.series_id, []).append(m)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//JISP portal//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "JISP meetings and note deadlines")
    cal.add("x-wr-timezone", TZID)
    cal.add_component(london_timezone())
    stamp = timezone.now()
    for m in meetings:
        if m.series_id not in visible_series:
            cal.add_component(meeting_event(m, stamp))
    for pk, s in visible_series.items():
        for event in series_event(s, of_series.get(pk, []), stamp):
            cal.add_component(event)
    for note in notes:
        stage, due = note.current_stage
        if due:
            cal.add_component(deadline_event(note, stage, due, stamp))
    return cal.to_ical()


__all__ = ["calendar_for", "london_timezone"]
