"""Property tests of the protocol's clocks over random meeting dates, response days, extensions and
closures, taken through the real services: every due date equals a reference computed here from
first principles (weekdays, less England's bank holidays from the ``holidays`` package, less the
closures known when the stage ended), and the sweep's reminders follow extended due dates."""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from core.digest import IMMEDIATE
from core.working_days import LONDON
from meetings import services
from meetings.closures import add_closure
from meetings.extensions import agree_extension, request_extension
from meetings.models import MeetingNote, NonWorkingDay, Reminder
from tests.meetings.clocks import drafted

pytestmark = pytest.mark.django_db
S = MeetingNote.Status
FIRST, LAST = date(2024, 1, 1), date(2026, 6, 30)  # meetings held in the past (mark_held refuses the future)


# --- the reference ---------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _bank_holidays(year):
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def working(d, closures):
    return d.weekday() < 5 and d not in _bank_holidays(d.year) and d not in closures


def reference_add(start, days, closures):
    d = start
    while days:
        d += timedelta(days=1)
        if working(d, closures):
            days -= 1
    return d


def reference_between(start, end, closures):
    return sum(1 for i in range(1, (end - start).days + 1) if working(start + timedelta(days=i), closures))


# --- what happens to one note ----------------------------------------------------------------------


class Rollback(Exception):
    pass


def _offset(draw, low, high):
    return draw(st.integers(min_value=low, max_value=high))


@st.composite
def stage_events(draw):
    """What may happen during a stage, as offsets in days from its start: an extension asked for and
    agreed (working days), a closure added (on a day, for a later day)."""
    extension = draw(st.none() | st.tuples(st.integers(0, 6), st.integers(1, 4)))
    closure = draw(st.none() | st.tuples(st.integers(0, 6), st.integers(0, 9)))
    return extension, closure


@st.composite
def histories(draw):
    return {
        "held": draw(st.dates(min_value=FIRST, max_value=LAST)),
        "known": draw(st.lists(st.integers(-3, 30), max_size=3, unique=True)),  # closures known from the start
        "draft": draw(stage_events()),
        "circulate_after": draw(st.integers(0, 9)),  # days after the draft stage's last event
        "response": draw(stage_events()),
        "outcome": draw(st.sampled_from(["submit", "lapse_with_comments", "lapse_without"])),
        "respond_after": draw(st.integers(0, 8)),
        "final": draw(stage_events()),
        "send_after": draw(st.none() | st.integers(0, 9)),
    }


def _stage(world, note, stage, start, events, closures, due_of, actor_for_request, answerer):
    """Play a stage's extension and closure in date order; returns the last day anything happened and
    the working days agreed."""
    extension, closure = events
    happenings = []
    if extension:
        happenings.append((start + timedelta(days=extension[0]), "extension", extension[1]))
    if closure:
        on = start + timedelta(days=closure[0])
        happenings.append((on, "closure", on + timedelta(days=closure[1])))
    agreed, last = 0, start
    for on, kind, value in sorted(happenings, key=lambda h: (h[0], h[1])):
        note.refresh_from_db()
        last = max(last, on)
        if kind == "closure":
            if value not in closures:
                add_closure(actor=world.admin, day=value, reason="Office closure", today=on)
                closures.add(value)
            continue
        due = due_of(note)
        if on > due:
            continue  # too late to ask
        new_due = reference_add(due, value, closures)
        ext = request_extension(actor=actor_for_request, note=note, new_due=new_due, reason="More time", on=on)
        agree_extension(actor=answerer, extension=ext)
        agreed += reference_between(due, new_due, closures)
    note.refresh_from_db()
    return last, agreed


@pytest.fixture
def immediate(world):
    User.objects.update(reminder_emails=IMMEDIATE)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_every_due_date_equals_the_reference(world, history):
    try:
        with transaction.atomic():
            _play(world, history)
            raise Rollback
    except Rollback:
        pass


def _play(world, h):
    held = h["held"]
    closures = set()
    for offset in h["known"]:
        day = held + timedelta(days=offset)
        NonWorkingDay.objects.get_or_create(date=day, defaults={"reason": "Known closure"})
        closures.add(day)
    note = drafted(world, held, officer=world.la_officer)

    # The draft: 5 working days from the meeting, plus what was agreed.
    last, agreed = _stage(world, note, "draft", held, h["draft"], closures, lambda n: n.draft_due, world.csa, world.dcs)
    assert note.draft_due == reference_add(held, 5 + agreed, frozenset(closures))
    draft_due = note.draft_due
    circulated = max(last, held) + timedelta(days=h["circulate_after"])
    note = services.circulate_draft(actor=world.csa, note=note, on=circulated)

    # The authority's response: 5 working days from circulation, plus what was agreed.
    last, agreed = _stage(
        world, note, "response", circulated, h["response"], closures, lambda n: n.response_due, world.dcs, world.csa
    )
    assert note.response_due == reference_add(circulated, 5 + agreed, frozenset(closures))
    response_due = note.response_due
    respond_on = min(max(last, circulated) + timedelta(days=h["respond_after"]), note.response_due)
    if h["outcome"] == "submit":
        note = services.submit_response(actor=world.la_officer, note=note, on=respond_on)
        received = respond_on
    else:
        if h["outcome"] == "lapse_with_comments":
            services.add_comment(actor=world.la_officer, note=note, body="A comment", on=respond_on)
        note = services.lapse_response_window(note=note, today=note.response_due + timedelta(days=1))
        received = note.response_due
        assert note.status == (S.COMMENTS_RECEIVED if h["outcome"] == "lapse_with_comments" else S.NO_COMMENTS)

    # The final note: 5 working days from the response as received, plus what was agreed.
    last, agreed = _stage(
        world, note, "final", received, h["final"], closures, lambda n: n.final_due, world.csa, world.dcs
    )
    assert note.final_due == reference_add(received, 5 + agreed, frozenset(closures))
    if h["send_after"] is not None:
        sent_on = max(last, received) + timedelta(days=h["send_after"])
        note = services.send_final(actor=world.csa, note=note, final="The final note", on=sent_on)
        assert note.status == S.FINAL_SENT
    # Every stage keeps the due date it had when it ended, whatever closures came after.
    ended = (note.draft_due, note.response_due, note.final_due)
    note.refresh_from_db()
    assert (note.draft_due, note.response_due, note.final_due) == ended
    assert ended[0] == draft_due
    assert ended[1] == response_due


# --- the sweep follows extended due dates ---------------------------------------------------------


def _sweep(day):
    services.sweep_deadlines(now=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    held=st.dates(min_value=FIRST, max_value=LAST),
    asked=st.integers(0, 8),
    extra=st.integers(1, 4),
)
def test_the_sweeps_reminders_follow_the_extended_date(world, immediate, held, asked, extra):
    try:
        with transaction.atomic():
            note = drafted(world, held)
            old = note.draft_due
            ask_on = min(held + timedelta(days=asked), old)
            new = reference_add(old, extra, frozenset())
            day, last = min(ask_on, old - timedelta(days=4)), reference_add(new, 1, frozenset())
            while day <= last:
                if day == ask_on:
                    ext = request_extension(actor=world.csa, note=note, new_due=new, reason="Ill", on=day)
                    agree_extension(actor=world.dcs, extension=ext)
                if working(day, frozenset()):
                    _sweep(day)
                day += timedelta(days=1)
            sent = set(Reminder.objects.filter(note=note, recipient=world.csa).values_list("kind", "due"))
            # The new date has all its reminders; the old one never became overdue.
            assert {("due_tomorrow", new), ("due_today", new), ("overdue", new)} <= sent
            assert not {k for k, due in sent if due == old} - {"due_tomorrow", "due_today"}
            assert {due for _, due in sent} <= {old, new}
            escalated = set(Reminder.objects.filter(note=note, kind="escalation").values_list("due", flat=True))
            assert escalated == {new}
            raise Rollback
    except Rollback:
        pass
