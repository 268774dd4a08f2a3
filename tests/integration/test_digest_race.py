"""Two digest runs racing (two workers, or a retry while the first is still going): each person gets
one digest and one email. Real threads, each with its own database connection, meet at a barrier
once both have read what is waiting, so both try to claim the same people at the same moment. On
PostgreSQL the two transactions really overlap (the second waits on the unique index, then skips);
on SQLite the database serialises them."""

import threading
from datetime import date, datetime

import pytest
from django.db import connection

from accounts.models import OutboundEmail
from core import digest as core_digest
from core.working_days import LONDON
from meetings.digest import send_digests
from meetings.models import Digest, Meeting
from tests.conftest import build_world
from tests.meetings.factories import MeetingNoteFactory, meeting_for

SEVEN = datetime(2026, 6, 9, 7, 0, tzinfo=LONDON)


@pytest.mark.django_db(transaction=True)
def test_two_runs_racing_send_one_digest_per_person(monkeypatch):
    world = build_world()
    for n in range(6):
        meeting = meeting_for(world, title=f"KIT {n}", status=Meeting.Status.HELD, held_on=date(2026, 6, 1))
        MeetingNoteFactory(meeting=meeting, draft_due=date(2026, 6, 8 + n))
    meeting = meeting_for(
        world, authority=world.leeds, organiser=world.csa_other, status="held", held_on=date(2026, 6, 1)
    )
    MeetingNoteFactory(meeting=meeting, draft_due=date(2026, 6, 10))

    both_read = threading.Barrier(2, timeout=30)
    collect = core_digest.collect

    def collect_then_wait(users, today):
        found = collect(users, today)
        both_read.wait()  # neither claims anyone before the other has read the same people
        return found

    monkeypatch.setattr(core_digest, "collect", collect_then_wait)
    results, errors = [], []

    def run():
        try:
            results.append(send_digests(now=SEVEN))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(results) == [0, 2]  # the CSAs of Newcastle and Leeds: one run sent both, the other none
    assert Digest.objects.filter(day=date(2026, 6, 9)).count() == 2
    sent = OutboundEmail.objects.filter(key__startswith="digest:2026-06-09:")
    assert sorted(sent.values_list("recipient", flat=True)) == sorted([world.csa.email, world.csa_other.email])
    assert len(set(Digest.objects.values_list("claim", flat=True))) == 1
