"""Compliance figures on a hand-counted fixture, and the CSV export."""

import csv
import io
import random
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.working_days import LONDON, add_working_days, working_days_between
from meetings.models import DeadlineExtension, Meeting, MeetingNote, NonWorkingDay
from meetings.queries import Group, compliance, compliance_notes, due_label
from tests.meetings.factories import MeetingNoteFactory, meeting_for

pytestmark = pytest.mark.django_db
S = MeetingNote.Status
HELD = date(2026, 3, 2)  # a Monday


def at(d):
    return datetime(d.year, d.month, d.day, 12, 0, tzinfo=LONDON)


@pytest.fixture
def notes(world):
    def held(**kwargs):
        return meeting_for(world, status=Meeting.Status.HELD, held_on=HELD, **kwargs)

    a = MeetingNoteFactory(  # every stage on time: 4, 2 and 5 working days
        meeting=held(title="A"),
        status=S.FINAL_SENT,
        draft_due=date(2026, 3, 9),
        draft_circulated_at=at(date(2026, 3, 6)),
        response_due=date(2026, 3, 13),
        comments_received_at=at(date(2026, 3, 10)),
        final_due=date(2026, 3, 17),
        final_sent_at=at(date(2026, 3, 17)),
    )
    b = MeetingNoteFactory(  # draft late (7 working days), no comments (5), final overdue now
        meeting=held(title="B"),
        status=S.NO_COMMENTS,
        draft_due=date(2026, 3, 9),
        draft_circulated_at=at(date(2026, 3, 11)),
        response_due=date(2026, 3, 18),
        final_due=date(2026, 3, 25),
    )
    c = MeetingNoteFactory(meeting=held(title="C", organiser=world.provider), draft_due=date(2026, 3, 9))
    MeetingNoteFactory(
        meeting=meeting_for(
            world, authority=world.leeds, organiser=world.csa_other, title="Leeds", status="held", held_on=HELD
        ),
        draft_due=date(2026, 3, 9),
    )
    return a, b, c


def test_region_figures(world, notes):
    a, b, c = notes
    figures = compliance(world.csa)
    total = figures["total"]
    assert total.notes == 3
    draft, response, final = (total.stages[s] for s in ("draft", "response", "final"))
    assert (draft.on_time, draft.late, draft.median) == (1, 1, 5.5)
    assert (response.on_time, response.late, response.median) == (1, 1, 3.5)
    assert (final.on_time, final.late, final.median) == (1, 0, 5)
    assert {n.meeting.title for n in figures["overdue"]} == {"B", "C"}
    assert [(g.label, g.notes) for g in figures["by_csa"]] == [("Chris Adviser", 3)]
    assert [(g.label, g.notes) for g in figures["by_provider"]] == [("Together for Children", 1)]


def test_other_scopes(world, notes):
    assert compliance(world.csa_other)["total"].notes == 1
    assert compliance(world.provider)["total"].notes == 1
    assert compliance(world.provider_other)["total"].notes == 0
    assert compliance(world.national)["total"].notes == 4
    assert compliance(world.national, region=world.yh)["total"].notes == 1


def test_compliance_page_and_csv(world, notes, client):
    client.force_login(world.go_director)
    page = client.get(reverse("meetings:compliance")).content.decode()
    assert "Overdue now" in page
    assert "5.5" in page
    response = client.get(reverse("meetings:compliance_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {r["meeting"]: r for r in rows}
    assert set(by_title) == {"A", "B", "C"}
    assert by_title["A"]["draft_on_time"] == "yes"
    assert by_title["A"]["final_working_days"] == "5"
    assert by_title["B"]["draft_on_time"] == "no"
    assert by_title["B"]["draft_working_days"] == "7"
    assert by_title["B"]["response_on_time"] == "no"
    assert by_title["B"]["overdue_now"] == "yes"
    assert by_title["C"]["overdue_now"] == "yes"
    assert by_title["C"]["draft_circulated_on"] == ""
    client.force_login(world.dcs)
    assert client.get(reverse("meetings:compliance")).status_code == 403
    assert client.get(reverse("meetings:compliance_csv")).status_code == 403


# --- the figures as they were computed before they were read as rows (a reference) ------------------


class _Counting:
    """A calendar that counts every interval afresh with ``working_days_between``."""

    def between(self, start, end):
        return working_days_between(start, end)


def _reference_outcomes(note, calendar):
    agreed = [e for e in note.extensions.all() if e.status == DeadlineExtension.Status.AGREED]

    def outcome(stage, met, due, taken):
        mine = [e for e in agreed if e.stage == stage]
        days = sum(e.working_days for e in mine)
        if met > due:
            return (False, taken, days, "late")
        if mine and met > min(e.old_due for e in mine):
            return (True, taken, days, "on time with an agreed extension")
        return (True, taken, days, "on time")

    out = {}
    m = note.meeting
    if note.draft_circulated_at and m.held_on:
        c = note.draft_circulated_at.astimezone(LONDON).date()
        out["draft"] = outcome("draft", c, note.draft_due, calendar.between(m.held_on, c))
    if note.draft_circulated_at and note.response_due:
        c = note.draft_circulated_at.astimezone(LONDON).date()
        if note.comments_received_at:
            r = note.comments_received_at.astimezone(LONDON).date()
            out["response"] = outcome("response", r, note.response_due, calendar.between(c, r))
        elif note.status in (S.NO_COMMENTS, S.FINAL_SENT):
            days = sum(e.working_days for e in agreed if e.stage == "response")
            out["response"] = (False, calendar.between(c, note.response_due), days, "late")
    if note.final_sent_at and note.final_due:
        start = note.comments_received_at.astimezone(LONDON).date() if note.comments_received_at else note.response_due
        f = note.final_sent_at.astimezone(LONDON).date()
        out["final"] = outcome("final", f, note.final_due, calendar.between(start, f))
    return out


def _reference_compliance(user, region, today):
    """The page's figures computed note by note from model instances, as the first version did."""
    calendar = _Counting()
    notes = list(
        compliance_notes(user, region)
        .select_related("meeting__authority__csa", "meeting__organiser__provider", "meeting", "author")
        .prefetch_related("extensions")
    )
    total, by_csa, by_provider, overdue, rows = Group("All notes"), {}, {}, [], []
    for note in notes:
        m = note.meeting
        outcomes = _reference_outcomes(note, calendar)
        groups = [total]
        csa = m.authority.csa if m.authority_id and m.authority.csa_id else None
        if csa:
            groups.append(by_csa.setdefault(csa.pk, Group(str(csa))))
        provider = m.organiser.provider if m.organiser.provider_id else None
        if provider:
            groups.append(by_provider.setdefault(provider.pk, Group(str(provider))))
        for g in groups:
            g.notes += 1
            for stage, (on_time, taken, days, outcome) in outcomes.items():
                figures = g.stages[stage]
                if not on_time:
                    figures.late += 1
                elif outcome == "on time":
                    figures.on_time += 1
                else:
                    figures.extended += 1
                figures.extension_days += days
                figures.taken.append(taken)
        stage, due = note.current_stage
        is_overdue = bool(due and due < today and stage in ("draft", "final"))
        if is_overdue:
            overdue.append((note.pk, stage, due, due_label(due, today, calendar)))
        rows.append((note.pk, outcomes, is_overdue))
    return {
        "total": total,
        "by_csa": sorted(by_csa.values(), key=lambda g: g.label),
        "by_provider": sorted(by_provider.values(), key=lambda g: g.label),
        "overdue": overdue,
        "rows": rows,
    }


def _stages(group):
    """Each stage's figures, its working days taken as a sorted list (the figures keep no note order)."""
    return [(s, {**vars(st), "taken": sorted(st.taken)}) for s, st in group.stages.items()]


def _groups(figures):
    return [(key, g.label, g.notes, _stages(g)) for key in ("by_csa", "by_provider") for g in figures[key]] + [
        ("total", figures["total"].notes, _stages(figures["total"]))
    ]


def _near_midnight(rng, d):
    """Noon, or just either side of midnight in London (a different UTC date half the time)."""
    hour, minute = rng.choice([(12, 0), (0, 30), (23, 45), (0, 5)])
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def varied(world):
    """120 notes in every state over Easter and the early May bank holiday 2026, with office closures,
    notes of authority meetings, forum meetings and provider clinics, some with no held date."""
    rng = random.Random(31)
    for closed in (date(2026, 4, 8), date(2026, 4, 21), date(2026, 5, 13)):
        NonWorkingDay.objects.create(date=closed, reason="Office closure")
    organisers = [world.csa, world.csa_other, world.provider, world.provider_other, world.go_director]
    places = [{"authority": world.newcastle}, {"authority": world.leeds}, {"authority": None, "forum": world.forum}]
    for i in range(120):
        held = date(2026, 3, 23) + timedelta(days=rng.randrange(60))
        status = rng.choice(list(S))
        meeting = meeting_for(
            world,
            organiser=rng.choice(organisers),
            title=f"Meeting {i}",
            status=Meeting.Status.HELD,
            held_on=None if i % 17 == 0 else held,
            **rng.choice(places),
        )
        note = {"meeting": meeting, "status": status, "draft_due": add_working_days(held, 5)}
        extended = i % 4 == 1 and status != S.AWAITING_DRAFT
        if extended:  # an agreed extension of the draft by 1 to 4 working days
            days = rng.randrange(1, 5)
            original, note["draft_due"] = note["draft_due"], add_working_days(note["draft_due"], days)
        if status != S.AWAITING_DRAFT:
            circulated = held + timedelta(days=rng.randrange(14))
            note |= {
                "draft_circulated_at": _near_midnight(rng, circulated),
                "response_due": None if i % 23 == 0 else add_working_days(circulated, 5),
            }
            if status in (S.COMMENTS_RECEIVED, S.FINAL_SENT) and rng.random() < 0.8:
                note["comments_received_at"] = _near_midnight(rng, circulated + timedelta(days=rng.randrange(12)))
            if status in (S.COMMENTS_RECEIVED, S.NO_COMMENTS, S.FINAL_SENT):
                start = note.get("comments_received_at")
                start = start.astimezone(LONDON).date() if start else note["response_due"] or circulated
                note["final_due"] = add_working_days(start, 5)
            if status == S.FINAL_SENT:
                note["final_sent_at"] = _near_midnight(rng, note["final_due"] + timedelta(days=rng.randrange(-6, 9)))
        made = MeetingNoteFactory(**note)
        if extended:
            DeadlineExtension.objects.create(
                note=made,
                stage="draft",
                old_due=original,
                new_due=made.draft_due,
                working_days=days,
                reason="The adviser was ill",
                side="author",
                requested_by=world.csa,
                status=DeadlineExtension.Status.AGREED,
                agreed_by=world.dcs,
            )


@pytest.mark.parametrize("who", ["national", "csa", "csa_other", "go_director", "provider", "admin"])
def test_the_figures_match_the_note_by_note_reference(world, varied, who):
    user = getattr(world, who)
    today = date(2026, 5, 20)
    for region in [None, world.ne, world.yh] if who == "national" else [None]:
        figures = compliance(user, region, today, rows=True)
        reference = _reference_compliance(user, region, today)
        assert figures["total"].notes > 0
        assert _groups(figures) == _groups(reference)
        assert [(n.pk, n.stage, n.due, n.due_label) for n in figures["overdue"]] == reference["overdue"]
        assert [(n.pk, outcomes, overdue) for n, outcomes, overdue in figures["rows"]] == reference["rows"]
    # The dataset reaches every branch: each stage finished on time and late, groups of both kinds.
    stages = compliance(world.national, today=today)["total"].stages
    assert all(st.on_time and st.late for st in stages.values())
    assert stages["draft"].extended
    assert stages["draft"].extension_days > stages["draft"].extended
    assert compliance(world.national, today=today)["by_provider"]


def _overdue_notes(world, count, start=0):
    for i in range(start, start + count):
        MeetingNoteFactory(
            meeting=meeting_for(world, title=f"Late {i:03}", status=Meeting.Status.HELD, held_on=HELD),
            draft_due=date(2026, 3, 9),
        )


def test_the_overdue_list_is_paginated_with_its_count_and_the_csv_has_them_all(world, client):
    _overdue_notes(world, 60)
    client.force_login(world.national)
    url = reverse("meetings:compliance")
    first = client.get(url).content.decode()
    assert "60 notes overdue: 1 to 50 shown" in first
    assert first.count("Draft note</td>") == 50
    assert "Late 049" in first
    assert "Late 050" not in first
    second = client.get(url, {"page": 2, "region": world.ne.slug}).content.decode()
    assert "51 to 60 shown" in second
    assert second.count("Draft note</td>") == 10
    assert "Late 050" in second
    assert f"region={world.ne.slug}&amp;page=1" in second  # the region is kept
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("meetings:compliance_csv")).content.decode())))
    assert len(rows) == 60
    assert all(r["overdue_now"] == "yes" for r in rows)


def test_the_page_and_csv_take_the_same_queries_however_many_notes(world, notes, client):
    client.force_login(world.national)

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    few = {name: queries(name) for name in ("meetings:compliance", "meetings:compliance_csv")}
    _overdue_notes(world, 80)
    assert {name: queries(name) for name in few} == few
