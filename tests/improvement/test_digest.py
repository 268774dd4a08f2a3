"""Peer challenges in the daily digest: people who chose the digest (the default) are not emailed by
the sweep; the digest lists the response to the findings and the letter, each with its due date."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail
from core.digest import DUE, OVERDUE, WAITING
from core.working_days import LONDON
from improvement.models import ChallengeReminder, PeerChallenge
from improvement.queries import digest_items
from improvement.services import sweep_challenge_deadlines
from tests.authorities.factories import LocalAuthorityFactory
from tests.improvement import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # a Wednesday
S = PeerChallenge.Status


def challenge(world, lead, status, authority, **dates):
    return f.challenge(f.self_assessment(authority, shared=True, year=f.YEAR), lead, status=status, **dates)


def test_the_sweep_leaves_digest_readers_to_their_digest_which_lists_each_challenge(world):
    lead = f.make_lead(world.admin)
    response = challenge(world, lead, S.FINDINGS_SENT, world.newcastle, response_due=date(2026, 12, 3))
    later = challenge(world, lead, S.FINDINGS_SENT, world.leeds, response_due=date(2026, 12, 9))
    durham = LocalAuthorityFactory(name="Durham", region=world.ne)
    letter = challenge(world, lead, S.RESPONDED, durham, response_due=date(2026, 11, 20), letter_due=date(2026, 11, 27))

    sweep_challenge_deadlines(now=datetime(2026, 12, 2, 9, 0, tzinfo=LONDON))

    assert not ChallengeReminder.objects.exists()
    assert not OutboundEmail.objects.filter(key__startswith="challenge-reminder").exists()

    users = {u.pk: u for u in (world.dcs, world.dcs_other, world.admin, world.csa)}
    with CaptureQueriesContext(connection) as queries:
        items = digest_items(users, TODAY)
    assert len(queries) <= 3
    got = {(i.user_id, i.title, i.state, i.due) for i in items}
    assert got == {
        (world.dcs.pk, "Respond to the peer challenge findings", DUE, date(2026, 12, 3)),
        (world.dcs_other.pk, "Respond to the peer challenge findings", WAITING, date(2026, 12, 9)),
        (world.admin.pk, "Send the peer challenge letter to Durham", OVERDUE, date(2026, 11, 27)),
    }
    by_title = {i.title: i for i in items}
    assert by_title["Respond to the peer challenge findings"].group in {"Newcastle upon Tyne", "Leeds"}
    assert f"/peer-challenges/{letter.pk}/" in by_title["Send the peer challenge letter to Durham"].link
    assert {response.pk, later.pk} <= {int(i.link.rstrip("/").split("/")[-2]) for i in items if "respond" in i.link}


def test_the_digest_leaves_out_people_not_asked_for(world):
    lead = f.make_lead(world.admin)
    challenge(world, lead, S.FINDINGS_SENT, world.newcastle, response_due=date(2026, 12, 3))
    assert digest_items({world.csa.pk: world.csa}, TODAY) == []
