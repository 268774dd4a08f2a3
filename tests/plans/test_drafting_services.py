"""The drafting services: starting a plan, priorities, needs, good practice and deployment plans,
with their permission and state refusals, stale-save refusals and upload checks."""

import io
import os
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ServiceError, StaleEditError
from plans import services
from plans.models import JISP, DeploymentPlan, GoodPractice, Need, Offer, Priority
from tests.authorities.factories import NationalIndicatorFactory
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft(world, status=S.DRAFT, **kw):
    return JISPFactory(authority=world.newcastle, status=status, csa=world.csa, **kw)


def office_zip(part):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


# --- starting a plan ------------------------------------------------------------------------------


def test_the_lead_csa_starts_a_plan_in_draft(world):
    jisp = services.create_jisp(actor=world.csa, authority=world.newcastle, period="2010-11")
    assert (jisp.status, jisp.version, jisp.csa) == (S.DRAFT, 1, world.csa)
    assert jisp.history.first().history_user == world.csa


def test_a_second_plan_for_the_period_is_refused_pointing_at_the_first(world):
    first = services.create_jisp(actor=world.csa, authority=world.newcastle, period="2010-11")
    with pytest.raises(ServiceError, match="already has a plan for 2010-11") as caught:
        services.create_jisp(actor=world.csa, authority=world.newcastle, period="2010-11")
    assert caught.value.details == [first]
    assert caught.value.field == "period"
    assert JISP.objects.count() == 1


@pytest.mark.parametrize("period", ["2010-12", "2010", "10-11", "2010/11"])
def test_a_malformed_period_is_refused(world, period):
    with pytest.raises(ServiceError) as caught:
        services.create_jisp(actor=world.csa, authority=world.newcastle, period=period)
    assert caught.value.field == "period"


@pytest.mark.parametrize("role", ["csa_other", "go_director", "dcs", "la_officer", "admin", "provider", "national"])
def test_only_the_lead_csa_starts_a_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.create_jisp(actor=world.users[role], authority=world.newcastle, period="2010-11")


# --- priorities -----------------------------------------------------------------------------------


def test_add_priority_with_indicators_and_workforce_flag_at_the_end(world):
    jisp = draft(world)
    ni = NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    first = services.add_priority(actor=world.csa, jisp=jisp, title="  Reduce teenage pregnancy ", indicators=[ni])
    second = services.add_priority(actor=world.csa, jisp=jisp, title="Workforce", is_workforce=True)
    assert first.title == "Reduce teenage pregnancy"
    assert list(first.indicators.all()) == [ni]
    assert (first.order, second.order, second.is_workforce) == (1, 2, True)
    assert first.history.first().history_user == world.csa


def test_priority_indicators_as_objects_or_ids_and_an_unknown_id_is_refused(world):
    jisp = draft(world)
    ni112 = NationalIndicatorFactory(number=112)
    ni109 = NationalIndicatorFactory(number=109)
    priority = services.add_priority(actor=world.csa, jisp=jisp, title="P", indicators=[ni112.pk, ni109, ni112])
    assert sorted(ni.number for ni in priority.indicators.all()) == [109, 112]
    with pytest.raises(ServiceError, match=f"no National Indicator with the id {ni109.pk + 100}") as caught:
        services.edit_priority(
            actor=world.csa, priority=priority, lock_version=0, title="Q", indicators=[ni112, ni109.pk + 100]
        )
    assert caught.value.field == "indicators"
    with pytest.raises(ServiceError, match="Select National Indicators from the list"):
        services.add_priority(actor=world.csa, jisp=jisp, title="R", indicators=["NI 112"])
    priority.refresh_from_db()
    assert priority.title == "P"
    assert priority.lock_version == 0
    assert jisp.priorities.count() == 1


def test_add_priority_needs_a_title(world):
    with pytest.raises(ServiceError, match="Enter the priority"):
        services.add_priority(actor=world.csa, jisp=draft(world), title="  ")


@pytest.mark.parametrize("role", ["dcs", "la_officer", "go_director", "csa_other", "admin", "provider"])
def test_only_the_lead_csa_adds_priorities(world, role):
    with pytest.raises(PermissionDenied):
        services.add_priority(actor=world.users[role], jisp=draft(world), title="P")


@pytest.mark.parametrize("status", [S.AWAITING_APPROVAL, S.APPROVED, S.SUPERSEDED])
def test_priorities_cannot_change_once_the_plan_is_past_review(world, status):
    jisp = draft(world, status=status)
    priority = PriorityFactory(jisp=jisp)
    with pytest.raises(ServiceError, match="cannot add a priority"):
        services.add_priority(actor=world.csa, jisp=jisp, title="P")
    with pytest.raises(ServiceError):
        services.edit_priority(actor=world.csa, priority=priority, lock_version=0, title="Changed")
    with pytest.raises(ServiceError):
        services.remove_priority(actor=world.csa, priority=priority)


def test_priorities_can_change_while_with_the_authority(world):
    jisp = draft(world, status=S.WITH_AUTHORITY)
    assert services.add_priority(actor=world.csa, jisp=jisp, title="Late addition").pk


def test_edit_priority_bumps_the_lock_version_and_refuses_a_stale_save(world):
    priority = PriorityFactory(jisp=draft(world), title="Old")
    ni = NationalIndicatorFactory(number=109)
    services.edit_priority(actor=world.csa, priority=priority, lock_version=0, title="New", indicators=[ni])
    priority.refresh_from_db()
    assert (priority.title, priority.lock_version, list(priority.indicators.all())) == ("New", 1, [ni])
    with pytest.raises(StaleEditError) as caught:
        services.edit_priority(actor=world.csa, priority=priority, lock_version=0, title="Mine")
    assert "changed by Chris Adviser" in caught.value.message
    priority.refresh_from_db()
    assert priority.title == "New"


def test_reorder_and_move_priorities(world):
    jisp = draft(world)
    a, b, c = (services.add_priority(actor=world.csa, jisp=jisp, title=t) for t in "ABC")
    services.reorder_priorities(actor=world.csa, jisp=jisp, order=[c.pk, a.pk, b.pk])
    assert list(Priority.objects.filter(jisp=jisp).order_by("order").values_list("title", flat=True)) == list("CAB")
    services.move_priority(actor=world.csa, priority=a, direction="up")
    assert list(Priority.objects.filter(jisp=jisp).order_by("order").values_list("title", flat=True)) == list("ACB")
    services.move_priority(actor=world.csa, priority=a, direction="up")  # already first: no change
    assert Priority.objects.get(pk=a.pk).order == 1
    with pytest.raises(ServiceError, match="changed while you were reordering"):
        services.reorder_priorities(actor=world.csa, jisp=jisp, order=[a.pk, b.pk])
    with pytest.raises(PermissionDenied):
        services.move_priority(actor=world.dcs, priority=a, direction="down")


def test_remove_priority_with_its_needs_renumbers_the_rest(world):
    jisp = draft(world)
    a, b = (services.add_priority(actor=world.csa, jisp=jisp, title=t) for t in "AB")
    NeedFactory(priority=a)
    services.remove_priority(actor=world.csa, priority=a)
    assert list(Priority.objects.filter(jisp=jisp).values_list("title", "order")) == [("B", 1)]
    assert not Need.objects.exists()
    assert Priority.history.filter(id=a.pk, history_type="-").get().history_user == world.csa


def test_remove_priority_refused_while_it_has_live_offers(world):
    priority = PriorityFactory(jisp=draft(world))
    OfferFactory(priority=priority, provider=world.tfc, status=Offer.Status.SUBMITTED)
    with pytest.raises(ServiceError, match="Withdraw them"):
        services.remove_priority(actor=world.csa, priority=priority)
    Offer.objects.update(status=Offer.Status.WITHDRAWN)
    services.remove_priority(actor=world.csa, priority=priority)
    assert not Priority.objects.exists()


# --- needs ----------------------------------------------------------------------------------------


def test_the_csa_adds_a_need_from_the_workforce_tool(world):
    priority = PriorityFactory(jisp=draft(world))
    need = services.add_need(
        actor=world.csa, priority=priority, description="Common induction", from_workforce_tool=True
    )
    assert need.from_workforce_tool
    assert not need.proposed_by_authority
    assert need.order == 1


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
@pytest.mark.parametrize("status", [S.DRAFT, S.WITH_AUTHORITY])
def test_the_authority_proposes_needs_marked_as_theirs(world, role, status):
    priority = PriorityFactory(jisp=draft(world, status=status))
    need = services.propose_need(actor=world.users[role], priority=priority, description="Outreach")
    assert need.proposed_by_authority
    assert need.proposed_by == world.users[role]
    assert need.history.first().history_user == world.users[role]


def test_the_csa_proposing_a_need_adds_an_ordinary_one(world):
    need = services.propose_need(actor=world.csa, priority=PriorityFactory(jisp=draft(world)), description="X")
    assert not need.proposed_by_authority


def test_the_authority_cannot_propose_once_the_plan_is_awaiting_approval(world):
    priority = PriorityFactory(jisp=draft(world, status=S.AWAITING_APPROVAL))
    with pytest.raises(ServiceError):
        services.propose_need(actor=world.dcs, priority=priority, description="Too late")


@pytest.mark.parametrize("role", ["dcs_other", "go_director", "provider", "national", "csa_other"])
def test_others_cannot_propose_needs(world, role):
    with pytest.raises(PermissionDenied):
        services.propose_need(actor=world.users[role], priority=PriorityFactory(jisp=draft(world)), description="X")


def test_the_authority_cannot_add_edit_or_remove_needs_directly(world):
    priority = PriorityFactory(jisp=draft(world))
    need = NeedFactory(priority=priority)
    with pytest.raises(PermissionDenied):
        services.add_need(actor=world.dcs, priority=priority, description="X")
    with pytest.raises(PermissionDenied):
        services.edit_need(actor=world.dcs, need=need, lock_version=0, description="X")
    with pytest.raises(PermissionDenied):
        services.remove_need(actor=world.la_officer, need=need)


def test_edit_need_refuses_a_stale_save_and_remove_need_keeps_its_offers(world):
    priority = PriorityFactory(jisp=draft(world))
    need = NeedFactory(priority=priority, description="Old")
    services.edit_need(actor=world.csa, need=need, lock_version=0, description="New", from_workforce_tool=True)
    with pytest.raises(StaleEditError):
        services.edit_need(actor=world.csa, need=need, lock_version=0, description="Mine")
    need.refresh_from_db()
    assert (need.description, need.from_workforce_tool) == ("New", True)
    offer = OfferFactory(priority=priority, need=need, provider=world.tfc)
    services.remove_need(actor=world.csa, need=need)
    offer.refresh_from_db()
    assert offer.need is None
    assert offer.priority == priority


def test_a_need_needs_a_description(world):
    with pytest.raises(ServiceError, match="Enter the need"):
        services.add_need(actor=world.csa, priority=PriorityFactory(jisp=draft(world)), description=" ")


# --- good practice --------------------------------------------------------------------------------


def test_good_practice_add_edit_remove_with_stale_refusal(world):
    jisp = draft(world)
    good = services.add_good_practice(actor=world.csa, jisp=jisp, area="Youth participation", description="Council")
    seen = services.good_practice_fingerprint(good)
    services.edit_good_practice(actor=world.csa, good_practice=good, fingerprint=seen, area="Youth voice")
    with pytest.raises(StaleEditError):
        services.edit_good_practice(actor=world.csa, good_practice=good, fingerprint=seen, area="Mine")
    assert GoodPractice.objects.get().area == "Youth voice"
    with pytest.raises(PermissionDenied):
        services.remove_good_practice(actor=world.dcs, good_practice=good)
    services.remove_good_practice(actor=world.csa, good_practice=good)
    assert not GoodPractice.objects.exists()


def test_good_practice_refused_after_review_and_for_others(world):
    with pytest.raises(ServiceError):
        services.add_good_practice(actor=world.csa, jisp=draft(world, status=S.APPROVED), area="X")
    with pytest.raises(PermissionDenied):
        services.add_good_practice(actor=world.go_director, jisp=draft(world, period="2011-12"), area="X")


# --- deployment plans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("NS plan.pdf", PDF, "application/pdf"),
        ("plan.docx", office_zip("word/document.xml"), "wordprocessingml"),
        ("plan.XLSX", office_zip("xl/workbook.xml"), "spreadsheetml"),
    ],
)
def test_upload_a_deployment_plan_stored_under_a_generated_name(world, name, content, content_type):
    jisp = draft(world)
    plan = services.upload_deployment_plan(
        actor=world.csa, jisp=jisp, provider=world.ns, upload=SimpleUploadedFile(name, content)
    )
    assert plan.original_name == name
    assert content_type in plan.content_type
    assert plan.size == len(content)
    stored = plan.file.name
    assert stored.startswith("deployment_plans/jisp-")
    assert name not in stored
    with plan.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00 renamed executable", "must be a PDF, DOCX or XLSX"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "must be a PDF, DOCX or XLSX"),
        ("plan.exe", PDF, "must be a PDF, DOCX or XLSX"),
        ("archive.docx", office_zip("readme.txt"), "must be a PDF, DOCX or XLSX"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "must be a PDF, DOCX or XLSX"),
        ("plan.docx", PDF, "is a PDF but its name ends .docx"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_upload_refuses_what_is_not_a_pdf_docx_or_xlsx(world, name, content, message):
    with pytest.raises(ServiceError, match=message):
        services.upload_deployment_plan(
            actor=world.csa, jisp=draft(world), provider=world.ns, upload=SimpleUploadedFile(name, content)
        )
    assert not DeploymentPlan.objects.exists()


def test_upload_refuses_more_than_20_mb(world):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ServiceError, match="smaller than 20.0\xa0MB"):
        services.upload_deployment_plan(actor=world.csa, jisp=draft(world), provider=world.ns, upload=big)


def test_upload_and_remove_permission_and_state(world, django_capture_on_commit_callbacks):
    jisp = draft(world)
    with pytest.raises(PermissionDenied):
        services.upload_deployment_plan(
            actor=world.dcs, jisp=jisp, provider=world.ns, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    plan = services.upload_deployment_plan(
        actor=world.csa, jisp=jisp, provider=world.ns, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    path = plan.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_deployment_plan(actor=world.csa, deployment_plan=plan)
    assert not DeploymentPlan.objects.exists()
    assert not os.path.exists(path)
    superseded = draft(world, status=S.SUPERSEDED, period="2008-09")
    with pytest.raises(ServiceError):
        services.upload_deployment_plan(
            actor=world.csa, jisp=superseded, provider=world.ns, upload=SimpleUploadedFile("a.pdf", PDF)
        )
