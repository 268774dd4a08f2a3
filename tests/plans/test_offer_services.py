"""The offer services: every transition and every refusal (wrong role, wrong state, another
provider), the emails each step sends (once), the timeline, and consistency with the plan workflow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail, Role
from core.errors import ServiceError, StaleEditError
from core.working_days import add_working_days, is_working_day, london_date
from plans import services
from plans.models import JISP, Offer, OfferEvent
from tests.accounts.factories import UserFactory
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
O = Offer.Status  # noqa: E741
pytestmark = pytest.mark.django_db

GOOD = {
    "description": "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people",
    "deliver_by": date(2010, 5, 31),
    "days": Decimal("2.5"),
    "funding": Decimal("1500"),
    "notes": "With the partnership board",
}


def plan(world, status=S.DRAFT, authority=None):
    authority = authority or world.newcastle
    jisp = JISPFactory(authority=authority, period="2010-11", status=status, csa=authority.csa)
    priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy")
    need = NeedFactory(priority=priority, description="Develop a sexual health policy for young people")
    return jisp, priority, need


def offer_in(world, status=O.INVITED, provider=None, plan_status=S.DRAFT, **fields):
    jisp, priority, need = plan(world, plan_status)
    return OfferFactory(priority=priority, need=need, provider=provider or world.tfc, status=status, **fields)


def submitted(world, **kw):
    return offer_in(world, O.SUBMITTED, description=GOOD["description"], deliver_by=GOOD["deliver_by"], **kw)


def emails(key_prefix, to=None):
    qs = OutboundEmail.objects.filter(key__startswith=key_prefix)
    return qs.filter(recipient=to) if to else qs


# --- invitations ----------------------------------------------------------------------------------


def test_invite_creates_one_offer_per_provider_emails_their_advisers_and_records_history(
    world, django_capture_on_commit_callbacks
):
    second_tfc = UserFactory(email="second@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=world.tfc)
    UserFactory(email="gone@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=world.tfc, is_active=False)
    jisp, priority, need = plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        offers = services.invite_providers(
            actor=world.csa, priority=priority, providers=[world.tfc, world.ns], need=need, message="Please help"
        )
    assert [o.provider for o in offers] == [world.tfc, world.ns]
    default = add_working_days(london_date(), 10)
    for offer in offers:
        offer.refresh_from_db()
        assert (offer.status, offer.need, offer.respond_by, offer.invited_by) == (O.INVITED, need, default, world.csa)
        assert offer.invitation_message == "Please help"
        assert offer.history.first().history_user == world.csa
        assert list(offer.events.values_list("kind", "message")) == [(OfferEvent.Kind.INVITED, "Please help")]
    recipients = set(emails("offer-invited").values_list("recipient", flat=True))
    assert recipients == {world.provider.email, second_tfc.email, world.provider_other.email}
    body = emails("offer-invited", to=world.provider.email).get().body
    assert f"/plans/offers/{offers[0].pk}/" in body
    assert "Reduce teenage pregnancy" in body
    assert emails("offer-invited").filter(sent_at__isnull=False).count() == 3  # sent after commit (eager)


def test_invite_respond_by_must_be_a_future_working_day(world):
    jisp, priority, need = plan(world)
    saturday = london_date() + timedelta(days=(5 - london_date().weekday()) % 7 or 7)
    with pytest.raises(ServiceError, match="working day") as raised:
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc], respond_by=saturday)
    assert raised.value.field == "respond_by"
    with pytest.raises(ServiceError, match="in the future"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc], respond_by=london_date())
    bank_holiday = next(
        d
        for d in (london_date() + timedelta(days=n) for n in range(1, 400))
        if d.weekday() < 5 and not is_working_day(d)
    )
    with pytest.raises(ServiceError, match="bank holiday"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc], respond_by=bank_holiday)
    assert not Offer.objects.exists()


def test_invite_refusals(world):
    jisp, priority, need = plan(world)
    with pytest.raises(ServiceError, match="at least one provider"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[])
    other_need = NeedFactory()
    with pytest.raises(ServiceError, match="need of this priority"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc], need=other_need)
    services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc], need=need)
    with pytest.raises(ServiceError, match="Together for Children already has an invitation"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc, world.ns], need=need)
    assert Offer.objects.count() == 1


@pytest.mark.parametrize("role", ["csa_other", "go_director", "dcs", "la_officer", "provider", "national", "admin"])
def test_only_the_lead_csa_invites(world, role):
    jisp, priority, need = plan(world)
    with pytest.raises(PermissionDenied):
        services.invite_providers(actor=world.users[role], priority=priority, providers=[world.tfc])
    assert not Offer.objects.exists()


@pytest.mark.parametrize("status", [S.AWAITING_APPROVAL, S.APPROVED, S.SUPERSEDED])
def test_invite_refused_unless_the_plan_is_in_draft_or_with_the_authority(world, status):
    jisp, priority, need = plan(world, status)
    with pytest.raises(ServiceError, match=f"the plan is {JISP.Status(status).label.lower()}"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc])


def test_invite_allowed_while_the_plan_is_with_the_authority(world):
    jisp, priority, need = plan(world, S.WITH_AUTHORITY)
    assert services.invite_providers(actor=world.csa, priority=priority, providers=[world.ns])


# --- the provider's draft and submission ----------------------------------------------------------


def test_save_draft_keeps_the_offer_invited_and_checks_the_lock(world):
    offer = offer_in(world)
    services.save_offer_draft(
        actor=world.provider, offer=offer, data={"description": "Half written", "days": "1.5"}, lock_version=0
    )
    offer.refresh_from_db()
    assert (offer.status, offer.description, offer.days, offer.lock_version) == (O.INVITED, "Half written", 1.5, 1)
    assert offer.history.first().history_user == world.provider
    with pytest.raises(StaleEditError):
        services.save_offer_draft(actor=world.provider, offer=offer, data={"description": "Old tab"}, lock_version=0)
    offer.refresh_from_db()
    assert offer.description == "Half written"
    assert not OutboundEmail.objects.exists()


def test_submit_moves_invited_to_submitted_emails_the_csa_and_snapshots_the_offer(world):
    offer = offer_in(world)
    services.submit_offer(actor=world.provider, offer=offer, data=GOOD, lock_version=0)
    offer.refresh_from_db()
    assert offer.status == O.SUBMITTED
    assert offer.submitted_at is not None
    assert offer.is_tailored
    assert (offer.days, offer.funding) == (Decimal("2.5"), Decimal("1500.00"))
    event = offer.events.get(kind=OfferEvent.Kind.SUBMITTED)
    assert (event.actor, event.description, event.days) == (world.provider, GOOD["description"], Decimal("2.5"))
    assert emails("offer-submitted", to=world.csa.email).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"description": ""}, "description", "concise objective"),
        ({"deliver_by": None}, "deliver_by", "delivered by"),
        ({"days": None, "funding": None}, "days", "days of support, the funding, or both"),
        ({"days": "1.25"}, "days", "whole or half days"),
        ({"days": "-1"}, "days", "cannot be negative"),
        ({"funding": "-5"}, "funding", "cannot be negative"),
        ({"deliver_by": date(2011, 4, 1)}, "deliver_by", "within the plan's period 2010-11"),
    ],
)
def test_submit_refuses_an_incomplete_or_invalid_offer(world, change, field, message):
    offer = offer_in(world)
    with pytest.raises(ServiceError, match=message) as raised:
        services.submit_offer(actor=world.provider, offer=offer, data={**GOOD, **change}, lock_version=0)
    assert raised.value.field == field
    offer.refresh_from_db()
    assert offer.status == O.INVITED
    assert offer.lock_version == 0


@pytest.mark.parametrize("role", ["provider_other", "csa", "dcs", "admin", "national"])
def test_only_the_offers_own_provider_writes_it(world, role):
    offer = offer_in(world)
    with pytest.raises(PermissionDenied):
        services.submit_offer(actor=world.users[role], offer=offer, data=GOOD, lock_version=0)
    with pytest.raises(PermissionDenied):
        services.save_offer_draft(actor=world.users[role], offer=offer, data=GOOD, lock_version=0)


@pytest.mark.parametrize("status", [O.SUBMITTED, O.ACCEPTED, O.WITHDRAWN])
def test_submit_refused_in_the_wrong_state(world, status):
    offer = offer_in(world, status)
    with pytest.raises(ServiceError, match=f"the offer is {O(status).label.lower()}"):
        services.submit_offer(actor=world.provider, offer=offer, data=GOOD, lock_version=0)
    with pytest.raises(ServiceError):
        services.save_offer_draft(actor=world.provider, offer=offer, data=GOOD, lock_version=0)


def test_submit_refused_when_the_plan_is_no_longer_open(world):
    offer = offer_in(world, plan_status=S.AWAITING_APPROVAL)
    with pytest.raises(ServiceError, match="plan is awaiting approval"):
        services.submit_offer(actor=world.provider, offer=offer, data=GOOD, lock_version=0)


# --- challenge, resubmission, acceptance ----------------------------------------------------------


def test_challenge_then_resubmit_then_accept_is_a_timeline(world):
    offer = submitted(world)
    services.challenge_offer(actor=world.csa, offer=offer, reason="This is the generic national programme")
    offer.refresh_from_db()
    assert offer.status == O.CHALLENGED
    assert not offer.is_tailored
    assert offer.challenge_reason == "This is the generic national programme"
    assert offer.respond_by == add_working_days(london_date(), 5)
    mail = emails("offer-challenged", to=world.provider.email).get()
    assert "This is the generic national programme" in mail.body
    assert not emails("offer-challenged", to=world.provider_other.email).exists()

    tailored = {**GOOD, "description": "By June 2010, 3 days with the six schools with the highest rates"}
    services.submit_offer(actor=world.provider, offer=offer, data=tailored, lock_version=offer.lock_version)
    offer.refresh_from_db()
    assert offer.status == O.SUBMITTED
    assert offer.is_tailored
    assert "resubmitted" in emails("offer-submitted", to=world.csa.email).get().subject

    services.accept_offer(actor=world.csa, offer=offer)
    offer.refresh_from_db()
    assert offer.status == O.ACCEPTED
    assert offer.decided_at is not None
    assert emails("offer-accepted", to=world.provider.email).count() == 1
    kinds = list(offer.events.values_list("kind", flat=True))
    assert kinds == ["challenged", "resubmitted", "accepted"]
    challenged = offer.events.get(kind="challenged")
    assert challenged.message == "This is the generic national programme"
    assert challenged.actor == world.csa
    assert offer.events.get(kind="resubmitted").description.startswith("By June 2010")


def test_challenge_needs_a_reason(world):
    offer = submitted(world)
    with pytest.raises(ServiceError, match="Enter why") as raised:
        services.challenge_offer(actor=world.csa, offer=offer, reason="   ")
    assert raised.value.field == "reason"
    offer.refresh_from_db()
    assert offer.status == O.SUBMITTED


@pytest.mark.parametrize("status", [O.INVITED, O.CHALLENGED, O.ACCEPTED, O.WITHDRAWN])
def test_challenge_and_accept_only_a_submitted_offer(world, status):
    offer = offer_in(world, status)
    with pytest.raises(ServiceError, match="not submitted"):
        services.challenge_offer(actor=world.csa, offer=offer, reason="Generic")
    with pytest.raises(ServiceError, match="not submitted"):
        services.accept_offer(actor=world.csa, offer=offer)


@pytest.mark.parametrize("role", ["csa_other", "go_director", "dcs", "la_officer", "provider", "admin"])
def test_only_the_lead_csa_challenges_or_accepts(world, role):
    offer = submitted(world)
    with pytest.raises(PermissionDenied):
        services.challenge_offer(actor=world.users[role], offer=offer, reason="Generic")
    with pytest.raises(PermissionDenied):
        services.accept_offer(actor=world.users[role], offer=offer)
    offer.refresh_from_db()
    assert offer.status == O.SUBMITTED


# --- withdrawal -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [O.INVITED, O.SUBMITTED, O.CHALLENGED])
def test_provider_withdraws_its_own_open_offer_and_the_csa_is_told(world, status):
    offer = offer_in(world, status)
    services.withdraw_offer(actor=world.provider, offer=offer, reason="No capacity this year")
    offer.refresh_from_db()
    assert offer.status == O.WITHDRAWN
    assert "No capacity this year" in emails("offer-withdrawn", to=world.csa.email).get().body
    assert offer.events.get().actor == world.provider


def test_csa_withdraws_any_open_offer_and_the_provider_is_told(world):
    offer = submitted(world, provider=world.ns)
    services.withdraw_offer(actor=world.csa, offer=offer)
    offer.refresh_from_db()
    assert offer.status == O.WITHDRAWN
    assert emails("offer-withdrawn", to=world.provider_other.email).count() == 1


@pytest.mark.parametrize("role", ["provider_other", "csa_other", "dcs", "go_director", "admin"])
def test_withdraw_refused_for_others(world, role):
    offer = submitted(world)
    with pytest.raises(PermissionDenied):
        services.withdraw_offer(actor=world.users[role], offer=offer)


@pytest.mark.parametrize("status", [O.ACCEPTED, O.WITHDRAWN])
def test_withdraw_refused_once_closed(world, status):
    offer = offer_in(world, status)
    with pytest.raises(ServiceError):
        services.withdraw_offer(actor=world.csa, offer=offer)


# --- emails once, and the plan workflow -----------------------------------------------------------


def test_a_retried_send_sends_nothing_twice(world, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.tasks import send_email

    jisp, priority, need = plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc])
    assert len(mailoutbox) == 1
    email = OutboundEmail.objects.get()
    assert send_email.apply(args=[email.pk]).get() == "already sent"
    assert len(mailoutbox) == 1


def test_send_for_approval_waits_for_every_offer_to_be_accepted_or_withdrawn(world):
    jisp, priority, need = plan(world, S.WITH_AUTHORITY)
    services.invite_providers(actor=world.csa, priority=priority, providers=[world.tfc, world.ns])
    with pytest.raises(ServiceError, match="2 offers are still open"):
        services.send_for_approval(actor=world.csa, jisp=jisp)
    tfc, ns = Offer.objects.order_by("pk")
    services.submit_offer(actor=world.provider, offer=tfc, data=GOOD, lock_version=0)
    services.accept_offer(actor=world.csa, offer=tfc)
    services.withdraw_offer(actor=world.provider_other, offer=ns, reason="Not our remit")
    services.send_for_approval(actor=world.csa, jisp=jisp)
    jisp.refresh_from_db()
    assert jisp.status == S.AWAITING_APPROVAL
    with pytest.raises(ServiceError, match="awaiting approval"):
        services.invite_providers(actor=world.csa, priority=priority, providers=[world.ns])
