"""Hand-counted plans for the analysis tests (period 2009-10 on the ``world`` fixture).

North East:
- Newcastle: version 1 superseded (NI 117), version 2 approved: "Teenage pregnancy" (NI 112, two
  needs, one from the workforce tool; TfC accepted 10 days £5,000, NS submitted 3 days) and
  "Children's centres" (NI 109, a workforce priority, one need; NS accepted 4.5 days £1,000);
  good practice "Early years" and "Youth offending". A 2010-11 draft (NI 117) that 2009-10 ignores.
- Gateshead: version 1 in draft: "Conceptions" (NI 112, one need; TfC accepted 2 days £500, TfC
  invited); good practice " early years " (the same area, spelt differently).
- Sunderland: no plan.
Yorkshire and the Humber:
- Leeds: version 1 approved: "Under-18 conceptions" (NI 112, one need; TfC accepted 6 days £2,000).
"""

from decimal import Decimal
from types import SimpleNamespace

from authorities.models import NationalIndicator
from plans.models import JISP, GoodPractice, Offer
from tests.authorities.factories import LocalAuthorityFactory, NationalIndicatorFactory
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

PERIOD = "2009-10"


def priority(jisp, title, indicators, needs=1, tool_needs=0, is_workforce=False):
    p = PriorityFactory(jisp=jisp, title=title, is_workforce=is_workforce)
    p.indicators.set(indicators)
    for i in range(needs):
        NeedFactory(priority=p, description=f"{title} need {i + 1}", from_workforce_tool=i < tool_needs)
    return p


def offer(p, provider, status, days=None, funding=None):
    return OfferFactory(
        priority=p,
        provider=provider,
        status=status,
        days=Decimal(str(days)) if days is not None else None,
        funding=Decimal(str(funding)) if funding is not None else None,
    )


def build(world):
    ni112 = NationalIndicatorFactory(
        number=112, title="Under 18 conception rate", ecm_outcome=NationalIndicator.Outcome.BE_HEALTHY
    )
    ni109 = NationalIndicatorFactory(
        number=109, title="Delivery of Sure Start Children's Centres", ecm_outcome=NationalIndicator.Outcome.STAY_SAFE
    )
    ni117 = NationalIndicatorFactory(
        number=117, title="16 to 18 year olds who are NEET", ecm_outcome=NationalIndicator.Outcome.ECONOMIC_WELLBEING
    )
    sunderland = LocalAuthorityFactory(name="Sunderland", gss_code="E08000024", region=world.ne)
    tfc, ns = world.tfc, world.ns
    A, S, INV = Offer.Status.ACCEPTED, Offer.Status.SUBMITTED, Offer.Status.INVITED

    old = JISPFactory(authority=world.newcastle, period=PERIOD, version=1, status=JISP.Status.SUPERSEDED)
    offer(priority(old, "NEET", [ni117]), tfc, A, 50, 50000)
    newcastle = JISPFactory(authority=world.newcastle, period=PERIOD, version=2, status=JISP.Status.APPROVED)
    teen = priority(newcastle, "Teenage pregnancy", [ni112], needs=2, tool_needs=1)
    offer(teen, tfc, A, 10, 5000)
    offer(teen, ns, S, 3)
    centres = priority(newcastle, "Children's centres", [ni109], needs=1, is_workforce=True)
    offer(centres, ns, A, 4.5, 1000)
    GoodPractice.objects.create(jisp=newcastle, area="Early years")
    GoodPractice.objects.create(jisp=newcastle, area="Youth offending")
    later = JISPFactory(authority=world.newcastle, period="2010-11", version=1, status=JISP.Status.DRAFT)
    offer(priority(later, "NEET again", [ni117]), tfc, A, 99, 99)

    gateshead = JISPFactory(authority=world.gateshead, period=PERIOD, version=1, status=JISP.Status.DRAFT)
    conceptions = priority(gateshead, "Conceptions", [ni112])
    offer(conceptions, tfc, A, 2, 500)
    offer(conceptions, tfc, INV)
    GoodPractice.objects.create(jisp=gateshead, area=" early years ")

    leeds = JISPFactory(authority=world.leeds, period=PERIOD, version=1, status=JISP.Status.APPROVED)
    offer(priority(leeds, "Under-18 conceptions", [ni112]), tfc, A, 6, 2000)

    return SimpleNamespace(
        ni112=ni112,
        ni109=ni109,
        ni117=ni117,
        sunderland=sunderland,
        newcastle=newcastle,
        gateshead=gateshead,
        leeds=leeds,
    )
