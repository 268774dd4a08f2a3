"""seed_demo's delivery: Newcastle upon Tyne's approved 2009-10 plan has its support in every
delivery status, each status its latest update's; seeding twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from plans.models import JISP, DeliveryUpdate, Offer

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_leaves_the_2009_10_plan_in_every_delivery_status():
    for _ in range(2):
        call_command("seed_reference", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    jisp = JISP.objects.get(authority__name="Newcastle upon Tyne", period="2009-10", version=1)
    offers = Offer.objects.filter(priority__jisp=jisp, status=Offer.Status.ACCEPTED)
    assert set(offers.values_list("delivery_status", flat=True)) == set(Offer.DeliveryStatus.values)
    for offer in offers:
        latest = offer.delivery_updates.order_by("-created_at", "-pk").first()
        assert (latest.status if latest else "not_started") == offer.delivery_status
    assert DeliveryUpdate.objects.filter(offer__priority__jisp=jisp).count() == 10
    assert DeliveryUpdate.objects.filter(offer__priority__jisp=jisp, author__email="dcs@demo.test").count() == 1
