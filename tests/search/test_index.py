"""The index follows what the services write, once each object per transaction, after it commits;
a rolled-back change leaves nothing; ``manage.py rebuild_search_index`` rewrites it."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from meetings import services as meetings
from meetings.models import MeetingNote
from plans.services import drafting
from search import index
from search.index import financial_year, rebuild
from search.models import SearchEntry
from search.queries import search
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.plans.factories import JISPFactory, PriorityFactory


def found(user, word, kind=None):
    return search(user, word, kinds=[kind] if kind else None).entries.exists()


@pytest.fixture
def note(world):
    return MeetingNoteFactory(meeting=meeting_for(world), author=world.csa, draft_due=date(2026, 3, 9))


def test_a_draft_saved_is_found_by_its_author_then_by_the_authority_once_circulated(
    world, note, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meetings.save_draft(
            actor=world.csa,
            note=note,
            draft="Caseloads in the referral team remain high",
            lock_version=note.lock_version,
            judgements=[("Leadership and governance", "good", "low")],
        )
    assert found(world.csa, "caseloads", "note")
    assert found(world.csa, "governance", "note")  # the judgements written after the note's save
    assert not found(world.dcs, "caseloads", "note")
    note.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.circulate_draft(actor=world.csa, note=note)
    assert found(world.dcs, "caseloads", "note")
    assert search(world.dcs, "caseloads").entries.get().status == MeetingNote.Status.DRAFT_CIRCULATED


def test_a_plan_is_reindexed_once_per_transaction_when_it_commits(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    plan = JISPFactory(authority=world.newcastle, csa=world.csa)
    calls = []
    real = index.reindex
    monkeypatch.setattr(index, "reindex", lambda kind, ids: calls.append((kind, sorted(ids))) or real(kind, ids))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        drafting.add_priority(actor=world.csa, jisp=plan, title="Early help for adolescents")
        drafting.add_good_practice(actor=world.csa, jisp=plan, area="Family group conferencing")
        assert not found(world.csa, "adolescents")  # not before the commit
    assert [c for c in calls if c[0] == "plan"] == [("plan", [plan.pk])]
    entry = search(world.csa, "adolescents").entries.get()
    assert (entry.kind, entry.object_id) == ("plan", plan.pk)
    assert found(world.csa, "conferencing", "plan")


def test_a_rolled_back_change_leaves_nothing_and_the_next_is_indexed(world, django_capture_on_commit_callbacks):
    plan = JISPFactory(authority=world.newcastle, csa=world.csa)

    def roll_back():
        with transaction.atomic():
            PriorityFactory(jisp=plan, title="Rolled back priority")
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        roll_back()
    assert not SearchEntry.objects.filter(title__contains="Rolled back").exists()
    assert not found(world.csa, "rolled")
    with django_capture_on_commit_callbacks(execute=True):
        PriorityFactory(jisp=plan, title="Kept priority")
    assert found(world.csa, "kept", "plan")


def test_a_deleted_object_loses_its_entries(world, django_capture_on_commit_callbacks):
    meeting = meeting_for(world, title="Annual conversation")
    rebuild()
    assert found(world.csa, "annual", "meeting")
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()
    assert not SearchEntry.objects.filter(kind="meeting", object_id=meeting.pk).exists()


def test_renaming_a_meeting_renames_its_note(world, note, django_capture_on_commit_callbacks):
    rebuild()
    meeting = note.meeting
    with django_capture_on_commit_callbacks(execute=True):
        meeting.title = "Termly review"
        meeting.save()
    assert SearchEntry.objects.get(kind="note", object_id=note.pk).title == "Note of Termly review"


def test_rebuild_command_writes_every_kind_and_reports_it(world, note):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Meeting notes: 1 entries" in out.getvalue()
    assert "Local authorities: 3 entries" in out.getvalue()
    assert "Search index rebuilt in" in out.getvalue()
    assert SearchEntry.objects.filter(kind="authority").count() == 3
    call_command("rebuild_search_index", "--kind", "provider", stdout=StringIO())
    assert SearchEntry.objects.filter(kind="authority").count() == 3


def test_rebuild_works_in_a_fixed_number_of_queries_per_batch(world):
    for n in range(3):
        meeting_for(world, title=f"Meeting {n}")
    with CaptureQueriesContext(connection) as few:
        rebuild(["meeting"])
    for n in range(30):
        meeting_for(world, title=f"Meeting {n + 3}")
    with CaptureQueriesContext(connection) as many:
        rebuild(["meeting"])
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("day", "period"),
    [(date(2010, 3, 31), "2009-10"), (date(2010, 4, 1), "2010-11"), (date(1999, 12, 1), "1999-00")],
)
def test_financial_year(day, period):
    assert financial_year(day) == period


def test_nothing_is_marked_while_suspended(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, index.suspended():
        meeting_for(world, title="Bulk loaded")
    assert callbacks == []
    assert not SearchEntry.objects.filter(kind="meeting").exists()
    with django_capture_on_commit_callbacks() as callbacks:
        meeting_for(world, title="Saved afterwards")
    assert callbacks
