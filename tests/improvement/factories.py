"""Builders for sector-led improvement tests, on the ``world`` fixture (the default framework comes
from the app's migration: five areas, the first four on Outstanding / Good / Satisfactory /
Inadequate, use of resources on its own scale)."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from improvement.framework import ensure_default_framework
from improvement.models import (
    Brokerage,
    Finding,
    FrameworkProvider,
    InspectionRecord,
    JudgementLevel,
    PeerChallenge,
    PeerChallengeMember,
    ReciprocityEntry,
    SelfAssessment,
    SelfAssessmentArea,
)
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory
from tests.plans.factories import JISPFactory

YEAR = "2026-27"
STARTS, ENDS = date(2026, 11, 16), date(2026, 11, 18)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
S = PeerChallenge.Status
M = PeerChallengeMember.Status


def framework():
    """The current framework (the default one, made again if a flushing test emptied the table)."""
    return ensure_default_framework()


def areas():
    return list(framework().areas.order_by("order"))


def level(area, rank=2):
    return JudgementLevel.objects.get(area=area, rank=rank)


def dcs_of(authority, email=None, **extra):
    """A DCS for ``authority`` (made its DCS)."""
    user = UserFactory(
        email=email or f"dcs.{authority.gss_code.lower()}@example.gov.uk",
        role=Role.DCS,
        authority=authority,
        region=authority.region,
        **extra,
    )
    authority.dcs = user
    authority.save(update_fields=["dcs"])
    return user


def authority_with_dcs(name, gss_code, region, **extra):
    authority = LocalAuthorityFactory(name=name, gss_code=gss_code, region=region)
    return authority, dcs_of(authority, **extra)


def make_lead(user):
    user.is_regional_lead = True
    user.save(update_fields=["is_regional_lead"])
    return user


def self_assessment(authority, *, year=YEAR, shared=False, complete=True, rank=2):
    """A self-assessment with an answer per area (judged ``rank`` with evidence when ``complete``)."""
    sa = SelfAssessment.objects.create(
        authority=authority,
        year=year,
        framework=framework(),
        status=SelfAssessment.Status.SHARED if shared else SelfAssessment.Status.DRAFT,
        summary="We know ourselves well." if complete else "",
        shared_at=timezone.now() if shared else None,
    )
    for area in areas():
        SelfAssessmentArea.objects.create(
            self_assessment=sa,
            area=area,
            judgement=level(area, rank) if complete else None,
            evidence=f"Evidence for {area.title}" if complete else "",
        )
    return sa


def challenge(sa, lead, *, status=S.PLANNED, starts_on=STARTS, ends_on=ENDS, **fields):
    return PeerChallenge.objects.create(
        authority=sa.authority,
        self_assessment=sa,
        lead=lead,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        **fields,
    )


def member(challenge, user, *, status=M.ACCEPTED, days=Decimal("3")):
    return PeerChallengeMember.objects.create(
        peer_challenge=challenge, user=user, authority_id=user.authority_id, days=days, status=status
    )


def findings(challenge, *, rank=2, improvements="Audits do not drive practice\nSupervision is not recorded"):
    """A finding on every area (the first with areas for improvement)."""
    made = []
    for i, area in enumerate(areas()):
        made.append(
            Finding.objects.create(
                peer_challenge=challenge,
                area=area,
                judgement=level(area, rank),
                strengths=f"Strengths in {area.title}",
                areas_for_improvement=improvements if i == 1 else "",
            )
        )
    return made


def issued(challenge):
    """The challenge with its letter issued and its PDF stored."""
    challenge.status = S.LETTER_ISSUED
    challenge.letter = "Dear Director, thank you."
    challenge.letter_issued_at = timezone.now()
    challenge.letter_issued_by = challenge.lead
    challenge.response = "We accept the findings."
    challenge.letter_pdf.save(f"letter-{challenge.pk}.pdf", ContentFile(PDF), save=False)
    challenge.save()
    return challenge


def entry(person, giving, receiving, days, *, year=YEAR, given_on=ENDS, challenge=None):
    return ReciprocityEntry.objects.create(
        person=person,
        giving_authority=giving,
        receiving_authority=receiving,
        peer_challenge=challenge,
        year=year,
        given_on=given_on,
        days=Decimal(str(days)),
    )


def framework_provider(provider):
    return FrameworkProvider.objects.get_or_create(provider=provider)[0]


def inspection(authority, **fields):
    fields.setdefault("title", "Inspection of safeguarding and looked after children services")
    fields.setdefault("published_on", date(2026, 6, 14))
    fields.setdefault("overall", InspectionRecord.Judgement.SATISFACTORY)
    fields.setdefault("areas_for_improvement", "Improve the quality of assessments\nReduce social worker caseloads")
    return InspectionRecord.objects.create(authority=authority, **fields)


def brokerage(challenge, broker, **fields):
    plan = JISPFactory(authority=challenge.authority, period=YEAR, csa=broker)
    return Brokerage.objects.create(
        authority=challenge.authority, peer_challenge=challenge, broker=broker, support_plan=plan, **fields
    )
