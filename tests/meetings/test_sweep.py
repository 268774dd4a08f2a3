"""The deadline sweep: reminders once each, escalation to the GO director, lapsed response windows,
a fixed number of queries whatever the number of notes."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail
from core.working_days import LONDON
from meetings import services, tasks
from meetings.models import Meeting, MeetingNote, NonWorkingDay, Reminder
from tests.meetings.factories import MeetingNoteFactory, meeting_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminders_as_they_happen")]

TODAY = date(2026, 4, 15)  # a Wednesday
NOW = datetime(2026, 4, 15, 9, 0, tzinfo=LONDON)
S = MeetingNote.Status


def note(world, status, officer=None, **dates):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 4, 1))
    dates.setdefault("draft_due", date(2026, 4, 10))
    return MeetingNoteFactory(meeting=meeting, status=status, officer_concerned=officer or world.la_officer, **dates)


def reminders(n):
    return set(Reminder.objects.filter(note=n).values_list("stage", "kind", "recipient__email"))


def test_reminders_escalation_and_lapse(world):
    tomorrow = note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 16))
    today = note(world, S.AWAITING_DRAFT, draft_due=TODAY)
    overdue = note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 14))
    response = note(world, S.DRAFT_CIRCULATED, response_due=TODAY)
    lapsed = note(world, S.DRAFT_CIRCULATED, response_due=date(2026, 4, 14))
    final_late = note(world, S.COMMENTS_RECEIVED, response_due=date(2026, 4, 1), final_due=date(2026, 4, 10))
    later = note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 20))
    sent = note(world, S.FINAL_SENT, final_due=date(2026, 4, 1))

    result = services.sweep_deadlines(now=NOW)

    assert reminders(tomorrow) == {("draft", "due_tomorrow", world.csa.email)}
    assert reminders(today) == {("draft", "due_today", world.csa.email)}
    assert reminders(overdue) == {
        ("draft", "overdue", world.csa.email),
        ("draft", "escalation", world.go_director.email),
    }
    assert reminders(response) == {
        ("response", "due_today", world.dcs.email),
        ("response", "due_today", world.la_officer.email),
    }
    assert reminders(final_late) == {
        ("final", "overdue", world.csa.email),
        ("final", "escalation", world.go_director.email),
    }
    assert reminders(later) == set()
    assert reminders(sent) == set()
    assert not Reminder.objects.filter(recipient=world.go_director_other).exists()
    lapsed.refresh_from_db()
    assert lapsed.status == S.NO_COMMENTS
    assert lapsed.final_due == date(2026, 4, 21)  # 15, 16, 17, 20, 21 April
    assert lapsed.history.first().history_change_reason == "Response window lapsed without comments"
    assert result == {"lapsed": 1, "reminders": 8}
    escalation = OutboundEmail.objects.get(recipient=world.go_director.email, key__contains=f":{overdue.pk}:draft:")
    assert "escalated to you" in escalation.body
    assert "is overdue" in escalation.subject


def test_due_in_one_working_day_counts_over_a_bank_holiday(world):
    # Thursday 2 April 2026: Good Friday and Easter Monday follow, so Tuesday 7 April is one working day away.
    n = note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 7))
    services.sweep_deadlines(now=datetime(2026, 4, 2, 9, 0, tzinfo=LONDON))
    assert reminders(n) == {("draft", "due_tomorrow", world.csa.email)}


def test_a_closure_counts_too(world):
    NonWorkingDay.objects.create(date=date(2026, 4, 16), reason="Office move")
    n = note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 17))
    services.sweep_deadlines(now=NOW)
    assert reminders(n) == {("draft", "due_tomorrow", world.csa.email)}


def test_sweep_twice_sends_nothing_twice(world, django_capture_on_commit_callbacks):
    note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 14))
    note(world, S.DRAFT_CIRCULATED, response_due=TODAY)
    note(world, S.DRAFT_CIRCULATED, response_due=date(2026, 4, 13))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sweep_deadlines(now=NOW)
    reminders_after, emails_after = Reminder.objects.count(), OutboundEmail.objects.count()
    assert first == {"lapsed": 1, "reminders": 4}
    assert emails_after == 5  # four reminders and the author told the response window lapsed
    assert OutboundEmail.objects.filter(sent_at__isnull=False).count() == 5
    lapse = OutboundEmail.objects.get(key__startswith="note-lapsed:")
    assert lapse.recipient == world.csa.email
    assert "final note is due by" in lapse.subject
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sweep_deadlines(now=NOW)
    assert second == {"lapsed": 0, "reminders": 0}
    assert Reminder.objects.count() == reminders_after
    assert OutboundEmail.objects.count() == emails_after


def test_the_task_runs_the_sweep(world):
    n = note(world, S.AWAITING_DRAFT, draft_due=date(2000, 1, 4))
    tasks.sweep_deadlines.delay()
    assert ("draft", "overdue", world.csa.email) in reminders(n)
    assert tasks.sweep_deadlines.acks_late


def _population(world, copies):
    for _ in range(copies):
        note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 16))
        note(world, S.AWAITING_DRAFT, draft_due=TODAY)
        note(world, S.AWAITING_DRAFT, draft_due=date(2026, 4, 14))
        note(world, S.DRAFT_CIRCULATED, response_due=date(2026, 4, 13))
        note(world, S.COMMENTS_RECEIVED, final_due=date(2026, 4, 10))


def _sweep_queries(world, copies):
    MeetingNote.objects.all().delete()
    _population(world, copies)
    with CaptureQueriesContext(connection) as ctx:
        services.sweep_deadlines(now=NOW)
    return len(ctx.captured_queries)


def test_sweep_runs_a_fixed_number_of_queries(world):
    small = _sweep_queries(world, 1)  # 5 notes
    large = _sweep_queries(world, 10)  # 50 notes
    assert Reminder.objects.count() > 50
    assert small == large
