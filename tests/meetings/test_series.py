"""Regular meetings: a series creates its meetings on working days in Europe/London time, can be
changed or stopped from a date onwards, and appears in the calendar feed as one recurring event with
its exceptions; meetings have their real start time and length in the feed."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail
from core.errors import ServiceError
from core.working_days import LONDON
from meetings import ical, services
from meetings.models import Meeting, MeetingSeries, NonWorkingDay
from meetings.series import change_series, create_series, describe, end_series, occurrences
from tests.meetings.factories import meeting_for

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def kits(world, actor=None, **overrides):
    data = {
        "authority": world.newcastle,
        "kind": Meeting.Kind.KIT,
        "title": "KIT with Newcastle",
        "purpose": "Keep in touch about the plan",
        "first_date": date(2026, 12, 1),  # a Tuesday
        "at": time(10, 0),
        "interval": 6,
        "weekday": 1,  # Tuesday
        "until": date(2027, 7, 20),
        "is_remote": True,
        "location": "Teams",
        "duration_minutes": 90,
        "today": TODAY,
    }
    data.update(overrides)
    return create_series(actor=actor or world.csa, **data)


def starts(series):
    return [timezone_local(m.starts_at) for m in series.meetings.order_by("starts_at")]


def timezone_local(moment):
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


def test_every_6_weeks_on_a_tuesday_at_10_across_the_clock_change(world):
    series = kits(world)
    assert series.rule == "FREQ=WEEKLY;INTERVAL=6;BYDAY=TU"
    assert describe(series) == "Every 6 weeks on Tuesday at 10:00, from 1 December 2026 until 20 July 2027"
    assert starts(series) == [
        "2026-12-01 10:00",
        "2027-01-12 10:00",
        "2027-02-23 10:00",
        "2027-04-06 10:00",  # British Summer Time: still 10:00 in London
        "2027-05-18 10:00",
        "2027-06-29 10:00",
    ]
    meeting = series.meetings.first()
    assert (meeting.organiser, meeting.authority, meeting.duration_minutes) == (world.csa, world.newcastle, 90)
    mail = OutboundEmail.objects.get(key=f"series-created:{series.pk}")
    assert mail.recipient == world.dcs.email
    assert "Every 6 weeks on Tuesday at 10:00" in mail.body


def test_a_date_that_is_not_a_working_day_gets_no_meeting(world):
    NonWorkingDay.objects.create(date=date(2027, 2, 23), reason="Office move")
    series = kits(world, first_date=date(2028, 12, 19), interval=1, until=date(2029, 1, 2))  # weekly, Tuesdays
    assert starts(series) == ["2028-12-19 10:00", "2029-01-02 10:00"]  # Boxing Day 2028 is a Tuesday
    assert len(occurrences(series)) == 3
    series = kits(world, first_date=date(2027, 2, 16), interval=1, until=date(2027, 3, 2), title="Weekly")
    assert "2027-02-23 10:00" not in starts(series)


def test_who_may_agree_a_series_and_what_is_refused(world):
    for outsider in (world.csa_other, world.dcs, world.go_director):
        with pytest.raises(PermissionDenied):
            kits(world, actor=outsider)
    with pytest.raises(ServiceError, match="at most 2 years"):
        kits(world, until=date(2029, 1, 1))
    with pytest.raises(ServiceError, match="at most 60"):
        kits(world, interval=1, until=date(2028, 6, 1))
    with pytest.raises(ServiceError, match="today or later"):
        kits(world, first_date=date(2026, 11, 3))
    with pytest.raises(ServiceError, match="after its first meeting"):
        kits(world, until=date(2026, 11, 30))
    assert not MeetingSeries.objects.exists()


def test_changing_from_a_date_ends_the_series_and_continues_with_a_new_one(world):
    series = kits(world)
    first = series.meetings.order_by("starts_at").first()
    services.mark_held(actor=world.csa, meeting=first, held_on=TODAY)
    new = change_series(
        actor=world.csa,
        series=series,
        from_date=date(2027, 3, 1),
        at=time(14, 30),
        interval=4,
        weekday=3,  # Thursday
        lock_version=series.lock_version,
        today=TODAY,
    )
    series.refresh_from_db()
    assert series.until == date(2027, 2, 28)
    assert new.previous == series
    assert starts(series) == ["2026-12-01 10:00", "2027-01-12 10:00", "2027-02-23 10:00"]
    assert series.meetings.filter(status=Meeting.Status.HELD).count() == 1
    assert starts(new) == [
        "2027-03-04 14:30",
        "2027-04-01 14:30",
        "2027-04-29 14:30",
        "2027-05-27 14:30",
        "2027-06-24 14:30",
    ]
    with pytest.raises(ServiceError, match="already been changed"):
        change_series(actor=world.csa, series=series, from_date=date(2027, 4, 1), today=TODAY)
    with pytest.raises(PermissionDenied):
        change_series(actor=world.dcs, series=new, from_date=date(2027, 4, 1), today=TODAY)


def test_stopping_removes_the_later_meetings_and_tells_their_attendees(world):
    series = kits(world)
    invited = series.meetings.order_by("starts_at")[3]
    from meetings.models import MeetingAttendee

    MeetingAttendee.objects.create(meeting=invited, user=world.la_officer)
    end_series(actor=world.csa, series=series, from_date=date(2027, 3, 1), today=TODAY)
    series.refresh_from_db()
    assert series.until == date(2027, 2, 28)
    assert starts(series) == ["2026-12-01 10:00", "2027-01-12 10:00", "2027-02-23 10:00", "2027-04-06 10:00"]
    invited.refresh_from_db()
    assert invited.status == Meeting.Status.CANCELLED
    assert OutboundEmail.objects.get(key=f"meeting-cancelled:{invited.pk}").recipient == world.la_officer.email
    assert series.meetings.filter(status=Meeting.Status.SCHEDULED).count() == 3


def _feed(user):
    return icalendar.Calendar.from_ical(ical.calendar_for(user))


def _events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_the_feed_has_one_recurring_event_with_its_exceptions_and_overrides(world):
    NonWorkingDay.objects.create(date=date(2027, 4, 6), reason="Office move")
    series = kits(world)
    meetings = list(series.meetings.order_by("starts_at"))
    moved = meetings[1]
    services.update_meeting(
        actor=world.csa,
        meeting=moved,
        lock_version=moved.lock_version,
        starts_at=datetime(2027, 1, 13, 11, 0, tzinfo=LONDON),
    )
    services.cancel_meeting(actor=world.csa, meeting=meetings[2])
    feed = _feed(world.dcs)
    events = [e for e in _events(feed) if str(e["uid"]) == f"series-{series.pk}@jisp-portal"]
    master = next(e for e in events if "recurrence-id" not in e)
    assert str(master["rrule"].to_ical().decode()).startswith("FREQ=WEEKLY;UNTIL=20270720T225959Z;INTERVAL=6;BYDAY=TU")
    assert master["dtstart"].dt == datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
    assert master["dtstart"].params["TZID"] == "Europe/London"
    assert master["dtend"].dt - master["dtstart"].dt == timedelta(minutes=90)
    exdates = sorted(d.dt for d in master["exdate"].dts)
    assert exdates == [datetime(2027, 2, 23, 10, 0, tzinfo=LONDON), datetime(2027, 4, 6, 10, 0, tzinfo=LONDON)]
    override = next(e for e in events if "recurrence-id" in e)
    assert override["recurrence-id"].dt == datetime(2027, 1, 12, 10, 0, tzinfo=LONDON)
    assert override["dtstart"].dt == datetime(2027, 1, 13, 11, 0, tzinfo=LONDON)
    assert len(events) == 2
    assert not [e for e in _events(feed) if str(e["uid"]).startswith("meeting-")]  # no single copies
    assert [c["tzid"] for c in feed.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_single_meeting_has_its_real_start_and_length(world):
    meeting = meeting_for(world, starts_at=datetime(2026, 12, 3, 14, 30, tzinfo=LONDON), duration_minutes=45)
    event = next(e for e in _events(_feed(world.csa)) if str(e["uid"]) == f"meeting-{meeting.pk}@jisp-portal")
    assert event["dtstart"].dt == datetime(2026, 12, 3, 14, 30, tzinfo=LONDON)
    assert event["dtend"].dt == datetime(2026, 12, 3, 15, 15, tzinfo=LONDON)


def test_someone_who_sees_one_meeting_of_a_series_gets_that_meeting_not_the_series(world):
    series = kits(world)
    from meetings.models import MeetingAttendee

    MeetingAttendee.objects.create(meeting=series.meetings.order_by("starts_at")[1], user=world.provider)
    events = _events(_feed(world.provider))
    assert [str(e["uid"]).split("-")[0] for e in events] == ["meeting"]
    assert "rrule" not in events[0]
