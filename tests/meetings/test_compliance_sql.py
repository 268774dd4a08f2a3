"""The compliance page's figures, counted in SQL, against the note-by-note outcomes (``note_outcomes``):
notes in every state, over Easter's bank holidays and an office closure, with agreed extensions, in
two regions, of authority meetings, a forum meeting and a provider's clinic."""

import csv
import io
from collections import namedtuple
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.working_days import LONDON, WorkingCalendar, due_label, london_date
from meetings.models import DeadlineExtension, Meeting, MeetingNote, NonWorkingDay
from meetings.queries import agreed_extensions, compliance, compliance_notes, note_outcomes
from providers.models import Provider
from tests.meetings.factories import MeetingNoteFactory, meeting_for

pytestmark = pytest.mark.django_db
S = MeetingNote.Status
TODAY = date(2026, 5, 20)
HELD = date(2026, 3, 30)  # a Monday: the draft's 5 working days cross Good Friday and Easter Monday
CLOSED = date(2026, 4, 15)  # an office closure (a Wednesday)


def at(d, hour=12, minute=0):
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON)


def _extend(note, stage, old_due, new_due, days, world, status=DeadlineExtension.Status.AGREED):
    DeadlineExtension.objects.create(
        note=note,
        stage=stage,
        old_due=old_due,
        new_due=new_due,
        working_days=days,
        reason="Snow",
        side="author",
        requested_by=world.csa,
        status=status,
        agreed_by=world.dcs if status == DeadlineExtension.Status.AGREED else None,
    )


def build_notes(world, tag=""):
    """Notes in every state; ``tag`` names another batch of the same notes."""

    def note(title, held=HELD, place=None, organiser=None, **fields):
        meeting = meeting_for(
            world,
            title=f"{title}{tag}",
            status=Meeting.Status.HELD,
            held_on=held,
            organiser=organiser,
            **(place or {}),
        )
        return MeetingNoteFactory(meeting=meeting, **{"draft_due": date(2026, 4, 9), **fields})

    finished = {"status": S.FINAL_SENT, "response_due": date(2026, 4, 17), "final_due": date(2026, 4, 24)}
    # Every stage on time, the draft across Easter, the final note across the closure.
    note(
        "On time",
        **finished,
        draft_circulated_at=at(date(2026, 4, 8)),
        comments_received_at=at(date(2026, 4, 14)),
        final_sent_at=at(date(2026, 4, 16)),
    )
    # Draft late; the response window still open.
    note("Draft late", status=S.DRAFT_CIRCULATED, draft_circulated_at=at(date(2026, 4, 13)), response_due=TODAY)
    # Draft on time only with its agreed extension (and a declined one that does not count).
    extended = note(
        "Draft extended",
        draft_due=date(2026, 4, 13),
        status=S.DRAFT_CIRCULATED,
        draft_circulated_at=at(date(2026, 4, 13)),
        response_due=date(2026, 6, 1),
    )
    _extend(extended, "draft", date(2026, 4, 9), date(2026, 4, 13), 2, world)
    _extend(extended, "draft", date(2026, 4, 13), date(2026, 4, 14), 1, world, DeadlineExtension.Status.DECLINED)
    # Extended, but circulated by the first due date: on time, its days counted.
    early = note(
        "Extended, early",
        draft_due=date(2026, 4, 13),
        status=S.DRAFT_CIRCULATED,
        draft_circulated_at=at(date(2026, 4, 8)),
        response_due=date(2026, 6, 1),
    )
    _extend(early, "draft", date(2026, 4, 9), date(2026, 4, 13), 2, world)
    # Late even after two agreed extensions.
    twice = note(
        "Extended twice, late",
        draft_due=date(2026, 4, 16),
        status=S.DRAFT_CIRCULATED,
        draft_circulated_at=at(date(2026, 4, 20)),
        response_due=date(2026, 6, 1),
    )
    _extend(twice, "draft", date(2026, 4, 9), date(2026, 4, 13), 2, world)
    _extend(twice, "draft", date(2026, 4, 13), date(2026, 4, 16), 2, world)  # over the closure
    # The response window closed with no comments: the response late; the final note overdue now.
    note(
        "No comments",
        status=S.NO_COMMENTS,
        draft_circulated_at=at(date(2026, 4, 9)),
        response_due=date(2026, 4, 17),
        final_due=date(2026, 4, 24),
    )
    # Final note sent after no comments: counted from the response's due date, late.
    note(
        "Final after silence",
        **finished,
        draft_circulated_at=at(date(2026, 4, 9)),
        final_sent_at=at(date(2026, 4, 28)),
    )
    # Circulated 00:30 on 10 April in London (still 9 April in UTC): late by the London date.
    note(
        "After midnight",
        status=S.DRAFT_CIRCULATED,
        draft_circulated_at=at(date(2026, 4, 10), 0, 30),
        response_due=date(2026, 6, 1),
    )
    # Open: the draft overdue; the draft not yet due; comments received and the final note overdue.
    note("Draft overdue", status=S.AWAITING_DRAFT, draft_due=date(2026, 5, 1))
    note("Draft not due", held=date(2026, 5, 18), status=S.AWAITING_DRAFT, draft_due=date(2026, 5, 26))
    note(
        "Final overdue",
        status=S.COMMENTS_RECEIVED,
        draft_circulated_at=at(date(2026, 4, 8)),
        response_due=date(2026, 4, 17),
        comments_received_at=at(date(2026, 4, 20)),
        final_due=date(2026, 4, 27),
    )
    # A forum meeting (no authority, so no CSA) and a provider's clinic, both finished.
    note(
        "Forum",
        place={"authority": None, "forum": world.forum},
        **finished,
        draft_circulated_at=at(date(2026, 4, 7)),
        comments_received_at=at(date(2026, 4, 16)),
        final_sent_at=at(date(2026, 4, 23)),
    )
    note(
        "Clinic",
        organiser=world.provider,
        **finished,
        draft_circulated_at=at(date(2026, 4, 9)),
        comments_received_at=at(date(2026, 4, 17)),
        final_sent_at=at(date(2026, 5, 5)),  # after the early May bank holiday: late
    )
    # Leeds: the response on time with an agreed extension, the final note on time with one.
    leeds = note(
        "Leeds",
        place={"authority": world.leeds},
        organiser=world.csa_other,
        status=S.FINAL_SENT,
        draft_circulated_at=at(date(2026, 4, 8)),
        response_due=date(2026, 4, 21),
        comments_received_at=at(date(2026, 4, 21)),
        final_due=date(2026, 4, 30),
        final_sent_at=at(date(2026, 4, 30)),
    )
    _extend(leeds, "response", date(2026, 4, 16), date(2026, 4, 21), 2, world)
    _extend(leeds, "final", date(2026, 4, 28), date(2026, 4, 30), 2, world)
    # No held date: no draft figures, the rest counted.
    note(
        "Not held",
        held=None,
        **finished,
        draft_circulated_at=at(date(2026, 4, 8)),
        comments_received_at=at(date(2026, 4, 14)),
        final_sent_at=at(date(2026, 4, 21)),
    )


@pytest.fixture
def notes(world):
    NonWorkingDay.objects.create(date=CLOSED, reason="Office move")
    build_notes(world)


# --- the reference: each note's outcomes from ``note_outcomes``, grouped in Python ----------------

Row = namedtuple("Row", "pk status draft_due response_due final_due held_on circulated_on comments_on final_on")


def _day(moment):
    return london_date(moment) if moment else None


def _figures(group):
    return {
        stage: (f.on_time, f.extended, f.late, f.extension_days, sorted(f.taken), f.median_text)
        for stage, f in group.stages.items()
    }


def reference(user, region, today=TODAY):
    """(groups, overdue, outcomes by meeting title) from model instances, note by note."""
    scope = compliance_notes(user, region)
    calendar = WorkingCalendar(date(2026, 1, 1), date(2026, 12, 31))
    extensions = agreed_extensions(scope.order_by())
    total, by_csa, by_provider = {"notes": 0, "stages": []}, {}, {}
    overdue, outcomes_by_title = [], {}
    for note in scope.select_related("meeting__authority", "meeting__organiser"):
        m = note.meeting
        row = Row(
            note.pk,
            note.status,
            note.draft_due,
            note.response_due,
            note.final_due,
            m.held_on,
            _day(note.draft_circulated_at),
            _day(note.comments_received_at),
            _day(note.final_sent_at),
        )
        outcomes = note_outcomes(row, calendar, extensions)
        outcomes_by_title[m.title] = outcomes
        groups = [total]
        if m.authority_id and m.authority.csa_id:
            groups.append(by_csa.setdefault(str(User.objects.get(pk=m.authority.csa_id)), {"notes": 0, "stages": []}))
        if m.organiser.provider_id:
            name = str(Provider.objects.get(pk=m.organiser.provider_id))
            groups.append(by_provider.setdefault(name, {"notes": 0, "stages": []}))
        for g in groups:
            g["notes"] += 1
            g["stages"] += list(outcomes.items())
        stage, due = note.current_stage
        if due and due < today and stage in ("draft", "final"):
            overdue.append((m.title, stage, due, due_label(due, today, calendar)))

    def figures(g):
        out = {}
        for stage in ("draft", "response", "final"):
            mine = [o for s, o in g["stages"] if s == stage]
            taken = sorted(o[1] for o in mine)
            median = "—" if not taken else f"{(taken[(len(taken) - 1) // 2] + taken[len(taken) // 2]) / 2:g}"
            out[stage] = (
                sum(o[3] == "on time" for o in mine),
                sum(o[3] == "on time with an agreed extension" for o in mine),
                sum(o[3] == "late" for o in mine),
                sum(o[2] for o in mine),
                taken,
                median,
            )
        return out

    groups = {
        "total": [("All notes", total["notes"], figures(total))],
        "by_csa": [(label, g["notes"], figures(g)) for label, g in sorted(by_csa.items())],
        "by_provider": [(label, g["notes"], figures(g)) for label, g in sorted(by_provider.items())],
    }
    return groups, overdue, outcomes_by_title


def _groups(figures):
    return {
        "total": [(figures["total"].label, figures["total"].notes, _figures(figures["total"]))],
        "by_csa": [(g.label, g.notes, _figures(g)) for g in figures["by_csa"]],
        "by_provider": [(g.label, g.notes, _figures(g)) for g in figures["by_provider"]],
    }


SCOPES = [("national", None), ("national", "ne"), ("national", "yh"), ("go_director", None), ("provider", None)]


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_figures_are_those_of_the_notes_outcomes(world, notes, who, region):
    user, region = getattr(world, who), region and getattr(world, region)
    figures = compliance(user, region, TODAY)
    groups, overdue, _ = reference(user, region)
    assert _groups(figures) == groups
    assert [(n.meeting.title, n.stage, n.due, n.due_label) for n in figures["overdue"]] == overdue
    assert len(figures["overdue"]) == len(overdue)


def test_the_fixture_reaches_every_outcome(world, notes):
    groups, overdue, outcomes = reference(world.national, None)
    (_, notes_count, stages) = groups["total"][0]
    assert notes_count == 15
    draft, response, final = stages["draft"], stages["response"], stages["final"]
    assert draft[:4] == (8, 1, 3, 8)  # on time, with an agreed extension, late, working days of extension
    assert response[:4] == (4, 1, 3, 2)
    assert final[:4] == (3, 1, 2, 2)
    assert outcomes["On time"]["draft"] == (True, 5, 0, "on time")  # 9 days, less Easter and a weekend
    assert outcomes["On time"]["final"] == (True, 1, 0, "on time")  # 14 to 16 April, less the closure
    assert outcomes["After midnight"]["draft"][3] == "late"
    assert [title for title, *_ in overdue] == ["No comments", "Final overdue", "Draft overdue"]
    assert [label for label, *_ in groups["by_csa"]] == ["Casey Other", "Chris Adviser"]
    assert [label for label, *_ in groups["by_provider"]] == ["Together for Children"]


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_page_shows_the_reference_figures(world, notes, client, who, region):
    user, region = getattr(world, who), region and getattr(world, region)
    client.force_login(user)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("meetings.queries.london_date", lambda *a: TODAY)
        response = client.get(reverse("meetings:compliance"), {"region": region.slug} if region else {})
    groups, overdue, _ = reference(user, region)
    sections = dict(response.context["sections"])
    assert [(g.label, g.notes, _figures(g)) for g in sections["All notes"]] == groups["total"]
    assert [(g.label, g.notes, _figures(g)) for g in sections["By Children's Services Adviser"]] == groups["by_csa"]
    assert [(g.label, g.notes, _figures(g)) for g in sections["By provider"]] == groups["by_provider"]
    assert [(n.meeting.title, n.stage, n.due, n.due_label) for n in response.context["overdue"]] == overdue


def _csv_outcomes(row, stage):
    if not row[f"{stage}_outcome"]:
        return None
    return row[f"{stage}_outcome"], int(row[f"{stage}_extension_working_days"])


@pytest.mark.parametrize(("who", "region"), SCOPES)
def test_the_csv_has_the_notes_outcomes(world, notes, client, who, region):
    user, region = getattr(world, who), region and getattr(world, region)
    client.force_login(user)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("meetings.queries.london_date", lambda *a: TODAY)
        response = client.get(reverse("meetings:compliance_csv"), {"region": region.slug} if region else {})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    _, overdue, outcomes = reference(user, region)
    assert [r["meeting"] for r in rows] == list(outcomes)
    for r in rows:
        expected = outcomes[r["meeting"]]
        for stage in ("draft", "response", "final"):
            assert _csv_outcomes(r, stage) == ((expected[stage][3], expected[stage][2]) if stage in expected else None)
        assert r["draft_working_days"] == (str(expected["draft"][1]) if "draft" in expected else "")
        assert r["final_working_days"] == (str(expected["final"][1]) if "final" in expected else "")
        assert (r["overdue_now"] == "yes") == (r["meeting"] in {title for title, *_ in overdue})


def test_the_page_takes_the_same_queries_however_many_notes(world, notes, client):
    client.force_login(world.national)

    def count(name, **params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name), params).status_code == 200
        return len(captured)

    names = ("meetings:compliance", "meetings:compliance_csv")
    few = {name: count(name) for name in names}
    for batch in range(3):
        build_notes(world, tag=f" {batch}")
    assert MeetingNote.objects.count() == 60
    assert {name: count(name) for name in names} == few
    assert count("meetings:compliance", page=2) == few["meetings:compliance"]


def test_a_date_long_before_the_due_dates_is_counted(world, notes):
    """A meeting held a year before its note's due dates (outside the window the figures first count
    with): the figures are counted again over every date, and still match."""
    MeetingNoteFactory(
        meeting=meeting_for(world, title="Held long ago", status=Meeting.Status.HELD, held_on=date(2025, 4, 7)),
        status=S.DRAFT_CIRCULATED,
        draft_due=date(2026, 4, 9),
        draft_circulated_at=at(date(2026, 4, 8)),
        response_due=date(2026, 6, 1),
    )
    figures = compliance(world.national, None, TODAY)
    groups, _, outcomes = reference(world.national, None)
    assert _groups(figures) == groups
    assert outcomes["Held long ago"]["draft"][1] > 250
    assert max(figures["total"].stages["draft"].taken) == outcomes["Held long ago"]["draft"][1]
