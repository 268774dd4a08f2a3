"""Closures move open deadlines: adding or removing a NonWorkingDay recomputes the due date of every
open note whose window spans it, in one transaction, with history and emails; met or past stages
never change."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail
from core.errors import ServiceError
from meetings import services
from meetings.closures import add_closure, remove_closure
from meetings.deadlines import stage_due, stage_start
from meetings.extensions import agree_extension, request_extension
from meetings.models import DeadlineMove, MeetingNote, NonWorkingDay
from tests.meetings.clocks import circulated, drafted, held_note

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 8)  # a Monday


@pytest.fixture
def notes(world):
    """Notes in each stage around the week of 8 June 2026."""
    draft = held_note(world, date(2026, 6, 5), title="Draft open")  # due Fri 12 June
    response = circulated(world, date(2026, 6, 1), on=date(2026, 6, 4), title="Response open")  # due Thu 11 June
    final = circulated(world, date(2026, 5, 26), on=date(2026, 6, 1), title="Final open")  # response due 8 June
    final = services.submit_response(actor=world.dcs, note=final, on=date(2026, 6, 5))  # final due Fri 12 June
    past = held_note(world, date(2026, 5, 27), title="Draft overdue")  # due Wed 3 June: past
    met = circulated(world, date(2026, 6, 3), on=date(2026, 6, 5), title="Draft met")  # draft stage met
    later = held_note(world, date(2026, 6, 8), title="After the closure")  # due Mon 15 June, window after 9 June?
    return {"draft": draft, "response": response, "final": final, "past": past, "met": met, "later": later}


def dues(notes):
    out = {}
    for name, note in notes.items():
        note.refresh_from_db()
        out[name] = (note.draft_due, note.response_due, note.final_due)
    return out


def test_a_closure_moves_the_open_deadlines_whose_window_spans_it(world, notes):
    before = dues(notes)
    assert before["draft"][0] == date(2026, 6, 12)
    assert before["response"][1] == date(2026, 6, 11)
    assert before["final"][2] == date(2026, 6, 12)
    assert before["later"][0] == date(2026, 6, 15)
    closure, moves = add_closure(actor=world.admin, day=date(2026, 6, 10), reason="Office move", today=TODAY)
    after = dues(notes)
    assert after["draft"][0] == date(2026, 6, 15)
    assert after["response"][1] == date(2026, 6, 12)
    assert after["final"][2] == date(2026, 6, 15)
    assert after["later"][0] == date(2026, 6, 16)
    assert after["past"] == before["past"]  # its due date had passed
    assert after["met"][0] == before["met"][0]  # the draft was circulated: met, never moves
    assert after["met"][1] == date(2026, 6, 15)  # ... but its response window holds the closure
    assert {(m.note.meeting.title, m.stage) for m in moves} == {
        ("Draft open", "draft"),
        ("Response open", "response"),
        ("Final open", "final"),
        ("After the closure", "draft"),
        ("Draft met", "response"),
    }
    note = notes["draft"]
    assert note.history.first().history_user == world.admin
    assert "offices are closed on 10 June 2026" in note.history.first().history_change_reason
    told = {
        (m.recipient, m.subject.split(":")[0]) for m in OutboundEmail.objects.filter(key__startswith="deadline-moved:")
    }
    assert (world.csa.email, "Draft note now due 15 June 2026") in told
    assert (world.dcs.email, "Authority's response now due 12 June 2026") in told


def test_removing_the_closure_brings_them_back(world, notes):
    before = dues(notes)
    closure, _ = add_closure(actor=world.admin, day=date(2026, 6, 10), reason="Office move", today=TODAY)
    day, moves = remove_closure(actor=world.admin, closure=closure, today=TODAY)
    assert day == date(2026, 6, 10)
    assert len(moves) == 5
    assert dues(notes) == before
    assert not NonWorkingDay.objects.exists()
    assert DeadlineMove.objects.count() == 10


def test_every_open_due_date_equals_the_reference_after_closures(world, notes):
    for day in (date(2026, 6, 9), date(2026, 6, 11), date(2026, 6, 16)):
        add_closure(actor=world.admin, day=day, reason="Closed", today=TODAY)
    for note in MeetingNote.objects.exclude(status=MeetingNote.Status.FINAL_SENT).select_related("meeting"):
        stage, due = note.current_stage
        if due >= TODAY:
            assert due == stage_due(stage_start(note, stage)), note.meeting.title


def test_an_agreed_extension_keeps_its_working_days_when_a_closure_moves_the_date(world):
    note = held_note(world, date(2026, 6, 5))  # draft due Fri 12 June
    ext = request_extension(actor=world.csa, note=note, new_due=date(2026, 6, 16), reason="Ill", on=TODAY)
    agree_extension(actor=world.dcs, extension=ext)
    add_closure(actor=world.admin, day=date(2026, 6, 9), reason="Strike", today=TODAY)
    note.refresh_from_db()
    assert note.draft_due == date(2026, 6, 17)  # 5 + 2 working days from 5 June, less 9 June


def test_only_administrators_manage_closures_and_a_day_is_closed_once(world):
    with pytest.raises(PermissionDenied):
        add_closure(actor=world.csa, day=date(2026, 6, 10), reason="Office move")
    add_closure(actor=world.admin, day=date(2026, 6, 10), reason="Office move", today=TODAY)
    with pytest.raises(ServiceError, match="already a closure"):
        add_closure(actor=world.admin, day=date(2026, 6, 10), reason="Again", today=TODAY)
    with pytest.raises(ServiceError, match="reason"):
        add_closure(actor=world.admin, day=date(2026, 6, 11), reason=" ", today=TODAY)
    closure = NonWorkingDay.objects.get()
    with pytest.raises(PermissionDenied):
        remove_closure(actor=world.go_director, closure=closure)


def test_a_closure_in_the_past_or_after_every_window_moves_nothing(world):
    note = drafted(world, date(2026, 6, 5))
    _, moves = add_closure(actor=world.admin, day=date(2026, 6, 1), reason="Past", today=TODAY)
    assert moves == []
    _, moves = add_closure(actor=world.admin, day=date(2026, 7, 1), reason="Later", today=TODAY)
    assert moves == []
    note.refresh_from_db()
    assert note.draft_due == date(2026, 6, 12)
