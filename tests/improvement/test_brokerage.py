"""Brokerage: the lead CSA turns a peer challenge's (or an inspection's) areas for improvement into a
support plan with the plans services themselves, inviting framework providers; the plan then goes
through the usual offers and approval."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AuditEvent, OutboundEmail, Role
from core.errors import ServiceError
from improvement import services
from improvement.models import Brokerage, PeerChallenge
from plans import services as plan_services
from plans.models import JISP, Offer, Priority
from tests.accounts.factories import UserFactory
from tests.improvement import factories as f
from tests.plans.factories import JISPFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    lead = f.make_lead(world.admin)
    challenge = f.challenge(
        f.self_assessment(world.newcastle, shared=True), lead, status=PeerChallenge.Status.LETTER_ISSUED
    )
    f.findings(challenge)
    f.framework_provider(world.tfc)
    return challenge


def improvements(challenge):
    return [x for x in challenge.findings.all() if x.improvement_points]


def test_the_lead_csa_brokers_a_support_plan_with_the_plans_services(world, issued):
    brokerage = services.broker_support(
        actor=world.csa,
        period=f.YEAR,
        peer_challenge=issued,
        findings=improvements(issued),
        providers=[world.tfc],
        summary="Agreed with the DCS",
        respond_by=date(2027, 1, 15),
    )

    plan = brokerage.support_plan
    assert (plan.authority, plan.period, plan.version, plan.status, plan.csa) == (
        world.newcastle,
        f.YEAR,
        1,
        JISP.Status.DRAFT,
        world.csa,
    )
    priority = plan.priorities.get()
    assert priority.title == "Safeguarding"
    assert priority.description.startswith("Peer challenge, November 2026: judged good.")
    assert [n.description for n in priority.needs.order_by("order")] == [
        "Audits do not drive practice",
        "Supervision is not recorded",
    ]
    offer = Offer.objects.get(priority=priority)
    assert (offer.provider, offer.status, offer.respond_by, offer.invited_by) == (
        world.tfc,
        Offer.Status.INVITED,
        date(2027, 1, 15),
        world.csa,
    )
    assert priority.history.first().history_user == world.csa  # written by the plans services
    assert list(brokerage.providers.all()) == [world.tfc]
    assert brokerage.broker == world.csa
    assert OutboundEmail.objects.filter(key=f"support-brokered:{brokerage.pk}", recipient=world.dcs.email).exists()
    assert OutboundEmail.objects.filter(key=f"offer-invited:{offer.pk}", recipient=world.provider.email).exists()

    # From here on it is a plan like any other: the provider offers, the CSA accepts, the DCS approves.
    plan_services.submit_offer(
        actor=world.provider,
        offer=offer,
        data={"description": "By March 2027, 4 days of audit support", "deliver_by": date(2027, 3, 31), "days": 4},
    )
    plan_services.accept_offer(actor=world.csa, offer=offer)
    plan_services.send_to_authority(actor=world.csa, jisp=plan)
    plan_services.send_for_approval(actor=world.csa, jisp=plan)
    plan_services.approve(actor=world.dcs, jisp=plan, version=1)
    assert Brokerage.objects.get().support_plan.status == JISP.Status.APPROVED


def test_only_the_lead_csa_brokers_and_only_after_the_letter(world, issued):
    for actor in (world.csa_other, world.dcs, world.admin, world.go_director):
        with pytest.raises(PermissionDenied):
            services.broker_support(
                actor=actor, period=f.YEAR, peer_challenge=issued, findings=improvements(issued), providers=[world.tfc]
            )
    issued.status = PeerChallenge.Status.RESPONDED
    issued.save()
    with pytest.raises(ServiceError, match="letter is issued"):
        services.broker_support(
            actor=world.csa, period=f.YEAR, peer_challenge=issued, findings=improvements(issued), providers=[world.tfc]
        )


def test_only_framework_providers_and_areas_for_improvement(world, issued):
    with pytest.raises(ServiceError, match="framework list") as refused:
        services.broker_support(
            actor=world.csa, period=f.YEAR, peer_challenge=issued, findings=improvements(issued), providers=[world.ns]
        )
    assert refused.value.field == "providers"
    no_points = [x for x in issued.findings.all() if not x.improvement_points][:1]
    with pytest.raises(ServiceError, match="areas for improvement") as refused:
        services.broker_support(
            actor=world.csa, period=f.YEAR, peer_challenge=issued, findings=no_points, providers=[world.tfc]
        )
    assert refused.value.field == "findings"
    assert not JISP.objects.exists()


def test_an_existing_plan_for_the_period_leaves_nothing_behind(world, issued):
    JISPFactory(authority=world.newcastle, period=f.YEAR)
    with pytest.raises(ServiceError, match="already has a plan for 2026-27") as refused:
        services.broker_support(
            actor=world.csa, period=f.YEAR, peer_challenge=issued, findings=improvements(issued), providers=[world.tfc]
        )
    assert refused.value.field == "period"
    assert not Brokerage.objects.exists()
    assert not Priority.objects.exists()
    assert JISP.objects.count() == 1


def test_brokered_after_an_inspection(world):
    f.framework_provider(world.tfc)
    inspection = f.inspection(world.newcastle)
    brokerage = services.broker_support(
        actor=world.csa, period="2027-28", inspection=inspection, points=["1"], providers=[world.tfc]
    )
    priority = brokerage.support_plan.priorities.get()
    assert priority.title == "Reduce social worker caseloads"
    assert "Ofsted Inspection of safeguarding and looked after children services, June 2026: satisfactory" in (
        priority.description
    )
    with pytest.raises(ServiceError, match="Select areas for improvement of this inspection"):
        services.broker_support(
            actor=world.csa, period="2028-29", inspection=inspection, points=["7"], providers=[world.tfc]
        )


def test_record_an_inspection_and_appoint_regional_leads(world):
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=world.csa,
            authority=world.leeds,
            title="x",
            published_on=date(2026, 6, 1),
            overall="good",
            areas_for_improvement="y",
        )
    with pytest.raises(ServiceError, match="areas for improvement"):
        services.record_inspection(
            actor=world.admin,
            authority=world.leeds,
            title="Inspection",
            published_on=date(2026, 6, 1),
            overall="good",
            areas_for_improvement=" ",
        )
    inspection = services.record_inspection(
        actor=world.admin,
        authority=world.leeds,
        title="Inspection",
        published_on=date(2026, 6, 1),
        overall="good",
        areas_for_improvement="A\nB",
    )
    assert inspection.improvement_points == ["A", "B"]
    assert inspection.recorded_by == world.admin

    with pytest.raises(ServiceError, match="Director of Children's Services or an administrator"):
        services.appoint_regional_lead(actor=world.admin, user=world.csa)
    with pytest.raises(PermissionDenied):
        services.appoint_regional_lead(actor=world.dcs, user=world.dcs_other)
    lead = services.appoint_regional_lead(actor=world.admin, user=world.dcs_other)
    assert lead.is_regional_lead
    assert OutboundEmail.objects.filter(recipient=world.dcs_other.email, subject__contains="regional lead").exists()
    event = AuditEvent.objects.filter(object_id=str(lead.pk), details__fields=["is_regional_lead"]).get()
    assert event.actor == world.admin
    assert "appointed regional lead" in event.summary
    with pytest.raises(ServiceError, match="already"):
        services.appoint_regional_lead(actor=world.admin, user=world.dcs_other)
    assert not services.stand_down_regional_lead(actor=world.admin, user=lead).is_regional_lead


def test_a_regional_admin_appoints_in_their_own_region_only(world):
    regional_admin = UserFactory(email="admin.ne@example.gov.uk", role=Role.ADMIN, region=world.ne)
    with pytest.raises(PermissionDenied):
        services.appoint_regional_lead(actor=regional_admin, user=world.dcs_other)
    assert services.appoint_regional_lead(actor=regional_admin, user=world.dcs).is_regional_lead
