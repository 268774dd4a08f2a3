"""The API's cast: the permission matrix's world, plans in every state, and a token for each role."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import issue_api_token
from authorities.models import NationalIndicator
from plans.models import JISP, Offer
from tests.authorities.factories import NationalIndicatorFactory
from tests.conftest import ROLES
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

PERIOD = "2009-10"


@dataclass
class Cast:
    world: object
    keys: dict = field(default_factory=dict)
    newcastle_plan: object = None
    leeds_plan: object = None
    gateshead_draft: object = None
    accepted: object = None
    submitted: object = None
    indicator: object = None

    def client(self, role):
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.keys[role]}")
        return client


def approved_plan(authority, provider, *, title, offer_text, days="3.0", funding="1500.00", version=1):
    plan = JISPFactory(
        authority=authority, period=PERIOD, version=version, status=JISP.Status.APPROVED, approved_at=timezone.now()
    )
    priority = PriorityFactory(jisp=plan, title=title)
    priority.indicators.add(NationalIndicatorFactory(number=len(title), title=f"Indicator of {title}"))
    need = NeedFactory(priority=priority, description=f"Need of {title}")
    accepted = OfferFactory(
        priority=priority,
        need=need,
        provider=provider,
        status=Offer.Status.ACCEPTED,
        description=offer_text,
        days=Decimal(days),
        funding=Decimal(funding),
        notes="Internal note: not for the API",
    )
    return plan, priority, accepted


@pytest.fixture
def cast(world):
    c = Cast(world=world)
    c.newcastle_plan, priority, c.accepted = approved_plan(
        world.newcastle, world.tfc, title="Narrow the attainment gap", offer_text="Coaching for school leaders"
    )
    c.submitted = OfferFactory(
        priority=priority, provider=world.ns, status=Offer.Status.WITHDRAWN, description="Withdrawn offer text"
    )
    c.leeds_plan, _, _ = approved_plan(
        world.leeds, world.ns, title="Reduce teenage conceptions", offer_text="Sexual health programme"
    )
    c.indicator = NationalIndicator.objects.order_by("number").first()
    c.gateshead_draft = JISPFactory(authority=world.gateshead, period=PERIOD, status=JISP.Status.DRAFT)
    PriorityFactory(jisp=c.gateshead_draft, title="Draft priority still being agreed")
    for role in ROLES:
        if role != "anonymous":
            _, c.keys[role] = issue_api_token(actor=None, user=world.users[role], name=f"{role} analysis")
    return c
