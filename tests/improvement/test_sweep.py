"""The peer challenge deadline sweep: lapsed response windows, reminders once each to the right
people, and a fixed number of queries however many challenges."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail, Role
from authorities.models import LocalAuthority
from core.working_days import LONDON
from improvement import tasks
from improvement.models import ChallengeReminder, PeerChallenge
from improvement.services import sweep_challenge_deadlines
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory
from tests.improvement import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminders_as_they_happen")]

TODAY = date(2026, 12, 2)  # a Wednesday
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=LONDON)
S = PeerChallenge.Status


@pytest.fixture
def lead(world):
    return f.make_lead(world.admin)


def challenge(world, lead, status, authority=None, year=f.YEAR, **dates):
    sa = f.self_assessment(authority or world.newcastle, shared=True, year=year)
    return f.challenge(sa, lead, status=status, **dates)


def reminders(c):
    return set(ChallengeReminder.objects.filter(peer_challenge=c).values_list("stage", "kind", "recipient__email"))


def test_reminders_and_lapse(world, lead):
    tomorrow = challenge(world, lead, S.FINDINGS_SENT, response_due=date(2026, 12, 3))
    today = challenge(world, lead, S.FINDINGS_SENT, authority=world.gateshead, response_due=TODAY)
    gateshead_officer = UserFactory(email="o@gateshead.example.gov.uk", role=Role.LA_OFFICER, authority=world.gateshead)
    lapsed = challenge(world, lead, S.FINDINGS_SENT, authority=world.leeds, response_due=date(2026, 12, 1))
    letter_late = challenge(
        world,
        lead,
        S.RESPONDED,
        authority=LocalAuthorityFactory(name="Durham", region=world.ne),
        response_due=date(2026, 11, 20),
        letter_due=date(2026, 11, 27),
    )
    later = challenge(
        world,
        lead,
        S.FINDINGS_SENT,
        authority=LocalAuthorityFactory(name="Sunderland", region=world.ne),
        response_due=date(2026, 12, 9),
    )

    result = sweep_challenge_deadlines(now=NOW)

    assert reminders(tomorrow) == {("response", "due_tomorrow", world.dcs.email)}
    # Gateshead has no DCS: its officers are reminded.
    assert reminders(today) == {("response", "due_today", gateshead_officer.email)}
    lapsed.refresh_from_db()
    assert lapsed.status == S.NO_RESPONSE
    assert lapsed.letter_due == date(2026, 12, 8)
    assert reminders(lapsed) == set()  # the letter is due in 4 working days: nothing yet
    assert reminders(letter_late) == {("letter", "overdue", world.admin.email)}
    assert reminders(later) == set()
    assert result == {"lapsed": 1, "reminders": 3}
    assert OutboundEmail.objects.filter(key=f"challenge-lapsed:{lapsed.pk}", recipient=world.admin.email).exists()
    subjects = set(OutboundEmail.objects.filter(key__startswith="challenge-reminder").values_list("subject", flat=True))
    assert (
        "The authority's response to the findings is due in 1 working day: peer challenge of Newcastle upon Tyne"
        in subjects
    )
    assert lapsed.history.first().history_change_reason == "No response to the findings by the due date"

    emails = OutboundEmail.objects.count()
    assert sweep_challenge_deadlines(now=NOW) == {"lapsed": 0, "reminders": 0}
    assert OutboundEmail.objects.count() == emails


def test_the_next_day_sends_the_next_reminder(world, lead):
    c = challenge(world, lead, S.FINDINGS_SENT, response_due=date(2026, 12, 3))
    sweep_challenge_deadlines(now=NOW)
    sweep_challenge_deadlines(now=datetime(2026, 12, 3, 9, 0, tzinfo=LONDON))
    assert reminders(c) == {("response", "due_tomorrow", world.dcs.email), ("response", "due_today", world.dcs.email)}
    # Friday: the window closed on Thursday; the letter is due 5 working days after it.
    sweep_challenge_deadlines(now=datetime(2026, 12, 4, 9, 0, tzinfo=LONDON))
    c.refresh_from_db()
    assert c.status == S.NO_RESPONSE
    assert c.letter_due == date(2026, 12, 10)


def test_the_sweep_is_a_fixed_number_of_queries(world, lead):
    made = []

    def make(n):
        for i in range(len(made), len(made) + n):
            made.append(i)
            authority = LocalAuthority.objects.create(
                name=f"Authority {i}", gss_code=f"E09{i:06d}", region=world.ne, la_type="unitary"
            )
            f.dcs_of(authority)
            challenge(world, lead, S.FINDINGS_SENT, authority=authority, response_due=date(2026, 12, 1))
            challenge(world, lead, S.FINDINGS_SENT, authority=authority, year="2025-26", response_due=TODAY)

    make(2)
    with CaptureQueriesContext(connection) as few:
        sweep_challenge_deadlines(now=NOW)
    make(8)
    with CaptureQueriesContext(connection) as many:
        sweep_challenge_deadlines(now=NOW)
    assert len(many) == len(few)


def test_the_task_runs_the_sweep(world, lead):
    challenge(world, lead, S.FINDINGS_SENT, response_due=date(2000, 1, 4))
    result = tasks.sweep_challenge_deadlines.apply().get()
    assert result["lapsed"] == 1
