"""GOV.UK's bank holidays: the real ``bank-holidays.json`` (England and Wales, 2012 onwards) agrees
with the calendar on every day it covers; an imported snapshot is the calendar of record for its
years; the import command and the differences from the ``holidays`` package."""

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import ServiceError
from core.working_days import WorkingCalendar, add_working_days, is_working_day, snapshot_version
from meetings.closures import import_bank_holidays, parse_bank_holidays, snapshot_diff
from meetings.models import BankHolidaySnapshot, DeadlineMove, MeetingNote, NonWorkingDay

pytestmark = pytest.mark.django_db

GOVUK = Path(__file__).resolve().parents[2] / "meetings" / "data" / "bank-holidays.json"


def govuk():
    return json.loads(GOVUK.read_bytes())


def govuk_days():
    return {date.fromisoformat(e["date"]) for e in govuk()["england-and-wales"]["events"]}


def every_day(first, last):
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def test_the_fixture_is_govuks_file_from_2012():
    data = govuk()
    assert set(data) == {"england-and-wales", "scotland", "northern-ireland"}
    events = data["england-and-wales"]["events"]
    assert data["england-and-wales"]["division"] == "england-and-wales"
    assert set(events[0]) == {"title", "date", "notes", "bunting"}
    assert events[0]["date"] == "2012-01-02"
    assert len(events) == 140
    titles = {e["date"]: e["title"] for e in events}
    assert titles["2022-09-19"] == "Bank Holiday for the State Funeral of Queen Elizabeth II"
    assert titles["2012-06-05"] == "Queen’s Diamond Jubilee"


def _check_every_day(is_working):
    holidays = govuk_days()
    first, last = date(2012, 1, 1), date(max(d.year for d in holidays), 12, 31)
    for d in every_day(first, last):
        expected = d.weekday() < 5 and d not in holidays
        assert is_working(d) == expected, d


def test_the_calendar_agrees_with_govuk_on_every_day_it_covers_from_the_package():
    """Without a snapshot the ``holidays`` package is the calendar (read here through the sweep's
    ``WorkingCalendar``, which uses the same days)."""
    assert BankHolidaySnapshot.objects.count() == 0
    _check_every_day(WorkingCalendar(date(2012, 1, 1), date(2028, 12, 31)).is_working_day)


def test_is_working_day_agrees_with_govuk_on_every_day_it_covers_once_imported():
    snapshot, _ = import_bank_holidays(actor=None, content=GOVUK.read_bytes())
    assert snapshot.years == (2012, 2028)
    _check_every_day(is_working_day)
    assert snapshot_version() == (snapshot.pk, snapshot.sha256)


def _with(extra=(), without=()):
    data = govuk()
    events = [e for e in data["england-and-wales"]["events"] if e["date"] not in without]
    events += [{"title": title, "date": day, "notes": "", "bunting": True} for day, title in extra]
    data["england-and-wales"]["events"] = sorted(events, key=lambda e: e["date"])
    return json.dumps(data).encode()


def test_a_day_added_by_proclamation_is_the_calendar_of_record_and_the_package_covers_other_years():
    proclaimed = date(2027, 6, 7)  # a Monday
    assert is_working_day(proclaimed)
    import_bank_holidays(actor=None, content=_with(extra=[(proclaimed.isoformat(), "Bank holiday by proclamation")]))
    assert not is_working_day(proclaimed)
    assert add_working_days(date(2027, 6, 4), 1) == date(2027, 6, 8)
    assert not is_working_day(date(2030, 12, 25))  # after the snapshot's years: the package
    calendar = WorkingCalendar(date(2027, 6, 1), date(2027, 6, 10))
    assert not calendar.is_working_day(proclaimed)


def test_another_process_sees_a_new_snapshot_at_its_next_calculation(django_assert_max_num_queries):
    day = date(2026, 7, 6)
    assert is_working_day(day)
    # Written straight to the table, as another machine's import would be: nothing here is told.
    BankHolidaySnapshot.objects.create(
        sha256="x" * 64, events=[{"title": "Proclaimed", "date": day.isoformat(), "notes": "", "bunting": True}]
    )
    assert not is_working_day(day)
    with django_assert_max_num_queries(1):  # the snapshot is kept: one query (the closures') per calculation
        assert not is_working_day(day)


def test_a_calculation_is_one_query_with_or_without_a_snapshot():
    with CaptureQueriesContext(connection) as without:
        add_working_days(date(2026, 4, 1), 5)
    import_bank_holidays(actor=None, content=GOVUK.read_bytes())
    is_working_day(date(2026, 4, 1))  # loads the snapshot once
    with CaptureQueriesContext(connection) as with_snapshot:
        add_working_days(date(2026, 4, 1), 5)
    assert len(without) == len(with_snapshot) == 1


def test_the_diff_with_the_package(world):
    snapshot, _ = import_bank_holidays(actor=world.admin, content=GOVUK.read_bytes())
    assert snapshot_diff(snapshot) == {"added": [], "missing": []}  # they agree on every weekday
    snapshot, _ = import_bank_holidays(
        actor=world.admin,
        content=_with(extra=[("2027-06-07", "Bank holiday by proclamation")], without=["2027-05-31"]),
    )
    diff = snapshot_diff(snapshot)
    assert diff["added"] == [(date(2027, 6, 7), "Bank holiday by proclamation")]
    assert diff["missing"] == [(date(2027, 5, 31), "Spring Bank Holiday")]


def test_a_new_snapshot_moves_the_open_deadlines_it_changes(world):
    from tests.meetings.clocks import held_note

    note = held_note(world, date(2026, 11, 26))  # draft due Thursday 3 December
    assert note.draft_due == date(2026, 12, 3)
    other = held_note(world, date(2026, 11, 20), title="Met")  # due 27 November: past, never moves
    snapshot, moves = import_bank_holidays(
        actor=world.admin,
        content=_with(extra=[("2026-12-01", "Bank holiday by proclamation")]),
        today=date(2026, 11, 30),
    )
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.draft_due == date(2026, 12, 4)
    assert other.draft_due == date(2026, 11, 27)
    assert [(m.note_id, m.stage, m.old_due, m.new_due, m.snapshot_id) for m in moves] == [
        (note.pk, "draft", date(2026, 12, 3), date(2026, 12, 4), snapshot.pk)
    ]
    assert DeadlineMove.objects.get().moved_by == world.admin
    assert note.history.first().history_change_reason == "GOV.UK's bank holidays were updated"
    from accounts.models import OutboundEmail

    mail = OutboundEmail.objects.get(key__startswith="deadline-moved:")
    assert mail.recipient == world.csa.email
    assert "now due 04 December 2026" in mail.subject


def test_the_same_file_twice_is_refused_and_bad_files_too(world):
    import_bank_holidays(actor=world.admin, content=GOVUK.read_bytes())
    with pytest.raises(ServiceError, match="already the calendar of record"):
        import_bank_holidays(actor=world.admin, content=GOVUK.read_bytes())
    for content, message in [
        (b"<html>", "not JSON"),
        (b'{"scotland": {"events": []}}', "no England and Wales"),
        (b'{"england-and-wales": {"events": [{"title": "X", "date": "2026-13-01"}]}}', "no real date"),
        (
            b'{"england-and-wales": {"events": [{"title": "X", "date": "2026-12-01"}, {"title": "Y", "date": "2026-12-01"}]}}',
            "twice",
        ),
    ]:
        with pytest.raises(ServiceError, match=message):
            parse_bank_holidays(content)
    assert BankHolidaySnapshot.objects.count() == 1
    with pytest.raises(Exception, match="permission"):
        import_bank_holidays(actor=world.csa, content=_with(extra=[("2027-06-07", "X")]))


def test_the_command(world, tmp_path):
    out = StringIO()
    call_command("import_bank_holidays", str(GOVUK), "--as", world.admin.email, stdout=out)
    assert "Imported 140 England and Wales bank holidays, 2012 to 2028" in out.getvalue()
    assert "0 open deadlines moved" in out.getvalue()
    assert BankHolidaySnapshot.objects.get().imported_by == world.admin
    with pytest.raises(CommandError, match="already the calendar of record"):
        call_command("import_bank_holidays", str(GOVUK), stdout=StringIO())
    bad = tmp_path / "bank-holidays.json"
    bad.write_text("[]")
    with pytest.raises(CommandError, match="no England and Wales"):
        call_command("import_bank_holidays", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_bank_holidays", str(tmp_path / "missing.json"), stdout=StringIO())


def test_closures_and_snapshots_together():
    import_bank_holidays(actor=None, content=GOVUK.read_bytes())
    NonWorkingDay.objects.create(date=date(2026, 4, 7), reason="Office move")
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 8)  # Good Friday, Easter Monday, the move
    assert MeetingNote.objects.count() == 0
