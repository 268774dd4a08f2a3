"""Delivery reviews at a meeting: a strategic engagement (or KIT) meeting with an authority shows the
delivery table of its current approved plan; once held, the lead CSA records a review of an offer,
which becomes a delivery update linked to the meeting."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from plans.models import JISP, DeliveryUpdate, Offer
from tests.meetings.factories import meeting_for
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(world):
    jisp = JISPFactory(
        authority=world.newcastle, period="2009-10", status=JISP.Status.APPROVED, approved_at=timezone.now()
    )
    priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy")
    return OfferFactory(
        priority=priority, provider=world.tfc, status=Offer.Status.ACCEPTED, description="Two visits", days=Decimal(2)
    )


def held(world, kind=Meeting.Kind.STRATEGIC_ENGAGEMENT):
    return meeting_for(world, kind=kind, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))


def test_the_csa_reviews_an_offer_from_the_meeting_page(world, client, offer):
    meeting = held(world)
    client.force_login(world.csa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    review = reverse("meetings:delivery_review", kwargs={"pk": meeting.pk, "offer_pk": offer.pk})
    assert 'id="delivery-review-table"' in page
    assert review in page
    response = client.post(review, {"status": "at_risk", "note": "The DCS is worried about the timing"}, follow=True)
    page = response.content.decode()
    assert "The review of Together for Children&#x27;s support has been recorded" in page
    assert 'govuk-tag--green">Reviewed' in page
    assert review not in page
    update = DeliveryUpdate.objects.get()
    assert (update.meeting, update.status, update.author) == (meeting, "at_risk", world.csa)
    delivery = client.get(reverse("plans:offer_delivery", kwargs={"pk": offer.pk})).content.decode()
    assert f'Reviewed at <a class="govuk-link" href="{meeting.get_absolute_url()}">' in delivery


def test_the_authority_sees_the_table_without_the_review_links(world, client, offer):
    meeting = held(world, Meeting.Kind.KIT)
    client.force_login(world.dcs)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="delivery-review-table"' in page
    assert "/review/" not in page


def test_a_scheduled_meeting_shows_the_table_but_no_review_yet(world, client, offer):
    meeting = meeting_for(world, kind=Meeting.Kind.STRATEGIC_ENGAGEMENT)
    client.force_login(world.csa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'id="delivery-review-table"' in page
    assert "/review/" not in page


def test_other_meetings_show_no_delivery_table(world, client, offer):
    meeting = meeting_for(world, kind=Meeting.Kind.VISIT, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    client.force_login(world.csa)
    assert 'id="delivery"' not in client.get(meeting.get_absolute_url()).content.decode()


def test_an_authority_without_an_approved_plan_is_told_so(world, client):
    meeting = held(world)
    client.force_login(world.csa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "has no approved plan with support to deliver" in page


def test_an_offer_of_another_authority_is_not_found(world, client, offer):
    meeting = meeting_for(
        world, authority=world.gateshead, kind=Meeting.Kind.KIT, status=Meeting.Status.HELD, held_on=date(2026, 3, 2)
    )
    client.force_login(world.csa)
    url = reverse("meetings:delivery_review", kwargs={"pk": meeting.pk, "offer_pk": offer.pk})
    assert client.get(url).status_code == 404
