"""Reminders to providers: 2 working days before the respond-by date (counted over real bank
holidays) and on the day, once each however often the sweep runs, in a constant number of queries."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail, Role
from core.working_days import LONDON
from plans.models import JISP, Offer
from plans.services.offers import sweep_offer_reminders
from plans.tasks import sweep_offer_reminders as sweep_task
from tests.accounts.factories import UserFactory
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory
from tests.providers.factories import ProviderFactory

O = Offer.Status  # noqa: E741
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminders_as_they_happen")]

#: The early May bank holiday 2025 is Monday 5 May: two working days before Tuesday 6 May is
#: Thursday 1 May (Friday 2 May is one).
RESPOND_BY = date(2025, 5, 6)


def at(d, hour=9):
    return datetime(d.year, d.month, d.day, hour, 5, tzinfo=LONDON)


def invited(world, provider=None, status=O.INVITED, respond_by=RESPOND_BY, plan_status=JISP.Status.DRAFT):
    jisp = JISP.objects.filter(authority=world.newcastle, period="2025-26").first() or JISPFactory(
        authority=world.newcastle, period="2025-26", status=plan_status, csa=world.csa
    )
    return OfferFactory(
        priority=PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy"),
        provider=provider or world.tfc,
        status=status,
        respond_by=respond_by,
    )


def reminders(to=None):
    qs = OutboundEmail.objects.filter(key__startswith="offer-reminder:")
    return qs.filter(recipient=to) if to else qs


def test_reminded_two_working_days_before_over_the_bank_holiday_then_on_the_day(world):
    offer = invited(world)
    second = UserFactory(email="second@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=world.tfc)
    assert sweep_offer_reminders(at(date(2025, 4, 30))) == 0  # Wednesday: 3 working days away
    assert sweep_offer_reminders(at(date(2025, 5, 1))) == 2  # Thursday: 2 working days (Monday is a holiday)
    mail = reminders(world.provider.email).get()
    assert mail.subject.startswith("Your answer to an invitation is due in 2 working days")
    assert "Tuesday 6 May 2025" in mail.body
    assert f"/plans/offers/{offer.pk}/" in mail.body
    assert reminders(second.email).count() == 1
    assert not reminders(world.provider_other.email).exists()
    assert sweep_offer_reminders(at(date(2025, 5, 1), 15)) == 0  # the hourly beat again: nothing twice
    assert sweep_offer_reminders(at(date(2025, 5, 2))) == 0  # Friday: the "soon" reminder was sent
    assert sweep_offer_reminders(at(date(2025, 5, 6))) == 2  # the day itself
    assert "is due today" in reminders(world.provider.email).get(key__endswith=":due_today").subject
    assert sweep_offer_reminders(at(date(2025, 5, 7))) == 0  # overdue: the CSA's dashboard shows it


def test_an_invitation_with_a_short_deadline_still_gets_its_reminder(world):
    invited(world)
    assert sweep_offer_reminders(at(date(2025, 5, 2))) == 1  # 1 working day away
    assert "is due in 1 working day" in reminders().get().subject


@pytest.mark.parametrize("status", [O.SUBMITTED, O.ACCEPTED, O.WITHDRAWN])
def test_no_reminder_once_answered(world, status):
    invited(world, status=status)
    assert sweep_offer_reminders(at(date(2025, 5, 1))) == 0


def test_no_reminder_when_the_plan_has_moved_on(world):
    invited(world, plan_status=JISP.Status.AWAITING_APPROVAL)
    assert sweep_offer_reminders(at(date(2025, 5, 1))) == 0


def test_a_challenge_with_a_new_date_gets_its_own_reminders(world):
    offer = invited(world)
    assert sweep_offer_reminders(at(date(2025, 5, 6))) == 1
    Offer.objects.filter(pk=offer.pk).update(status=O.CHALLENGED, respond_by=date(2025, 5, 13))
    assert sweep_offer_reminders(at(date(2025, 5, 13))) == 1
    assert reminders().filter(subject__startswith="Your revised offer is due today").count() == 1


def test_query_count_is_constant_as_offers_grow(world):
    invited(world)
    with CaptureQueriesContext(connection) as one:
        assert sweep_offer_reminders(at(date(2025, 5, 1))) == 1
    OutboundEmail.objects.all().delete()
    for n in range(8):
        provider = ProviderFactory()
        UserFactory(email=f"adviser{n}@p{n}.example.org", role=Role.PROVIDER_ADVISER, provider=provider)
        invited(world, provider=provider)
    with CaptureQueriesContext(connection) as many:
        assert sweep_offer_reminders(at(date(2025, 5, 1))) == 9
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_task_sends_each_reminder_once_when_retried(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    invited(world)
    monkeypatch.setattr("plans.services.offers.london_date", lambda now=None: date(2025, 5, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_task.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_task.apply().get() == 0
    assert [m.to for m in mailoutbox] == [[world.provider.email]]
    assert reminders().get().sent_at is not None
