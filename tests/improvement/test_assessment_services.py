"""The self-assessment services: started against the current framework with the plan's National
Indicators as its local profile, written by the authority, private until its DCS shares it, frozen
once shared; evidence checked by content."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OutboundEmail
from core.errors import ServiceError, StaleEditError
from improvement import services
from improvement.models import Evidence, SelfAssessment
from tests.authorities.factories import NationalIndicatorFactory
from tests.improvement.factories import PDF, YEAR, areas, level, make_lead, self_assessment
from tests.plans.factories import JISPFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def test_start_makes_an_answer_per_area_and_the_local_profile_of_the_plan_in_force(world):
    ni112 = NationalIndicatorFactory(number=112, title="Under 18 conception rate")
    ni109 = NationalIndicatorFactory(number=109, title="Delivery of Sure Start Children's Centres")
    ni50 = NationalIndicatorFactory(number=50, title="Emotional health of children")
    approved = JISPFactory(authority=world.newcastle, period="2009-10", status="approved")
    PriorityFactory(jisp=approved).indicators.set([ni112, ni109])
    draft = JISPFactory(authority=world.newcastle, period="2010-11")  # newer, but not in force yet
    PriorityFactory(jisp=draft).indicators.set([ni50])

    sa = services.start_self_assessment(actor=world.la_officer, authority=world.newcastle, year=YEAR)

    assert sa.status == SelfAssessment.Status.DRAFT
    assert sa.framework.is_current
    assert [a.area.title for a in sa.answers.order_by("area__order")] == [a.title for a in areas()]
    assert [p.indicator.number for p in sa.profile.order_by("indicator__number")] == [109, 112]
    assert sa.history.first().history_user == world.la_officer


def test_start_is_for_the_authority_alone_and_once_a_year(world):
    with pytest.raises(PermissionDenied):
        services.start_self_assessment(actor=world.dcs_other, authority=world.newcastle, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.start_self_assessment(actor=world.csa, authority=world.newcastle, year=YEAR)
    first = services.start_self_assessment(actor=world.dcs, authority=world.newcastle, year=YEAR)
    with pytest.raises(ServiceError) as refused:
        services.start_self_assessment(actor=world.la_officer, authority=world.newcastle, year=YEAR)
    assert refused.value.details == [first]
    with pytest.raises(ServiceError, match="2009-10"):
        services.start_self_assessment(actor=world.dcs, authority=world.newcastle, year="2009-11")


def test_an_area_is_judged_on_its_own_scale_with_a_lock_version(world):
    sa = self_assessment(world.newcastle, complete=False)
    safeguarding, resources = sa.answers.get(area__order=2), sa.answers.get(area__order=5)
    with pytest.raises(ServiceError, match="scale of Use of resources"):
        services.answer_area(
            actor=world.dcs,
            answer=resources,
            judgement=level(safeguarding.area, 1),
            evidence="x",
            lock_version=0,
        )
    saved = services.answer_area(
        actor=world.dcs, answer=resources, judgement=level(resources.area, 2), evidence="Costs fell", lock_version=0
    )
    assert saved.judgement.label == "Performs well"
    assert saved.lock_version == 1
    with pytest.raises(StaleEditError):
        services.answer_area(actor=world.la_officer, answer=resources, judgement=None, evidence="Stale", lock_version=0)
    resources.refresh_from_db()
    assert resources.evidence == "Costs fell"


def test_sharing_needs_every_area_and_the_self_evaluation_and_tells_the_regional_leads(world):
    lead = make_lead(world.admin)
    sa = self_assessment(world.newcastle, complete=False)
    with pytest.raises(PermissionDenied):
        services.share_self_assessment(actor=world.la_officer, self_assessment=sa)
    with pytest.raises(ServiceError, match="overall self-evaluation"):
        services.share_self_assessment(actor=world.dcs, self_assessment=sa)
    services.save_summary(actor=world.la_officer, self_assessment=sa, summary="We know ourselves", lock_version=0)
    with pytest.raises(ServiceError, match="Still to do: Outcomes") as refused:
        services.share_self_assessment(actor=world.dcs, self_assessment=sa)
    assert len(refused.value.details) == 5
    for answer in sa.answers.select_related("area"):
        services.answer_area(
            actor=world.dcs, answer=answer, judgement=level(answer.area), evidence="Shown", lock_version=0
        )

    shared = services.share_self_assessment(actor=world.dcs, self_assessment=sa)

    assert shared.status == SelfAssessment.Status.SHARED
    assert shared.shared_by == world.dcs
    assert OutboundEmail.objects.filter(key=f"self-assessment-shared:{sa.pk}", recipient=lead.email).exists()
    answer = sa.answers.first()
    with pytest.raises(ServiceError, match="shared for peer challenge"):
        services.answer_area(actor=world.dcs, answer=answer, judgement=None, evidence="Later", lock_version=1)
    with pytest.raises(ServiceError, match="shared for peer challenge"):
        services.save_summary(actor=world.dcs, self_assessment=sa, summary="Later", lock_version=shared.lock_version)


def test_the_draft_is_private_to_the_authority(world):
    sa = self_assessment(world.newcastle)
    make_lead(world.admin)
    seen_by = {role for role in world.users if SelfAssessment.objects.visible_to(world.users[role]).filter(pk=sa.pk)}
    assert seen_by == {"dcs", "la_officer"}
    sa.status = SelfAssessment.Status.SHARED
    sa.save()
    seen_by = {role for role in world.users if SelfAssessment.objects.visible_to(world.users[role]).filter(pk=sa.pk)}
    assert seen_by == {"dcs", "la_officer", "admin"}  # the admin as a regional lead of every region


def test_the_local_profile_is_saved_line_by_line(world):
    ni = NationalIndicatorFactory(number=112)
    plan = JISPFactory(authority=world.newcastle, period="2009-10", status="approved")
    PriorityFactory(jisp=plan).indicators.set([ni])
    sa = services.start_self_assessment(actor=world.dcs, authority=world.newcastle, year=YEAR)
    line = sa.profile.get()
    services.save_profile(actor=world.la_officer, self_assessment=sa, entries={line.pk: ("41.2 per 1,000", "Falling")})
    line.refresh_from_db()
    assert (line.figure, line.comment) == ("41.2 per 1,000", "Falling")
    with pytest.raises(ServiceError):
        services.save_profile(actor=world.dcs, self_assessment=sa, entries={line.pk + 999: ("1", "")})


def test_evidence_is_checked_by_content_and_kept_for_the_area(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sa = self_assessment(world.newcastle)
    answer = sa.answers.get(area__order=2)
    script = SimpleUploadedFile("audit.pdf", b"#!/bin/sh\necho hi\n")
    with pytest.raises(ServiceError, match="must be a PDF"):
        services.upload_evidence(actor=world.dcs, self_assessment=sa, upload=script, title="Audit")
    upload = SimpleUploadedFile("../../audit.pdf", PDF)
    evidence = services.upload_evidence(
        actor=world.la_officer, self_assessment=sa, upload=upload, title="Case file audit", answer=answer
    )
    assert evidence.answer == answer
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.file.name.startswith("self_assessment_evidence/sa-")
    assert ".." not in evidence.file.name
    assert evidence.file.read() == PDF
    with pytest.raises(PermissionDenied):
        services.remove_evidence(actor=world.dcs_other, evidence=evidence)
    services.remove_evidence(actor=world.dcs, evidence=evidence)
    assert not Evidence.objects.exists()
    trail = [(h.history_type, h.history_user) for h in Evidence.history.order_by("history_date")]
    assert trail == [("+", world.la_officer), ("-", world.dcs)]


def test_days_must_be_positive_in_the_ledger_model(world):
    from django.db import IntegrityError, transaction

    from tests.improvement.factories import entry

    with pytest.raises(IntegrityError), transaction.atomic():
        entry(world.dcs_other, world.leeds, world.newcastle, Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(world.dcs, world.newcastle, world.newcastle, 2)
