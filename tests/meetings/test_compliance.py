"""Compliance figures on a hand-counted fixture, and the CSV export."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting, MeetingNote
from meetings.queries import compliance
from meetings.working_days import LONDON
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
    assert "Overdue now" in page and "5.5" in page
    response = client.get(reverse("meetings:compliance_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_title = {r["meeting"]: r for r in rows}
    assert set(by_title) == {"A", "B", "C"}
    assert by_title["A"]["draft_on_time"] == "yes" and by_title["A"]["final_working_days"] == "5"
    assert by_title["B"]["draft_on_time"] == "no" and by_title["B"]["draft_working_days"] == "7"
    assert by_title["B"]["response_on_time"] == "no" and by_title["B"]["overdue_now"] == "yes"
    assert by_title["C"]["overdue_now"] == "yes" and by_title["C"]["draft_circulated_on"] == ""
    client.force_login(world.dcs)
    assert client.get(reverse("meetings:compliance")).status_code == 403
    assert client.get(reverse("meetings:compliance_csv")).status_code == 403
