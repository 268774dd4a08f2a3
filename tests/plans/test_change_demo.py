"""seed_demo's in-year change: a change request open on Newcastle upon Tyne's approved 2009-10 plan,
an accepted offer varied on its 2010-11 draft and the authority's own support — once, however many
times the demo is seeded."""

import io

import pytest
from django.core.management import call_command

from plans.models import JISP, ChangeRequest, Offer, OfferEvent, OwnSupport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_seed_demo_twice_leaves_one_request_one_varied_offer_and_the_own_support():
    for _ in range(2):
        call_command("seed_reference", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    approved = JISP.objects.get(authority__name="Newcastle upon Tyne", period="2009-10", version=1)
    request = ChangeRequest.objects.get()
    assert request.jisp == approved
    assert request.status == ChangeRequest.Status.OPEN
    assert request.raised_by.email == "dcs@demo.test"
    varied = OfferEvent.objects.get(kind=OfferEvent.Kind.VARIED)
    offer = varied.offer
    assert offer.priority.jisp.period == "2010-11"
    assert offer.priority.jisp.status == JISP.Status.DRAFT
    assert offer.status == Offer.Status.INVITED
    assert varied.description.startswith("By July 2010, conduct an intensive 3 day diagnostic visit")
    assert Offer.objects.filter(priority__jisp=offer.priority.jisp, status=Offer.Status.ACCEPTED).exists()
    assert sorted(OwnSupport.objects.filter(jisp=approved).values_list("source", flat=True)) == ["c4eo", "csp"]
