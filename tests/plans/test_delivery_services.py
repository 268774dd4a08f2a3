"""The delivery services: every delivery status reached and left, comments, reviews at a meeting,
every refusal (wrong role, another provider, another authority, a plan not approved or no longer
current, bad input), the emails to the other side, history, and the deliver-by reminders."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import OutboundEmail
from core.digest import DUE, OVERDUE
from core.errors import ServiceError
from core.working_days import add_working_days, london_date
from plans import services
from plans.models import JISP, DeliveryUpdate, Offer
from plans.queries import delivery as q
from tests.meetings.factories import MeetingFactory
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

S = JISP.Status
O = Offer.Status  # noqa: E741
D = Offer.DeliveryStatus
pytestmark = pytest.mark.django_db


def accepted(world, plan_status=S.APPROVED, provider=None, version=1, authority=None, **fields):
    authority = authority or world.newcastle
    jisp = JISP.objects.filter(authority=authority, period="2009-10", version=version).first() or JISPFactory(
        authority=authority,
        period="2009-10",
        version=version,
        status=plan_status,
        csa=authority.csa,
        approved_at=timezone.now() if plan_status in (S.APPROVED, S.SUPERSEDED) else None,
    )
    priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy")
    fields.setdefault("deliver_by", date(2010, 5, 31))
    return OfferFactory(
        priority=priority,
        provider=provider or world.tfc,
        status=O.ACCEPTED,
        description="Two visits on the sexual health policy",
        days=Decimal("2"),
        **fields,
    )


def report(world, role, offer, status=D.AT_RISK, note="The second visit has been postponed", **kw):
    return services.report_delivery(actor=world.users[role], offer=offer, status=status, note=note, **kw)


def recipients(update):
    return set(OutboundEmail.objects.filter(key=f"delivery-update:{update.pk}").values_list("recipient", flat=True))


# --- transitions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", D.values)
@pytest.mark.parametrize("end", D.values)
def test_the_provider_moves_the_delivery_status_between_any_two_statuses(world, start, end):
    offer = accepted(world, delivery_status=start)
    update = report(world, "provider", offer, status=end)
    offer.refresh_from_db()
    assert offer.delivery_status == end
    assert (update.previous_status, update.status, update.author) == (start, end, world.provider)
    assert update.is_comment == (start == end)


def test_a_provider_update_records_history_and_emails_the_csa_and_the_dcs_after_commit(
    world, django_capture_on_commit_callbacks
):
    offer = accepted(world)
    with django_capture_on_commit_callbacks() as callbacks:
        update = report(world, "provider", offer, days_given="1.5")
    assert callbacks, "the emails go after commit"
    assert recipients(update) == {world.csa.email, world.dcs.email}
    assert update.days_given == Decimal("1.5")
    last = offer.history.order_by("-history_date").first()
    assert last.delivery_status == D.AT_RISK
    assert last.history_user == world.provider
    body = OutboundEmail.objects.get(key=f"delivery-update:{update.pk}", recipient=world.csa.email).body
    assert "The second visit has been postponed" in body
    assert f"/plans/offers/{offer.pk}/delivery/" in body


def test_the_dcs_comment_keeps_the_status_and_emails_the_provider_and_the_csa(world):
    offer = accepted(world, delivery_status=D.ON_TRACK)
    update = report(world, "dcs", offer, status="", note="We would like the visits before half term")
    offer.refresh_from_db()
    assert offer.delivery_status == D.ON_TRACK
    assert update.is_comment
    assert update.status == D.ON_TRACK
    assert recipients(update) == {world.provider.email, world.csa.email}


def test_the_officer_and_the_csa_may_add_updates(world):
    offer = accepted(world)
    officer = report(world, "la_officer", offer, status=D.ON_TRACK)
    csa = report(world, "csa", offer, status=D.DELIVERED, note="Both visits held", days_given=2)
    assert recipients(officer) == {world.provider.email, world.csa.email}
    assert recipients(csa) == {world.provider.email, world.dcs.email}
    offer.refresh_from_db()
    assert offer.delivery_status == D.DELIVERED
    assert list(offer.delivery_updates.values_list("author__email", flat=True)) == [
        world.la_officer.email,
        world.csa.email,
    ]


# --- refusals: who --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["provider_other", "csa_other", "go_director", "go_director_other", "dcs_other", "national", "admin"]
)
def test_others_may_not_report_delivery(world, role):
    offer = accepted(world)
    with pytest.raises(PermissionDenied):
        report(world, role, offer)
    assert not DeliveryUpdate.objects.exists()
    offer.refresh_from_db()
    assert offer.delivery_status == D.NOT_STARTED


# --- refusals: when -------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_status", [S.DRAFT, S.WITH_AUTHORITY, S.AWAITING_APPROVAL])
def test_no_delivery_before_the_plan_is_approved(world, plan_status):
    offer = accepted(world, plan_status=plan_status)
    with pytest.raises(ServiceError, match="not the current approved plan"):
        report(world, "provider", offer)
    assert not DeliveryUpdate.objects.exists()


@pytest.mark.parametrize("status", [O.INVITED, O.SUBMITTED, O.CHALLENGED, O.WITHDRAWN])
def test_no_delivery_on_an_offer_that_was_not_accepted(world, status):
    offer = accepted(world)
    Offer.objects.filter(pk=offer.pk).update(status=status)
    with pytest.raises(ServiceError, match="not accepted"):
        report(world, "csa", offer)


def test_no_delivery_on_a_plan_replaced_by_a_later_approved_version(world):
    old = accepted(world, plan_status=S.SUPERSEDED)
    accepted(world, plan_status=S.APPROVED, version=2)
    with pytest.raises(ServiceError, match="not the current approved plan"):
        report(world, "provider", old)


def test_delivery_goes_on_while_the_plan_is_being_revised(world):
    """Revising supersedes the approved plan at once; until the revision is approved, the signed-off
    version is still the one being delivered."""
    old = accepted(world, plan_status=S.APPROVED)
    revision = services.revise(actor=world.csa, jisp=old.priority.jisp)
    report(world, "provider", old, status=D.ON_TRACK)
    old.refresh_from_db()
    assert old.delivery_status == D.ON_TRACK
    copy = Offer.objects.get(priority__jisp=revision)
    with pytest.raises(ServiceError):
        report(world, "provider", copy)


def test_a_revision_carries_the_delivery_status(world):
    offer = accepted(world, delivery_status=D.AT_RISK)
    revision = services.revise(actor=world.csa, jisp=offer.priority.jisp)
    assert Offer.objects.get(priority__jisp=revision).delivery_status == D.AT_RISK


# --- refusals: what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"note": "  "}, "note", "Enter what happened"),
        ({"note": "x" * 5001}, "note", "5,000 characters"),
        ({"status": "finished"}, "status", "Select how the delivery"),
        ({"days_given": "-1"}, "days_given", "0 or more"),
        ({"days_given": "two"}, "days_given", "a number"),
        ({"days_given": "1.25"}, "days_given", "one decimal place"),
        ({"days_given": "NaN"}, "days_given", "0 or more"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, fields, field, message):
    offer = accepted(world)
    with pytest.raises(ServiceError, match=message) as error:
        report(world, "provider", offer, **fields)
    assert error.value.field == field
    assert not DeliveryUpdate.objects.exists()


# --- reviews at a meeting -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["strategic_engagement", "kit"])
def test_the_csa_records_a_review_at_a_strategic_engagement_or_kit_meeting(world, kind):
    offer = accepted(world)
    meeting = MeetingFactory(authority=world.newcastle, kind=kind, organiser=world.csa, status="held")
    update = report(world, "csa", offer, status=D.ON_TRACK, note="Reviewed with the DCS", meeting=meeting)
    assert update.meeting == meeting
    assert list(meeting.delivery_reviews.all()) == [update]


@pytest.mark.parametrize(
    ("kind", "authority"), [("visit", "newcastle"), ("standards", "newcastle"), ("kit", "gateshead")]
)
def test_a_review_needs_a_strategic_or_kit_meeting_of_the_authority(world, kind, authority):
    offer = accepted(world)
    meeting = MeetingFactory(authority=getattr(world, authority), kind=kind, organiser=world.csa, status="held")
    with pytest.raises(ServiceError, match="strategic engagement or keep-in-touch"):
        report(world, "csa", offer, meeting=meeting)


def test_a_review_waits_until_the_meeting_is_held(world):
    offer = accepted(world)
    meeting = MeetingFactory(authority=world.newcastle, kind="kit", organiser=world.csa, status="scheduled")
    with pytest.raises(ServiceError, match="marked as held"):
        report(world, "csa", offer, meeting=meeting)


@pytest.mark.parametrize("role", ["provider", "dcs", "la_officer", "go_director", "csa_other"])
def test_only_the_lead_csa_records_a_review(world, role):
    offer = accepted(world)
    meeting = MeetingFactory(authority=world.newcastle, kind="strategic_engagement", organiser=world.csa, status="held")
    with pytest.raises(PermissionDenied):
        report(world, role, offer, meeting=meeting)


# --- deliver-by reminders -------------------------------------------------------------------------


def _sweep(on):
    from datetime import datetime

    from core.working_days import LONDON

    return services.sweep_delivery_reminders(now=datetime(on.year, on.month, on.day, 9, 0, tzinfo=LONDON))


def _reminders(offer):
    return sorted(
        OutboundEmail.objects.filter(key__startswith=f"delivery-reminder:{offer.pk}:").values_list("key", flat=True)
    )


def test_reminders_two_working_days_before_on_the_day_and_once_overdue(world, reminders_as_they_happen):
    due = add_working_days(london_date(), 10)
    offer = accepted(world, deliver_by=due)
    assert _sweep(add_working_days(due, -3)) == 0
    assert _sweep(add_working_days(due, -2)) == 1
    assert _sweep(add_working_days(due, -1)) == 0  # the "due soon" reminder went already
    assert _sweep(due) == 1
    assert _sweep(due) == 0
    assert _sweep(due + timedelta(days=1)) == 1
    assert _sweep(due + timedelta(days=7)) == 0
    assert [k.rsplit(":", 1)[1] for k in _reminders(offer)] == ["due_soon", "due_today", "overdue"]
    assert set(
        OutboundEmail.objects.filter(key__startswith="delivery-reminder:").values_list("recipient", flat=True)
    ) == {world.provider.email}


def test_no_reminders_for_delivered_support_plans_not_approved_or_advisers_who_want_the_digest(
    world, reminders_as_they_happen
):
    due = london_date()
    accepted(world, deliver_by=due, delivery_status=D.DELIVERED)
    accepted(world, deliver_by=due, delivery_status=D.NOT_DELIVERED)
    accepted(world, deliver_by=due, plan_status=S.DRAFT, authority=world.gateshead)
    assert _sweep(due) == 0
    offer = accepted(world, deliver_by=due, provider=world.ns)
    world.provider_other.reminder_emails = "digest"
    world.provider_other.save()
    assert _sweep(due) == 0
    assert not _reminders(offer)


def test_the_sweep_runs_in_a_fixed_number_of_queries(world, reminders_as_they_happen, django_assert_max_num_queries):
    due = london_date()
    for _ in range(3):
        accepted(world, deliver_by=due)
    with django_assert_max_num_queries(12) as few:
        _sweep(due)
    for _ in range(12):
        accepted(world, deliver_by=due)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _sweep(due)


# --- the daily digest and the dashboards ----------------------------------------------------------


def test_the_digest_lists_deliver_by_dates_for_the_provider_and_overdue_support_for_the_csa_and_dcs(world):
    today = london_date()
    soon = accepted(world, deliver_by=add_working_days(today, 1))
    late = accepted(world, deliver_by=today - timedelta(days=10), provider=world.ns)
    accepted(world, deliver_by=today - timedelta(days=10), delivery_status=D.DELIVERED)
    accepted(world, deliver_by=add_working_days(today, 3))  # not yet: 3 working days away
    users = {u.pk: u for u in (world.provider, world.provider_other, world.csa, world.dcs, world.dcs_other)}
    items = q.digest_items(users, today)
    got = {(i.user_id, i.link.rsplit("/offers/", 1)[1], i.state) for i in items}
    assert got == {
        (world.provider.pk, f"{soon.pk}/delivery/", DUE),
        (world.provider_other.pk, f"{late.pk}/delivery/", OVERDUE),
        (world.csa.pk, f"{late.pk}/delivery/", OVERDUE),
        (world.dcs.pk, f"{late.pk}/delivery/", OVERDUE),
    }


def test_overdue_and_at_risk_support_on_the_csa_and_dcs_dashboards(world):
    today = london_date()
    late = accepted(world, deliver_by=today - timedelta(days=3))
    risky = accepted(world, deliver_by=today + timedelta(days=30), delivery_status=D.AT_RISK)
    accepted(world, deliver_by=today - timedelta(days=3), delivery_status=D.DELIVERED)
    accepted(world, deliver_by=today + timedelta(days=30), delivery_status=D.ON_TRACK)
    for role in ("csa", "dcs", "provider"):
        assert q.attention_for(world.users[role], today) == [late, risky], role
    assert q.attention_for(world.csa_other, today) == []
    assert q.attention_for(world.provider_other, today) == []


def test_the_beat_task_runs_the_sweep_hourly(world, reminders_as_they_happen):
    from jisp_portal.celery import app
    from plans.tasks import sweep_delivery_reminders

    accepted(world, deliver_by=london_date())
    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "plans.tasks.sweep_delivery_reminders" in schedule
    assert sweep_delivery_reminders.delay().get() == 1
    assert sweep_delivery_reminders.delay().get() == 0
