"""Demo data: workflow — Newcastle upon Tyne's 2009-10 plan approved by its DCS, and Leeds' 2010-11
plan awaiting approval. Idempotent: a plan already there is left alone.

The approved plan's signed-off PDF is not rendered here: as after a real approval, its rendering is
queued (after commit) for the Celery worker, so the worker that ``make run`` starts renders it within
seconds (and ``scripts/smoke-run.sh`` waits for exactly that). A seed whose plan still has no PDF
(no worker ran) queues it again; the beat's ``requeue_missing_pdfs`` would too."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from authorities.models import LocalAuthority, NationalIndicator
from core.working_days import LONDON
from providers.models import Provider

from ..models import JISP, Decision, GoodPractice, Need, Offer, Priority

NEWCASTLE = [
    {
        "title": "Reduce under-18 conceptions",
        "description": "Agreed with the DCS following the LAA annual review.",
        "indicators": [112],
        "needs": ["A sexual health policy for young people", "A business case for new contraception funding"],
        "offers": [
            (
                "RTPC",
                "By May 2009, conduct 2 visits to help develop a new sexual health policy for young people",
                Decimal("2"),
                None,
                date(2009, 5, 31),
            ),
            (
                "RTPC",
                "By July 2009, provide advice to help local managers develop a business case for new contraception funding",
                Decimal("1"),
                None,
                date(2009, 7, 31),
            ),
            (
                "TPNST",
                "By September 2009, conduct an intensive 3 day diagnostic visit and report on local services",
                Decimal("3"),
                Decimal("4500"),
                date(2009, 9, 30),
            ),
        ],
    },
    {
        "title": "Delivery of Sure Start Children's Centres",
        "description": "Changes in local demography call for a new children's centre portfolio.",
        "indicators": [109],
        "needs": [
            "Re-evaluate the children's centre portfolio",
            "Better working practices across outsourced delivery partners",
        ],
        "offers": [
            (
                "TfC",
                "By June 2009, provide 3 days support in re-evaluating the children's centre portfolio necessitated by changes in local demography",
                Decimal("3"),
                None,
                date(2009, 6, 30),
            ),
            (
                "TfC",
                "By November 2009, give 3 days facilitation support to ensure better working practices across the authority's outsourced delivery partners",
                Decimal("3"),
                None,
                date(2009, 11, 30),
            ),
        ],
    },
    {
        "title": "Children's workforce reform",
        "description": "From the One Children's Workforce Tool self-assessment.",
        "is_workforce": True,
        "indicators": [],
        "needs": ["Integrated working across the Children's Trust"],
        "offers": [
            (
                "CWDC",
                "By March 2010, support two integrated-working workshops for Children's Trust partners",
                Decimal("2"),
                Decimal("1200"),
                date(2010, 3, 31),
            ),
        ],
    },
]

LEEDS = [
    {
        "title": "Narrow the gap in attainment at Key Stage 2",
        "indicators": [],
        "needs": ["Targeted support for schools below floor targets"],
        "offers": [
            (
                "NS",
                "By December 2010, deploy a primary strategy consultant to 6 schools below floor targets",
                Decimal("12"),
                None,
                date(2010, 12, 31),
            ),
        ],
        "withdrawn": [("CfBT", "A generic school improvement programme")],
    },
    {
        "title": "Children's centres reach in disadvantaged areas",
        "indicators": [109],
        "needs": ["Outreach to families not using children's centres"],
        "offers": [
            (
                "TfC",
                "By October 2010, provide 4 days support to plan outreach in the 30% most disadvantaged areas",
                Decimal("4"),
                None,
                date(2010, 10, 31),
            ),
        ],
    },
]


def _providers(abbreviations):
    return {p.abbreviation: p for p in Provider.objects.filter(abbreviation__in=abbreviations)}


def _build(jisp, spec, csa):
    wanted = {o[0] for p in spec for o in p["offers"]} | {w[0] for p in spec for w in p.get("withdrawn", [])}
    providers = _providers(wanted)
    indicators = {ni.number: ni for ni in NationalIndicator.objects.all()}
    for order, item in enumerate(spec, start=1):
        priority = Priority(
            jisp=jisp,
            order=order,
            title=item["title"],
            description=item.get("description", ""),
            is_workforce=item.get("is_workforce", False),
        )
        priority._history_user = csa
        priority.save()
        priority.indicators.set([indicators[n] for n in item["indicators"] if n in indicators])
        needs = []
        for n_order, text in enumerate(item["needs"], start=1):
            need = Need(priority=priority, order=n_order, description=text)
            need._history_user = csa
            need.save()
            needs.append(need)
        for i, (abbr, text, days, funding, deliver_by) in enumerate(item["offers"]):
            if abbr not in providers:
                continue
            offer = Offer(
                priority=priority,
                need=needs[min(i, len(needs) - 1)] if needs else None,
                provider=providers[abbr],
                status=Offer.Status.ACCEPTED,
                description=text,
                days=days,
                funding=funding,
                deliver_by=deliver_by,
                invited_by=csa,
                submitted_at=timezone.now(),
                decided_at=timezone.now(),
            )
            offer._history_user = csa
            offer.save()
        for abbr, text in item.get("withdrawn", []):
            if abbr in providers:
                offer = Offer(
                    priority=priority,
                    provider=providers[abbr],
                    status=Offer.Status.WITHDRAWN,
                    description=text,
                    invited_by=csa,
                    submitted_at=timezone.now(),
                )
                offer._history_user = csa
                offer.save()


def seed(users, stdout):
    from ..services.workflow import queue_pdf_render

    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    if not JISP.objects.filter(authority=newcastle, period="2009-10").exists():
        csa, dcs = users["csa@demo.test"], users["dcs@demo.test"]
        approved_at = datetime(2009, 3, 27, 11, 30, tzinfo=LONDON)
        jisp = JISP(
            authority=newcastle,
            period="2009-10",
            version=1,
            status=JISP.Status.APPROVED,
            csa=csa,
            created_at=datetime(2009, 1, 12, 9, 0, tzinfo=LONDON),
            approved_at=approved_at,
            approved_by=dcs,
        )
        jisp._history_user = csa
        jisp.save()
        _build(jisp, NEWCASTLE, csa)
        GoodPractice.objects.create(
            jisp=jisp,
            area="Safeguarding partnership",
            description="Multi-agency safeguarding arrangements praised in the Joint Area Review.",
        )
        Decision.objects.create(jisp=jisp, decided_by=dcs, outcome=Decision.Outcome.APPROVED, decided_at=approved_at)
        stdout.write("  Newcastle upon Tyne JISP 2009-10: approved; its signed-off PDF is queued for the Celery worker")
    approved = JISP.objects.filter(authority=newcastle, period="2009-10", approved_at__isnull=False, pdf="").first()
    if approved is not None:
        pk = approved.pk
        transaction.on_commit(lambda: queue_pdf_render(pk))

    leeds = LocalAuthority.objects.get(name="Leeds")
    if not JISP.objects.filter(authority=leeds, period="2010-11").exists():
        csa = users["csa.leeds@demo.test"]
        jisp = JISP(authority=leeds, period="2010-11", version=1, status=JISP.Status.AWAITING_APPROVAL, csa=csa)
        jisp._history_user = csa
        jisp.save()
        _build(jisp, LEEDS, csa)
        stdout.write("  Leeds JISP 2010-11: awaiting approval")
