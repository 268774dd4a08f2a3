"""Demo sector-led improvement for seed_demo: the full cycle for Newcastle upon Tyne, driven through
the services as people would — its self-assessment written and shared by its DCS, a peer challenge
set up by the North East's regional lead (the DCS of Sunderland) with a team from Gateshead and
Sunderland, the team's findings, Newcastle's response, the final letter (its PDF queued for the
Celery worker after commit, as plans' demo does with the approved JISP), and a support package
brokered by Newcastle's CSA from the framework list, offered by C4EO and approved by the DCS.

Adds the people the cycle needs: the DCSs of Gateshead and Sunderland and a C4EO adviser. Dates are
relative to today. Idempotent: a cycle already there is left as it is (its letter PDF is queued again
if no worker has rendered it yet)."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import Role, User
from authorities.models import LocalAuthority
from core.working_days import add_working_days, london_date
from plans.services import offers as plan_offers
from plans.services import workflow as plan_workflow
from providers.models import Provider

from . import services
from .framework import ensure_default_framework
from .models import (
    Finding,
    FrameworkProvider,
    JudgementLevel,
    PeerChallenge,
    SelfAssessment,
    financial_year,
)
from .queries import finding_rows


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    role: str
    authority: str = ""
    provider: str = ""
    job_title: str = ""
    regional_lead: bool = False


PEOPLE = [
    Person(
        "dcs.gateshead@demo.test",
        "Grace Hallam",
        Role.DCS,
        authority="Gateshead",
        job_title="Director of Children's Services",
    ),
    Person(
        "dcs.sunderland@demo.test",
        "Sunil Reddy",
        Role.DCS,
        authority="Sunderland",
        job_title="Director of Children's Services; regional lead, North East",
        regional_lead=True,
    ),
    Person(
        "provider.c4eo@demo.test",
        "Cara Specialist",
        Role.PROVIDER_ADVISER,
        provider="C4EO",
        job_title="C4EO Sector Specialist",
    ),
]

#: The framework list: providers approved for brokered support.
FRAMEWORK = [
    ("C4EO", "Sector specialists: safeguarding, leadership and the use of evidence of what works"),
    ("RIEPs", "Regional improvement and efficiency programmes"),
    ("RHA", "Interim leadership and improvement consultancy"),
    ("CfBT", "School improvement and education services"),
]

#: area title → (the authority's judgement, its evidence, the team's judgement, strengths, areas for
#: improvement, reasons)
AREAS = {
    "Outcomes for children and young people": (
        "Good",
        "Most National Indicators improved over three years. Under-18 conceptions (NI 112) fell by 14% since "
        "the 1998 baseline; take-up of children's centres (NI 109) is above statistical neighbours.",
        "Good",
        "Sustained improvement in attainment at Key Stage 2 and in teenage pregnancy rates.",
        "",
        "",
    ),
    "Safeguarding": (
        "Good",
        "All initial assessments completed within 7 working days in 2025-26; the LSCB's annual report found "
        "multi-agency arrangements strong.",
        "Satisfactory",
        "Committed front-line staff; a well-attended LSCB with an independent chair.",
        "Case file audits do not yet drive changes in practice\nThresholds between early help and children's "
        "social care are not understood consistently by partners\nSupervision is not recorded on case files",
        "Timeliness is good, but the team's audit of twelve case files found the quality of assessments "
        "variable and supervision rarely recorded. The self-assessment does not yet recognise this.",
    ),
    "Leadership and management": (
        "Good",
        "A clear Children and Young People's Plan with shared priorities; the Children's Trust Board meets "
        "monthly and tracks the plan's measures.",
        "Good",
        "Ambitious, visible leadership; partners share the priorities of the plan.",
        "Performance reports to members do not show the outcomes for children in care",
        "",
    ),
    "Capacity to improve": (
        "Good",
        "Improvement against every priority of the last plan; a stable senior team.",
        "Good",
        "A track record of improvement and a realistic understanding of risks.",
        "",
        "",
    ),
    "Use of resources": (
        "Performs well",
        "Spend per child below comparators with outcomes above them; a commissioning strategy agreed with "
        "health partners.",
        "Performs well",
        "Good value for money in early help commissioning.",
        "",
        "",
    ),
}

SUMMARY = (
    "{name} knows its services well. Outcomes continue to improve and our partnership is strong. The main "
    "risks to performance we see are the rising demand on children's social care and the recruitment of "
    "experienced social workers.\n\nWe ask the peer challenge team to test in particular whether our "
    "safeguarding practice is as good as our timeliness figures suggest."
)
RESPONSE = (
    "We accept the team's findings and thank the team for its rigour. We accept that our safeguarding "
    "self-assessment leaned on timeliness: we will make case file audits drive practice, agree thresholds "
    "with partners through the LSCB, and record supervision on every case file. We would welcome brokered "
    "support for this."
)
# A one-page PDF ("Case file audit, autumn 2026") for the demo's evidence document.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
    b"endobj\n4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Case file audit, autumn 2026) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_people(users):
    """Create or update the cycle's people (with the demo password the cast shares); return them."""
    password = users["dcs@demo.test"].password or make_password(None)
    people = {}
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first() or User(email=person.email)
        user.full_name, user.job_title, user.role = person.full_name, person.job_title, person.role
        user.authority = LocalAuthority.objects.get(name=person.authority) if person.authority else None
        user.region = user.authority.region if user.authority else None
        user.provider = Provider.objects.get(abbreviation=person.provider) if person.provider else None
        user.is_regional_lead = person.regional_lead
        user.is_active, user.password = True, password
        user.save()
        people[person.email] = user
        if person.role == Role.DCS:
            LocalAuthority.objects.filter(pk=user.authority_id).update(dcs=user)
    return people


def seed_framework_list():
    for abbreviation, services_text in FRAMEWORK:
        provider = Provider.objects.filter(abbreviation=abbreviation).first()
        if provider is not None:
            FrameworkProvider.objects.get_or_create(
                provider=provider, defaults={"services": services_text, "approved_on": date(2011, 9, 1)}
            )


def _level(area, label):
    return JudgementLevel.objects.get(area=area, label=label)


class _Upload:
    """A small in-memory upload for the evidence document."""

    def __init__(self, name, data):
        from io import BytesIO

        self._file, self.name, self.original_name, self.size = BytesIO(data), name, name, len(data)

    def __getattr__(self, name):
        return getattr(self._file, name)


def _self_assessment(authority, year, dcs, officer):
    sa = services.start_self_assessment(actor=officer, authority=authority, year=year)
    for answer in sa.answers.select_related("area"):
        own, evidence, *_ = AREAS[answer.area.title]
        services.answer_area(
            actor=officer, answer=answer, judgement=_level(answer.area, own), evidence=evidence, lock_version=0
        )
    sa.refresh_from_db()
    summary = SUMMARY.format(name=authority.name)
    services.save_summary(actor=dcs, self_assessment=sa, summary=summary, lock_version=sa.lock_version)
    figures = {
        112: ("38.6 per 1,000 (2025)", "Down 14% on the baseline; still above the England average."),
        109: ("17 centres (2026)", "Every centre designated; reach in the most disadvantaged areas is 71%."),
    }
    entries = {e.pk: figures.get(e.indicator.number, ("", "")) for e in sa.profile.select_related("indicator")}
    services.save_profile(actor=officer, self_assessment=sa, entries=entries)
    safeguarding = sa.answers.get(area__title="Safeguarding")
    services.upload_evidence(
        actor=officer,
        self_assessment=sa,
        upload=_Upload("case-file-audit.pdf", EVIDENCE_PDF),
        title="Case file audit, autumn 2026",
        answer=safeguarding,
    )
    return services.share_self_assessment(actor=dcs, self_assessment=sa)


def _peer_challenge(sa, lead, team, dcs, today, *, finish=True):
    """On site and findings sent in the past; with ``finish``, answered and the letter issued."""
    ends_on = add_working_days(today, -9 if finish else -5)
    starts_on = add_working_days(ends_on, -2)
    challenge = services.set_up_peer_challenge(
        actor=lead,
        self_assessment=sa,
        starts_on=starts_on,
        ends_on=ends_on,
        focus="Is safeguarding practice as good as the timeliness figures suggest?",
    )
    for person in team:
        member = services.invite_member(actor=lead, challenge=challenge, user=person, days=3)
        services.answer_invitation(actor=person, member=member, accept=True)
    writers = team * len(AREAS)
    for area, writer in zip(sa.framework.areas.order_by("order"), writers, strict=False):
        _own, _evidence, theirs, strengths, improvements, reasons = AREAS[area.title]
        services.write_finding(
            actor=writer,
            challenge=challenge,
            area=area,
            judgement=_level(area, theirs),
            strengths=strengths,
            areas_for_improvement=improvements,
            reasons=reasons,
        )
    sent_on = add_working_days(today, -6 if finish else -2)
    services.send_findings(actor=lead, challenge=challenge, today=sent_on)
    if not finish:
        return challenge
    services.respond_to_findings(
        actor=dcs,
        challenge=challenge,
        response=RESPONSE,
        finding_responses={
            f.pk: "Accepted: our action plan starts with the case file audit programme."
            for f in Finding.objects.filter(peer_challenge=challenge, area__title="Safeguarding")
        },
        today=add_working_days(today, -3),
    )
    challenge.refresh_from_db()
    letter = render_to_string(
        "improvement/letter_draft.txt",
        {"challenge": challenge, "authority": challenge.authority, "rows": finding_rows(challenge)},
    ).strip()
    return services.issue_letter(actor=lead, challenge=challenge, letter=letter)


def _brokered_plan(challenge, csa, dcs, adviser, year):
    findings = [f for f in challenge.findings.select_related("area") if f.improvement_points]
    c4eo = Provider.objects.get(abbreviation="C4EO")
    brokerage = services.broker_support(
        actor=csa,
        period=year,
        peer_challenge=challenge,
        findings=findings,
        providers=[c4eo],
        summary="Agreed with the DCS after the peer challenge: a C4EO sector specialist to support the "
        "safeguarding action plan and members' oversight of children in care.",
    )
    plan = brokerage.support_plan
    deliver_by = date(int(year[:4]) + 1, 3, 31)
    for number, offer in enumerate(plan_offers_of(plan), start=1):
        plan_offers.submit_offer(
            actor=adviser,
            offer=offer,
            data={
                "description": f"By {deliver_by:%B %Y}, a C4EO sector specialist gives {2 + number} days to "
                f"{offer.priority.title.lower()}: {offer.priority.needs.first().description.lower()}",
                "deliver_by": deliver_by,
                "days": 2 + number,
            },
        )
        plan_offers.accept_offer(actor=csa, offer=offer)
    plan_workflow.send_to_authority(actor=csa, jisp=plan)
    plan_workflow.send_for_approval(actor=csa, jisp=plan)
    plan.refresh_from_db()
    plan_workflow.approve(actor=dcs, jisp=plan, version=plan.version)
    return brokerage


def plan_offers_of(plan):
    from plans.models import Offer

    return list(
        Offer.objects.filter(priority__jisp=plan).select_related("priority", "provider").order_by("priority__order")
    )


def seed(users, stdout):
    people = seed_people(users)
    seed_framework_list()
    if ensure_default_framework() is None:
        stdout.write("  Sector-led improvement: no current self-assessment framework; an administrator sets one")
        return
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    today = london_date()
    year = financial_year(today)
    dcs, officer, csa = users["dcs@demo.test"], users["officer@demo.test"], users["csa@demo.test"]
    lead, gateshead = people["dcs.sunderland@demo.test"], people["dcs.gateshead@demo.test"]
    if not SelfAssessment.objects.filter(authority=newcastle, year=year).exists():
        sa = _self_assessment(newcastle, year, dcs, officer)
        challenge = _peer_challenge(sa, lead, [gateshead, lead], dcs, today)
        _brokered_plan(challenge, csa, dcs, people["provider.c4eo@demo.test"], year)
        stdout.write(
            f"  Newcastle upon Tyne sector-led improvement {year}: self-assessment shared, peer challenge by "
            "Gateshead and Sunderland, findings answered, final letter issued (its PDF queued for the Celery "
            "worker), support package brokered and its plan approved"
        )
        sa = _self_assessment(gateshead.authority, year, gateshead, gateshead)
        _peer_challenge(sa, lead, [users["dcs.leeds@demo.test"], lead], gateshead, today, finish=False)
        stdout.write(
            f"  Gateshead sector-led improvement {year}: peer challenge by Leeds and Sunderland, findings sent, "
            "the response due in 3 working days"
        )
    else:  # already seeded: queue the letter again if no worker has rendered it yet
        waiting = PeerChallenge.objects.filter(
            authority=newcastle, status=PeerChallenge.Status.LETTER_ISSUED, letter_pdf=""
        ).values_list("pk", flat=True)
        for pk in waiting:
            transaction.on_commit(lambda pk=pk: services.queue_letter_render(pk))
    for person in PEOPLE:
        stdout.write(f"  {person.email:<26}  {person.role:<16}  {person.job_title or ''}")
