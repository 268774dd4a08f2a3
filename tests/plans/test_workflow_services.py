"""The plan workflow services: every transition and its refusals, the signed-off PDF and its copies,
revision, and the authority's comments."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail, Role
from authorities.models import NationalIndicator
from core.errors import ServiceError, StaleEditError
from plans import services
from plans.models import JISP, Decision, GoodPractice, Offer, PlanComment, PlanCopy
from plans.tasks import render_jisp_pdf, requeue_missing_pdfs
from providers.models import Provider
from tests.accounts.factories import UserFactory
from tests.matrix.plans_workflow import build_plan
from tests.plans.factories import OfferFactory
from tests.providers.factories import ProviderFactory

S = JISP.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def emails_to(address, key_prefix=""):
    return OutboundEmail.objects.filter(recipient=address, key__startswith=key_prefix)


# --- send to authority / return to draft ----------------------------------------------------------


def test_send_to_authority_moves_draft_to_the_authority_and_emails_it(world):
    jisp = build_plan(world, S.DRAFT)
    services.send_to_authority(actor=world.csa, jisp=jisp)
    jisp.refresh_from_db()
    assert jisp.status == S.WITH_AUTHORITY
    assert jisp.history.first().history_user == world.csa
    assert emails_to(world.dcs.email, "plan-with-authority").count() == 1
    assert emails_to(world.la_officer.email, "plan-with-authority").count() == 1


@pytest.mark.parametrize("role", ["dcs", "la_officer", "go_director", "csa_other", "admin", "provider"])
def test_only_the_lead_csa_sends_the_plan(world, role):
    jisp = build_plan(world, S.DRAFT)
    with pytest.raises(PermissionDenied):
        services.send_to_authority(actor=world.users[role], jisp=jisp)
    jisp.refresh_from_db()
    assert jisp.status == S.DRAFT


def test_send_to_authority_refused_unless_draft(world):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with pytest.raises(ServiceError, match="awaiting approval"):
        services.send_to_authority(actor=world.csa, jisp=jisp)


def test_return_to_draft(world):
    jisp = build_plan(world, S.WITH_AUTHORITY)
    services.return_to_draft(actor=world.csa, jisp=jisp)
    jisp.refresh_from_db()
    assert jisp.status == S.DRAFT
    with pytest.raises(ServiceError):
        services.return_to_draft(actor=world.csa, jisp=jisp)
    with pytest.raises(PermissionDenied):
        services.return_to_draft(actor=world.dcs, jisp=jisp)


# --- send for approval ----------------------------------------------------------------------------


def test_send_for_approval_refused_while_offers_are_open_and_lists_them(world):
    jisp = build_plan(
        world,
        S.WITH_AUTHORITY,
        offers=[
            (world.tfc, Offer.Status.ACCEPTED, "accepted"),
            (world.tfc, Offer.Status.INVITED, "invited"),
            (world.ns, Offer.Status.SUBMITTED, "submitted"),
            (world.ns, Offer.Status.CHALLENGED, "challenged"),
            (world.ns, Offer.Status.WITHDRAWN, "withdrawn"),
        ],
    )
    with pytest.raises(ServiceError) as raised:
        services.send_for_approval(actor=world.csa, jisp=jisp)
    assert "3 offers are still open" in raised.value.message
    assert sorted(o.description for o in raised.value.details) == ["challenged", "invited", "submitted"]
    jisp.refresh_from_db()
    assert jisp.status == S.WITH_AUTHORITY
    assert not OutboundEmail.objects.filter(key__startswith="plan-for-approval").exists()


def test_send_for_approval_emails_the_dcs_once(world):
    jisp = build_plan(world, S.WITH_AUTHORITY)
    services.send_for_approval(actor=world.csa, jisp=jisp)
    jisp.refresh_from_db()
    assert jisp.status == S.AWAITING_APPROVAL
    sent = OutboundEmail.objects.filter(key__startswith="plan-for-approval")
    assert [e.recipient for e in sent] == [world.dcs.email]
    assert "/approve/" in sent[0].body


def test_send_for_approval_refused_from_draft_and_for_others(world):
    jisp = build_plan(world, S.DRAFT)
    with pytest.raises(ServiceError):
        services.send_for_approval(actor=world.csa, jisp=jisp)
    jisp.status = S.WITH_AUTHORITY
    jisp.save()
    with pytest.raises(PermissionDenied):
        services.send_for_approval(actor=world.dcs, jisp=jisp)


# --- the DCS's decision ---------------------------------------------------------------------------


def test_request_changes_needs_comments_and_returns_the_plan(world):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with pytest.raises(ServiceError) as raised:
        services.request_changes(actor=world.dcs, jisp=jisp, comments="   ")
    assert raised.value.field == "comments"
    decision = services.request_changes(actor=world.dcs, jisp=jisp, comments="Add the workforce priority")
    jisp.refresh_from_db()
    assert jisp.status == S.WITH_AUTHORITY
    assert decision.outcome == Decision.Outcome.CHANGES_REQUESTED
    assert decision.decided_by == world.dcs
    mail = emails_to(world.csa.email, "plan-decision").get()
    assert "Add the workforce priority" in mail.body


@pytest.mark.parametrize("role", ["la_officer", "csa", "go_director", "dcs_other", "admin"])
def test_only_the_plans_dcs_decides(world, role):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with pytest.raises(PermissionDenied):
        services.approve(actor=world.users[role], jisp=jisp, version=1)
    with pytest.raises(PermissionDenied):
        services.request_changes(actor=world.users[role], jisp=jisp, comments="No")
    assert not Decision.objects.exists()


def test_an_admin_superuser_cannot_approve(world):
    assert world.admin.is_superuser
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with pytest.raises(PermissionDenied):
        services.approve(actor=world.admin, jisp=jisp, version=jisp.version)


def test_approve_refuses_a_version_other_than_the_one_shown(world):
    jisp = build_plan(world, S.AWAITING_APPROVAL, version=2)
    with pytest.raises(ServiceError, match="You confirmed version 1 but this plan is version 2"):
        services.approve(actor=world.dcs, jisp=jisp, version=1)
    jisp.refresh_from_db()
    assert jisp.status == S.AWAITING_APPROVAL
    assert jisp.approved_at is None


def test_approve_refuses_a_stale_page(world):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with pytest.raises(StaleEditError):
        services.approve(actor=world.dcs, jisp=jisp, version=1, lock_version=jisp.lock_version + 5)


def test_approve_refused_unless_awaiting_approval(world):
    jisp = build_plan(world, S.WITH_AUTHORITY)
    with pytest.raises(ServiceError):
        services.approve(actor=world.dcs, jisp=jisp, version=1)


@pytest.fixture
def riep(world):
    riep = ProviderFactory(name="North East RIEP", abbreviation="NERIEP", kind=Provider.Kind.RIEP)
    riep.regions.set([world.ne])
    adviser = UserFactory(email="riep@example.org", role=Role.PROVIDER_ADVISER, provider=riep)
    other = ProviderFactory(name="Yorkshire RIEP", abbreviation="YHRIEP", kind=Provider.Kind.RIEP)
    other.regions.set([world.yh])
    UserFactory(email="riep.yh@example.org", role=Role.PROVIDER_ADVISER, provider=other)
    return adviser


def test_approve_records_the_decision_renders_the_pdf_and_copies_it_once(
    world, riep, django_capture_on_commit_callbacks
):
    second_tfc = UserFactory(email="second@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=world.tfc)
    UserFactory(email="gone@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=world.tfc, is_active=False)
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.approve(actor=world.dcs, jisp=jisp, version=1, lock_version=jisp.lock_version)
    jisp.refresh_from_db()
    assert jisp.status == S.APPROVED
    assert jisp.approved_by == world.dcs
    assert jisp.approved_at is not None
    assert decision.outcome == Decision.Outcome.APPROVED
    assert jisp.pdf.name.startswith("jisp_pdfs/jisp-")
    assert jisp.pdf.name.endswith(".pdf")
    with jisp.pdf.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == jisp.pdf_sha256
    copied = set(PlanCopy.objects.filter(jisp=jisp).values_list("email", flat=True))
    assert copied == {world.dcs.email, world.provider.email, second_tfc.email, riep.email}
    for address in copied:
        assert emails_to(address, "plan-copy").count() == 1
    assert not emails_to(world.provider_other.email).exists()  # NS withdrew: not in the plan
    assert not emails_to("riep.yh@example.org").exists()  # another region's RIEP
    assert emails_to(world.csa.email, "plan-decision").count() == 1


def test_rendering_twice_keeps_the_same_file_and_sends_nothing_twice(world, riep):
    jisp = build_plan(world, S.APPROVED)
    render_jisp_pdf.delay(jisp.pk)
    jisp.refresh_from_db()
    name, sha, emails = jisp.pdf.name, jisp.pdf_sha256, OutboundEmail.objects.count()
    assert sha
    assert emails == 3
    render_jisp_pdf.delay(jisp.pk)
    jisp.refresh_from_db()
    assert (jisp.pdf.name, jisp.pdf_sha256) == (name, sha)
    assert OutboundEmail.objects.count() == emails
    assert PlanCopy.objects.filter(jisp=jisp).count() == 3


def test_a_broker_outage_delays_the_pdf_and_the_beat_requeues_it(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    jisp = build_plan(world, S.AWAITING_APPROVAL)

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    with monkeypatch.context() as m:
        m.setattr(render_jisp_pdf, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(actor=world.dcs, jisp=jisp, version=1)
    jisp.refresh_from_db()
    assert jisp.status == S.APPROVED
    assert not jisp.pdf
    draft = build_plan(world, S.DRAFT, period="2010-11")
    assert requeue_missing_pdfs.delay().get() == 1
    jisp.refresh_from_db()
    draft.refresh_from_db()
    assert jisp.pdf
    assert jisp.pdf_sha256
    assert not draft.pdf
    assert requeue_missing_pdfs.delay().get() == 0


# --- revision -------------------------------------------------------------------------------------


def test_revise_copies_the_approved_plan_into_a_new_draft_version(world):
    old = build_plan(
        world,
        S.APPROVED,
        offers=[
            (world.tfc, Offer.Status.ACCEPTED, "Accepted TfC support"),
            (world.ns, Offer.Status.WITHDRAWN, "Withdrawn NS offer"),
        ],
    )
    ni = NationalIndicator.objects.create(
        number=109, title="Delivery of Sure Start Children's Centres", ecm_outcome="Be healthy"
    )
    old.priorities.get().indicators.add(ni)
    GoodPractice.objects.create(jisp=old, area="Safeguarding", description="Strong partnership")
    new = services.revise(actor=world.csa, jisp=old)
    old.refresh_from_db()
    assert old.status == S.SUPERSEDED
    assert (new.version, new.status, new.period, new.authority) == (2, S.DRAFT, old.period, old.authority)
    priority = new.priorities.get()
    assert priority.title == "Delivery of Sure Start Children's Centres"
    assert list(priority.indicators.all()) == [ni]
    assert [n.description for n in priority.needs.all()] == ["Re-evaluate the children's centre portfolio"]
    offer = priority.offers.get()
    assert (offer.description, offer.status, offer.days, offer.need.priority) == (
        "Accepted TfC support",
        Offer.Status.ACCEPTED,
        Decimal("3.0"),
        priority,
    )
    assert [g.area for g in new.good_practice.all()] == ["Safeguarding"]
    assert new.history.first().history_user == world.csa


def test_revise_refused_unless_approved_or_for_others(world):
    draft = build_plan(world, S.DRAFT)
    with pytest.raises(ServiceError):
        services.revise(actor=world.csa, jisp=draft)
    approved = build_plan(world, S.APPROVED, period="2010-11")
    for role in ("dcs", "go_director", "admin", "provider"):
        with pytest.raises(PermissionDenied):
            services.revise(actor=world.users[role], jisp=approved)
    services.revise(actor=world.csa, jisp=approved)
    with pytest.raises(ServiceError):
        services.revise(actor=world.csa, jisp=approved)


# --- comments -------------------------------------------------------------------------------------


def test_authority_comments_on_rows_while_with_authority_and_the_csa_resolves(world):
    jisp = build_plan(world, S.WITH_AUTHORITY)
    offer = Offer.objects.get(priority__jisp=jisp, provider=world.tfc)
    comment = services.add_plan_comment(actor=world.la_officer, jisp=jisp, body="More days please", offer=offer)
    assert comment.target_label.startswith("Together for Children offer")
    assert emails_to(world.csa.email, "plan-comment").count() == 1
    with pytest.raises(PermissionDenied):
        services.resolve_plan_comment(actor=world.dcs, comment=comment)
    services.resolve_plan_comment(actor=world.csa, comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_by == world.csa
    assert not comment.is_open
    with pytest.raises(ServiceError, match="already been resolved"):
        services.resolve_plan_comment(actor=world.csa, comment=comment)


def test_comments_refused_outside_the_review_for_other_roles_and_other_plans(world):
    jisp = build_plan(world, S.DRAFT)
    with pytest.raises(ServiceError):
        services.add_plan_comment(actor=world.dcs, jisp=jisp, body="Too early")
    jisp.status = S.WITH_AUTHORITY
    jisp.save()
    for role in ("csa", "dcs_other", "provider", "admin"):
        with pytest.raises(PermissionDenied):
            services.add_plan_comment(actor=world.users[role], jisp=jisp, body="Hello")
    with pytest.raises(ServiceError) as raised:
        services.add_plan_comment(actor=world.dcs, jisp=jisp, body="")
    assert raised.value.field == "body"
    other = build_plan(world, S.WITH_AUTHORITY, period="2010-11")
    with pytest.raises(ServiceError, match="Select a row of this plan"):
        services.add_plan_comment(actor=world.dcs, jisp=jisp, body="Wrong plan", priority=other.priorities.get())
    invited = OfferFactory(priority=jisp.priorities.get(), provider=world.ns, status=Offer.Status.INVITED)
    with pytest.raises(ServiceError):
        services.add_plan_comment(actor=world.dcs, jisp=jisp, body="Hidden offer", offer=invited)
    assert not PlanComment.objects.exists()
