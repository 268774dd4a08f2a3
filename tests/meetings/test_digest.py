"""The daily digest: one email a day per person who chose it (the default), at 07:00 Europe/London
on working days, listing everything due, overdue or waiting on them, grouped by authority, each with
its link; reminders as they happen for those who chose that; escalations always immediate."""

from datetime import date, datetime

import pytest

from accounts.models import OutboundEmail, User
from core import digest as core_digest
from core.digest import DIGEST, IMMEDIATE, DigestItem
from core.working_days import LONDON
from jisp_portal.celery import app as celery_app
from meetings import services, tasks
from meetings.digest import send_digests, set_reminder_emails
from meetings.extensions import request_extension
from meetings.models import Digest, Meeting, MeetingNote, Reminder
from plans.models import JISP, Offer
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 9)  # a Tuesday
SEVEN = datetime(2026, 6, 9, 7, 0, tzinfo=LONDON)
S = MeetingNote.Status


def held(world, title, **kwargs):
    return meeting_for(world, title=title, status=Meeting.Status.HELD, held_on=date(2026, 6, 1), **kwargs)


@pytest.fixture
def waiting(world):
    """Something waiting on the CSA, the DCS, the officer and the provider's adviser."""
    overdue = MeetingNoteFactory(meeting=held(world, "KIT in May"), draft_due=date(2026, 6, 8))
    MeetingNoteFactory(
        meeting=held(world, "Visit to schools"),
        status=S.DRAFT_CIRCULATED,
        draft_due=date(2026, 6, 8),
        draft_circulated_at=datetime(2026, 6, 3, 12, 0, tzinfo=LONDON),
        response_due=date(2026, 6, 10),
        officer_concerned=world.la_officer,
    )
    leeds = MeetingNoteFactory(
        meeting=meeting_for(
            world, authority=world.leeds, organiser=world.csa, title="Leeds visit", status="held", held_on=DAY
        ),
        draft_due=date(2026, 6, 16),
    )
    request_extension(actor=world.csa, note=leeds, new_due=date(2026, 6, 18), reason="Ill", on=DAY)
    jisp = JISPFactory(authority=world.newcastle, period="2026-27", status=JISP.Status.DRAFT, csa=world.csa)
    OfferFactory(
        priority=PriorityFactory(jisp=jisp, title="Teenage pregnancy"),
        provider=world.tfc,
        status=Offer.Status.INVITED,
        respond_by=date(2026, 6, 10),
    )
    OfferFactory(
        priority=PriorityFactory(jisp=jisp, title="Attainment"),
        provider=world.ns,
        status=Offer.Status.SUBMITTED,
    )
    return overdue


def digest_of(user):
    return OutboundEmail.objects.get(key=f"digest:{DAY:%Y-%m-%d}:{user.pk}")


def test_one_digest_each_with_everything_waiting_grouped_by_authority(world, waiting):
    assert send_digests(now=SEVEN) == 5
    csa = digest_of(world.csa)
    assert csa.subject == "Your JISP portal digest for Tuesday 9 June 2026: 1 overdue, 2 waiting"
    body = csa.body
    assert body.index("Leeds") < body.index("Newcastle upon Tyne")  # grouped, in name order
    assert "OVERDUE: Write and circulate the draft note of KIT in May (1 working day overdue" in body
    assert "Write and circulate the draft note of Leeds visit (due in 5 working days" in body
    assert "Accept or challenge National Strategies's offer for “Attainment”" in body
    assert f"/meetings/{waiting.meeting.pk}/" in body
    assert "/plans/offers/" in body
    dcs = digest_of(world.dcs).body
    assert "DUE: Submit the authority's response to the draft note of Visit to schools (due in 1 working day" in dcs
    officer = digest_of(world.la_officer).body
    assert "Visit to schools" in officer
    assert "Answer the invitation for “Teenage pregnancy”" in digest_of(world.provider).body
    assert "extend the draft note of Leeds visit to 18 June 2026" in digest_of(world.dcs_other).body
    assert Digest.objects.filter(day=DAY).count() == 5
    assert not OutboundEmail.objects.filter(recipient=world.go_director.email).exists()  # nothing waits on them


def test_a_second_run_sends_nothing(world, waiting):
    assert send_digests(now=SEVEN) == 5
    emails = OutboundEmail.objects.count()
    assert send_digests(now=SEVEN) == 0
    assert send_digests(now=datetime(2026, 6, 9, 15, 0, tzinfo=LONDON)) == 0
    assert OutboundEmail.objects.count() == emails
    assert send_digests(now=datetime(2026, 6, 10, 7, 0, tzinfo=LONDON)) == 5  # the next day has its own


def test_nothing_on_days_that_are_not_working_days(world, waiting):
    assert send_digests(now=datetime(2026, 6, 13, 7, 0, tzinfo=LONDON)) == 0  # a Saturday
    assert send_digests(now=datetime(2026, 5, 25, 7, 0, tzinfo=LONDON)) == 0  # Spring bank holiday
    assert not Digest.objects.exists()


def test_people_who_want_each_reminder_get_no_digest(world, waiting):
    set_reminder_emails(actor=world.csa, choice=IMMEDIATE)
    assert User.objects.get(pk=world.csa.pk).reminder_emails == IMMEDIATE
    assert send_digests(now=SEVEN) == 4
    assert not OutboundEmail.objects.filter(key__startswith="digest:", recipient=world.csa.email).exists()
    with pytest.raises(Exception, match="Select how"):
        set_reminder_emails(actor=world.csa, choice="weekly")


def test_the_sweep_leaves_reminders_to_the_digest_but_escalates_at_once(world, waiting):
    assert world.csa.reminder_emails == DIGEST
    assert world.go_director.reminder_emails == DIGEST
    services.sweep_deadlines(now=datetime(2026, 6, 9, 9, 0, tzinfo=LONDON))
    assert set(Reminder.objects.values_list("kind", "recipient__email")) == {("escalation", world.go_director.email)}
    assert OutboundEmail.objects.filter(key__startswith="note-reminder:", recipient=world.go_director.email).exists()
    assert (
        not OutboundEmail.objects.filter(key__startswith="note-reminder:")
        .exclude(recipient=world.go_director.email)
        .exists()
    )
    set_reminder_emails(actor=world.csa, choice=IMMEDIATE)
    services.sweep_deadlines(now=datetime(2026, 6, 9, 9, 15, tzinfo=LONDON))
    assert Reminder.objects.filter(recipient=world.csa, kind="overdue").exists()


def test_offer_reminders_follow_the_preference(world, waiting):
    from plans.services.offers import sweep_offer_reminders

    assert sweep_offer_reminders(datetime(2026, 6, 9, 9, 5, tzinfo=LONDON)) == 0
    set_reminder_emails(actor=world.provider, choice=IMMEDIATE)
    assert sweep_offer_reminders(datetime(2026, 6, 9, 10, 5, tzinfo=LONDON)) == 1


def test_sources_are_a_registry_and_a_missing_one_is_skipped(world, monkeypatch):
    monkeypatch.setattr(core_digest, "DIGEST_SOURCES", ("meetings", "no_such_app", "plans"))
    assert core_digest.collect({world.csa.pk: world.csa}, DAY) == {}
    item = DigestItem(user_id=world.csa.pk, group="", kind="X", title="Something else", state="waiting", link="/")
    assert core_digest.grouped([item]) == [("", [item])]


def test_the_task_runs_at_seven_in_london_on_working_days(world, waiting, monkeypatch):
    entry = celery_app.conf.beat_schedule["send-daily-digests"]
    assert entry["task"] == "meetings.tasks.send_digests"
    assert entry["schedule"].hour == {7}
    assert entry["schedule"].minute == {0}
    assert celery_app.conf.timezone == "Europe/London"
    monkeypatch.setattr("meetings.digest.timezone.now", lambda: SEVEN)
    assert tasks.send_digests.delay().get() == 5
    assert tasks.send_digests.acks_late
