"""In-year change: change requests and their answers, what a revision may do to accepted support,
the authority's "not tailored" mark, the notes of a row and the authority's own support — every
transition and its refusals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OutboundEmail
from core.errors import ServiceError, StaleEditError
from core.working_days import add_working_days, london_date
from plans import services
from plans.models import JISP, ChangeRequest, DeploymentPlan, Offer, OfferEvent, OwnSupport, Priority
from plans.queries.workflow import compare_plans
from tests.matrix.plans_workflow import build_plan

S = JISP.Status
C = ChangeRequest.Status
O = Offer.Status  # noqa: E741
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a deployment plan\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def emails(address, prefix):
    return OutboundEmail.objects.filter(recipient=address, key__startswith=prefix)


def accepted_offer(jisp):
    return Offer.objects.get(priority__jisp=jisp, status=O.ACCEPTED)


def revision(world):
    """An approved plan revised into version 2 (draft): (old, new)."""
    old = build_plan(world, S.APPROVED)
    return old, services.revise(actor=world.csa, jisp=old)


# --- change requests ------------------------------------------------------------------------------


def test_the_dcs_raises_an_open_request_and_the_csa_is_emailed(world):
    jisp = build_plan(world, S.APPROVED)
    offer = accepted_offer(jisp)
    request = services.raise_change_request(
        actor=world.dcs, jisp=jisp, body="Move the portfolio review to the autumn", offers=[offer]
    )
    assert request.status == C.OPEN
    assert request.confirmed_by == world.dcs
    assert list(request.offers.all()) == [offer]
    assert emails(world.csa.email, "change-request-open").count() == 1


def test_an_officers_request_waits_for_the_dcs_who_confirms_it(world):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.la_officer, jisp=jisp, body="More days on the portfolio")
    assert request.status == C.AWAITING_DCS
    assert emails(world.dcs.email, "change-request-raised").count() == 1
    assert not emails(world.csa.email, "change-request-open").exists()
    with pytest.raises(PermissionDenied):
        services.confirm_change_request(actor=world.la_officer, change_request=request)
    services.confirm_change_request(actor=world.dcs, change_request=request)
    request.refresh_from_db()
    assert request.status == C.OPEN
    assert request.confirmed_by == world.dcs
    assert emails(world.csa.email, "change-request-open").count() == 1
    with pytest.raises(ServiceError, match="nothing to confirm"):
        services.confirm_change_request(actor=world.dcs, change_request=request)


@pytest.mark.parametrize("status", [S.DRAFT, S.WITH_AUTHORITY, S.AWAITING_APPROVAL, S.SUPERSEDED])
def test_a_request_needs_the_approved_plan(world, status):
    jisp = build_plan(world, status)
    with pytest.raises(ServiceError, match="approved plan"):
        services.raise_change_request(actor=world.dcs, jisp=jisp, body="A change")
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("role", ["csa", "go_director", "dcs_other", "provider", "national", "admin"])
def test_only_the_authority_raises_requests(world, role):
    jisp = build_plan(world, S.APPROVED)
    with pytest.raises(PermissionDenied):
        services.raise_change_request(actor=world.users[role], jisp=jisp, body="A change")


def test_a_request_needs_its_reason_and_rows_of_its_plan(world):
    jisp = build_plan(world, S.APPROVED)
    other = build_plan(world, S.APPROVED, period="2008-09")
    with pytest.raises(ServiceError, match="what should change"):
        services.raise_change_request(actor=world.dcs, jisp=jisp, body="  ")
    with pytest.raises(ServiceError, match="priorities of this plan"):
        services.raise_change_request(
            actor=world.dcs, jisp=jisp, body="x", priorities=[Priority.objects.get(jisp=other)]
        )
    with pytest.raises(ServiceError, match="accepted offers of this plan"):
        services.raise_change_request(actor=world.dcs, jisp=jisp, body="x", offers=[accepted_offer(other)])


def test_starting_a_revision_links_the_request_and_tells_the_authority(world):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.dcs, jisp=jisp, body="Change the portfolio offer")
    with pytest.raises(PermissionDenied):
        services.start_revision(actor=world.dcs, change_request=request)
    new = services.start_revision(actor=world.csa, change_request=request, answer="We will vary the offer")
    request.refresh_from_db()
    assert request.status == C.REVISING
    assert request.revision == new
    assert new.version == 2
    assert new.status == S.DRAFT
    assert request.answer == "We will vary the offer"
    assert emails(world.dcs.email, "change-request-revising").count() == 1
    with pytest.raises(ServiceError, match="revision started"):
        services.start_revision(actor=world.csa, change_request=request)
    with pytest.raises(ServiceError, match="revision started"):
        services.decline_change_request(actor=world.csa, change_request=request, reason="No")


def test_the_revisions_approval_makes_the_request_done(world):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.dcs, jisp=jisp, body="Change it")
    new = services.start_revision(actor=world.csa, change_request=request)
    services.send_to_authority(actor=world.csa, jisp=new)
    services.send_for_approval(actor=world.csa, jisp=new)
    services.approve(actor=world.dcs, jisp=new, version=2)
    request.refresh_from_db()
    assert request.status == C.DONE


def test_the_csa_declines_with_a_reason(world):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.la_officer, jisp=jisp, body="Change it")
    with pytest.raises(ServiceError, match="why you are declining"):
        services.decline_change_request(actor=world.csa, change_request=request, reason="")
    for role in ("csa_other", "go_director", "dcs"):
        with pytest.raises(PermissionDenied):
            services.decline_change_request(actor=world.users[role], change_request=request, reason="No")
    services.decline_change_request(actor=world.csa, change_request=request, reason="Already delivered")
    request.refresh_from_db()
    assert request.status == C.DECLINED
    assert request.answer == "Already delivered"
    assert emails(world.la_officer.email, "change-request-declined").count() == 1
    with pytest.raises(ServiceError, match="declined"):
        services.start_revision(actor=world.csa, change_request=request)


def test_a_request_awaiting_the_dcs_cannot_start_a_revision(world):
    jisp = build_plan(world, S.APPROVED)
    request = services.raise_change_request(actor=world.la_officer, jisp=jisp, body="Change it")
    with pytest.raises(ServiceError, match="waiting for the dcs"):
        services.start_revision(actor=world.csa, change_request=request)


# --- a revision changes accepted support ----------------------------------------------------------


def test_varying_an_accepted_offer_sends_it_back_to_the_provider_with_the_old_text(world):
    old, new = revision(world)
    offer = accepted_offer(new)
    text = offer.description
    services.vary_offer(actor=world.csa, offer=offer, reason="Two more days in the autumn")
    offer.refresh_from_db()
    assert offer.status == O.INVITED
    assert offer.respond_by == add_working_days(london_date(), services.REVISE_WORKING_DAYS)
    event = offer.events.get(kind=OfferEvent.Kind.VARIED)
    assert event.description == text
    assert event.message == "Two more days in the autumn"
    assert emails(world.provider.email, "offer-varied").count() == 1
    services.submit_offer(actor=world.provider, offer=offer, data={"days": "5", "deliver_by": date(2010, 3, 1)})
    offer.refresh_from_db()
    assert offer.status == O.SUBMITTED
    assert offer.days == Decimal("5")


def test_varying_in_a_first_draft_too(world):
    first = build_plan(world, S.DRAFT, period="2011-12")
    services.vary_offer(actor=world.csa, offer=accepted_offer(first), reason="Later in the year")
    assert Offer.objects.get(priority__jisp=first, provider=world.tfc).status == O.INVITED


def test_varying_is_refused_outside_a_draft_or_for_others(world):
    with_authority = build_plan(world, S.WITH_AUTHORITY, period="2011-12")
    with pytest.raises(ServiceError, match="in draft"):
        services.vary_offer(actor=world.csa, offer=accepted_offer(with_authority), reason="x")
    old, new = revision(world)
    with pytest.raises(ServiceError, match="in draft"):
        services.vary_offer(actor=world.csa, offer=accepted_offer(old), reason="x")
    offer = accepted_offer(new)
    for role in ("dcs", "provider", "csa_other"):
        with pytest.raises(PermissionDenied):
            services.vary_offer(actor=world.users[role], offer=offer, reason="x")
    with pytest.raises(ServiceError, match="what should change"):
        services.vary_offer(actor=world.csa, offer=offer, reason="")
    with pytest.raises(ServiceError, match="working day|future"):
        services.vary_offer(actor=world.csa, offer=offer, reason="x", respond_by=london_date() - timedelta(days=1))
    services.vary_offer(actor=world.csa, offer=offer, reason="x")
    with pytest.raises(ServiceError, match="only an accepted offer"):
        services.vary_offer(actor=world.csa, offer=offer, reason="again")


def test_withdrawing_an_accepted_offer_keeps_the_reason_for_the_comparison(world):
    old, new = revision(world)
    offer = accepted_offer(new)
    with pytest.raises(ServiceError, match="why the offer is withdrawn"):
        services.withdraw_accepted_offer(actor=world.csa, offer=offer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.withdraw_accepted_offer(actor=world.provider, offer=offer, reason="x")
    services.withdraw_accepted_offer(actor=world.csa, offer=offer, reason="Delivered by the authority itself")
    offer.refresh_from_db()
    assert offer.status == O.WITHDRAWN
    assert offer.history.first().history_change_reason.endswith("Delivered by the authority itself")
    rows, summary = compare_plans(old, new, world.dcs)
    [row] = rows
    withdrawn = [o for o in row["offers"] if o["tag"] == "withdrawn"]
    assert withdrawn
    assert withdrawn[0]["reason"] == "Delivered by the authority itself"
    with pytest.raises(ServiceError, match="only an accepted offer"):
        services.withdraw_accepted_offer(actor=world.csa, offer=offer, reason="again")


def test_a_priority_whose_offers_are_all_accepted_is_removed_with_a_reason(world):
    old, new = revision(world)
    priority = Priority.objects.get(jisp=new)
    with pytest.raises(ServiceError, match="why the priority is removed"):
        services.remove_accepted_priority(actor=world.csa, priority=priority, reason="")
    with pytest.raises(PermissionDenied):
        services.remove_accepted_priority(actor=world.dcs, priority=priority, reason="x")
    # the plain removal still refuses a priority with live offers
    with pytest.raises(ServiceError, match="not withdrawn"):
        services.remove_priority(actor=world.csa, priority=priority)
    services.remove_accepted_priority(actor=world.csa, priority=priority, reason="Met early")
    assert not Priority.objects.filter(jisp=new).exists()
    rows, _ = compare_plans(old, new, world.csa)
    assert rows[0]["tag"] == "removed"
    assert rows[0]["reason"] == "Met early"


def test_a_priority_with_an_open_offer_or_outside_a_revision_is_not_removed(world):
    old, new = revision(world)
    priority = Priority.objects.get(jisp=new)
    services.vary_offer(actor=world.csa, offer=accepted_offer(new), reason="x")
    with pytest.raises(ServiceError, match="still open"):
        services.remove_accepted_priority(actor=world.csa, priority=priority, reason="x")
    with pytest.raises(ServiceError, match="draft revision"):
        services.remove_accepted_priority(actor=world.csa, priority=Priority.objects.get(jisp=old), reason="x")


def _deployment_plan(world, jisp):
    plan = DeploymentPlan(
        jisp=jisp,
        provider=world.tfc,
        original_name="tfc.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=world.csa,
    )
    plan.file.save("tfc.pdf", ContentFile(PDF), save=False)
    plan.save()
    return plan


def test_deployment_plans_carry_over_and_stay_on_the_approved_plan(world):
    old = build_plan(world, S.APPROVED)
    kept = _deployment_plan(world, old)
    with pytest.raises(ServiceError, match="signed-off PDF lists"):
        services.remove_deployment_plan(actor=world.csa, deployment_plan=kept)
    new = services.revise(actor=world.csa, jisp=old)
    copy = DeploymentPlan.objects.get(jisp=new)
    assert copy.file.name == kept.file.name
    services.remove_deployment_plan(actor=world.csa, deployment_plan=copy)
    assert DeploymentPlan.objects.filter(pk=kept.pk).exists()
    assert kept.file.storage.exists(kept.file.name)  # the approved plan's file stays


def test_a_provider_uploads_the_deployment_plan_of_its_own_offer(world):
    jisp = build_plan(world, S.DRAFT)
    offer = accepted_offer(jisp)
    upload = SimpleUploadedFile("tfc-plan.pdf", PDF, content_type="application/pdf")
    plan = services.upload_offer_deployment_plan(actor=world.provider, offer=offer, upload=upload)
    assert plan.provider == world.tfc
    assert plan.jisp == jisp
    with pytest.raises(PermissionDenied):
        services.upload_offer_deployment_plan(
            actor=world.provider_other, offer=offer, upload=SimpleUploadedFile("x.pdf", PDF)
        )
    withdrawn = Offer.objects.get(priority__jisp=jisp, status=O.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        services.upload_offer_deployment_plan(actor=world.provider, offer=withdrawn, upload=upload)
    with pytest.raises(ServiceError, match="withdrawn"):
        services.upload_offer_deployment_plan(actor=world.csa, offer=withdrawn, upload=upload)


# --- the authority's "not tailored" mark ----------------------------------------------------------


def submitted_offer(world, status=S.WITH_AUTHORITY, period="2009-10"):
    jisp = build_plan(world, status, period=period, offers=[(world.tfc, O.SUBMITTED, "A generic programme")])
    return Offer.objects.get(priority__jisp=jisp)


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_the_authority_marks_a_submitted_offer_not_tailored(world, role):
    offer = submitted_offer(world)
    services.flag_offer_not_tailored(actor=world.users[role], offer=offer, reason="Not about our centres")
    offer.refresh_from_db()
    assert offer.authority_concern == "Not about our centres"
    assert offer.authority_concern_by == world.users[role]
    assert emails(world.csa.email, "offer-not-tailored").count() == 1


@pytest.mark.parametrize("decide", ["challenge", "accept"])
def test_the_csas_decision_clears_the_mark(world, decide):
    offer = submitted_offer(world)
    services.flag_offer_not_tailored(actor=world.dcs, offer=offer, reason="Generic")
    if decide == "challenge":
        services.challenge_offer(actor=world.csa, offer=offer, reason="The authority says it is generic")
    else:
        services.accept_offer(actor=world.csa, offer=offer)
    offer.refresh_from_db()
    assert offer.authority_concern == ""
    assert offer.authority_concern_by is None


def test_the_mark_is_refused_out_of_state_or_for_others(world):
    offer = submitted_offer(world, S.DRAFT, period="2010-11")
    with pytest.raises(ServiceError, match="with the authority"):
        services.flag_offer_not_tailored(actor=world.dcs, offer=offer, reason="x")
    offer = submitted_offer(world)
    for role in ("csa", "dcs_other", "provider"):
        with pytest.raises(PermissionDenied):
            services.flag_offer_not_tailored(actor=world.users[role], offer=offer, reason="x")
    with pytest.raises(ServiceError, match="not tailored"):
        services.flag_offer_not_tailored(actor=world.dcs, offer=offer, reason="")
    accepted = accepted_offer(build_plan(world, S.WITH_AUTHORITY, period="2011-12"))
    with pytest.raises(ServiceError, match="only a submitted offer"):
        services.flag_offer_not_tailored(actor=world.dcs, offer=accepted, reason="x")


# --- the notes of a row ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["csa", "dcs", "la_officer"])
def test_the_csa_and_the_authority_write_a_rows_notes(world, role):
    priority = Priority.objects.get(jisp=build_plan(world, S.WITH_AUTHORITY))
    services.write_row_notes(
        actor=world.users[role], priority=priority, notes="Link to the CAMHS review", lock_version=0
    )
    priority.refresh_from_db()
    assert priority.notes == "Link to the CAMHS review"
    assert priority.history.first().history_user == world.users[role]


def test_row_notes_refused_for_providers_when_signed_off_or_stale(world):
    priority = Priority.objects.get(jisp=build_plan(world, S.DRAFT))
    for role in ("provider", "go_director", "dcs_other"):
        with pytest.raises(PermissionDenied):
            services.write_row_notes(actor=world.users[role], priority=priority, notes="x", lock_version=0)
    services.write_row_notes(actor=world.csa, priority=priority, notes="first", lock_version=0)
    with pytest.raises(StaleEditError):
        services.write_row_notes(actor=world.dcs, priority=priority, notes="second", lock_version=0)
    approved = Priority.objects.get(jisp=build_plan(world, S.APPROVED, period="2011-12"))
    with pytest.raises(ServiceError, match="approved"):
        services.write_row_notes(actor=world.csa, priority=approved, notes="x", lock_version=0)


# --- the authority's own support ------------------------------------------------------------------


def test_the_dcs_records_own_support_which_carries_into_a_revision(world):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    own = services.add_own_support(
        actor=world.dcs, jisp=jisp, source="csp", description="Commissioning Support Programme", cost=Decimal("2500")
    )
    assert own.recorded_by == world.dcs
    services.approve(actor=world.dcs, jisp=jisp, version=1)
    with pytest.raises(ServiceError, match="approved"):
        services.add_own_support(actor=world.dcs, jisp=jisp, source="c4eo", description="x")
    with pytest.raises(ServiceError, match="approved"):
        services.remove_own_support(actor=world.dcs, own_support=own)
    new = services.revise(actor=world.csa, jisp=jisp)
    copy = OwnSupport.objects.get(jisp=new)
    assert (copy.source, copy.cost) == ("csp", Decimal("2500.00"))
    services.remove_own_support(actor=world.dcs, own_support=copy)
    assert not OwnSupport.objects.filter(jisp=new).exists()


def test_own_support_refused_for_others_and_bad_input(world):
    jisp = build_plan(world, S.DRAFT)
    for role in ("csa", "la_officer", "dcs_other", "provider"):
        with pytest.raises(PermissionDenied):
            services.add_own_support(actor=world.users[role], jisp=jisp, source="c4eo", description="x")
    with pytest.raises(ServiceError, match="where the support comes from"):
        services.add_own_support(actor=world.dcs, jisp=jisp, source="riep", description="x")
    with pytest.raises(ServiceError, match="support the authority takes up"):
        services.add_own_support(actor=world.dcs, jisp=jisp, source="c4eo", description="")
    with pytest.raises(ServiceError, match="negative"):
        services.add_own_support(actor=world.dcs, jisp=jisp, source="c4eo", description="x", cost=Decimal("-1"))
