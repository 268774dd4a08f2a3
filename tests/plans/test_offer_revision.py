"""A challenged offer's revision is the provider's own until resubmitted: "Save as draft" keeps the
submitted offer for everyone else (offer page, Annex 2 page, history, export) and the revision apart
(``OfferDraft``); resubmitting puts the revision on the offer, with its history and timeline."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import StaleEditError
from plans import services
from plans.models import Offer, OfferDraft, OfferEvent
from tests.plans.test_offer_views import GOOD, draft, offer_form  # noqa: F401 - the fixture

O = Offer.Status  # noqa: E741
pytestmark = pytest.mark.django_db

REVISED = "A revised programme for Newcastle written with its sexual health lead"
REVISED_FUNDING = "98765"


@pytest.fixture
def challenged(world, draft):  # noqa: F811
    offer = draft["tfc"]
    data = {"description": GOOD, "deliver_by": date(2010, 5, 31), "days": Decimal("2.5")}
    services.submit_offer(actor=world.provider, offer=offer, data=data, lock_version=0)
    offer.refresh_from_db()
    services.challenge_offer(actor=world.csa, offer=offer, reason="Not tailored to Newcastle")
    offer.refresh_from_db()
    return offer


@pytest.fixture
def revised(world, client, challenged):
    """The provider saves a revision as a draft, through the form."""
    client.force_login(world.provider)
    response = client.post(
        reverse("plans:offer_edit", kwargs={"pk": challenged.pk}),
        offer_form(challenged, description=REVISED, funding=REVISED_FUNDING, save_draft=""),
        follow=True,
    )
    assert "Your revision has been saved as a draft" in response.content.decode()
    challenged.refresh_from_db()
    return challenged


def body(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_submitted_offer_stays_on_the_offer(revised):
    assert revised.status == O.CHALLENGED
    assert revised.description == GOOD
    assert revised.funding is None
    assert revised.history.first().description == GOOD  # no history row carries the revision
    assert not revised.history.filter(description=REVISED).exists()
    revision = OfferDraft.objects.get(offer=revised)
    assert (revision.description, revision.funding) == (REVISED, Decimal(REVISED_FUNDING))


@pytest.mark.parametrize("role", ["dcs", "la_officer", "csa", "go_director", "admin"])
def test_everyone_else_sees_the_submitted_offer(world, client, revised, role):
    urls = [
        revised.get_absolute_url(),
        reverse("plans:detail", kwargs={"pk": revised.priority.jisp_id}),
        reverse("plans:history", kwargs={"pk": revised.priority.jisp_id}),
    ]
    for url in urls:
        html = body(client, world.users[role], url)
        assert REVISED not in html, url
        assert "98,765" not in html, url
        assert "98765" not in html, url
    assert GOOD in body(client, world.users[role], revised.get_absolute_url())


def test_the_provider_sees_and_edits_its_revision(world, client, revised):
    html = body(client, world.provider, revised.get_absolute_url())
    assert "Your revision, not yet submitted" in html
    assert REVISED in html
    html = body(client, world.provider, reverse("plans:offer_edit", kwargs={"pk": revised.pk}))
    assert REVISED in html
    assert "98765" in html


def test_the_other_provider_never_sees_it(world, revised):
    assert not OfferDraft.objects.visible_to(world.provider_other).exists()
    assert not OfferDraft.objects.visible_to(world.csa).exists()
    assert OfferDraft.objects.visible_to(world.provider).count() == 1


def test_resubmitting_puts_the_revision_on_the_offer(world, client, revised):
    client.force_login(world.provider)
    response = client.post(
        reverse("plans:offer_edit", kwargs={"pk": revised.pk}),
        offer_form(revised, description=REVISED, funding=REVISED_FUNDING, submit_offer=""),
        follow=True,
    )
    assert "Your revised offer has been resubmitted" in response.content.decode()
    revised.refresh_from_db()
    assert (revised.status, revised.description, revised.funding) == (O.SUBMITTED, REVISED, Decimal(REVISED_FUNDING))
    assert not OfferDraft.objects.filter(offer=revised).exists()
    event = revised.events.filter(kind=OfferEvent.Kind.RESUBMITTED).get()
    assert event.description == REVISED
    assert revised.history.first().history_change_reason == "Offer revised and resubmitted"
    assert REVISED in body(client, world.dcs, revised.get_absolute_url())


def test_the_service_resubmits_the_saved_revision(world, challenged):
    services.save_offer_draft(
        actor=world.provider, offer=challenged, data={"description": REVISED}, lock_version=challenged.lock_version
    )
    challenged.refresh_from_db()
    assert challenged.description == GOOD
    services.submit_offer(actor=world.provider, offer=challenged, lock_version=challenged.lock_version)
    challenged.refresh_from_db()
    assert (challenged.status, challenged.description) == (O.SUBMITTED, REVISED)


def test_a_stale_tab_cannot_overwrite_the_revision(world, challenged):
    version = challenged.lock_version
    services.save_offer_draft(
        actor=world.provider, offer=challenged, data={"description": REVISED}, lock_version=version
    )
    with pytest.raises(StaleEditError):
        services.save_offer_draft(
            actor=world.provider, offer=challenged, data={"description": "Old"}, lock_version=version
        )
    assert OfferDraft.objects.get(offer=challenged).description == REVISED


def test_withdrawing_discards_the_revision(world, revised):
    services.withdraw_offer(actor=world.provider, offer=revised, reason="No capacity")
    assert not OfferDraft.objects.exists()
