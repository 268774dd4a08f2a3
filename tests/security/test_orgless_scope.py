"""Scope queries refuse an account without the organisation its role needs (a CSA or GO director
without a region, a DCS or officer without an authority, a provider adviser without a provider):
an empty result or a 403, never everything. The accounts are built with the database's check
constraints switched off for the test (``tests.orgless``)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User, in_scope, lacks_organisation
from accounts.permissions import can
from authorities.models import RegionalForum
from improvement.models import InspectionRecord, lead_region_scope
from meetings.models import Meeting, MeetingNote, MeetingSeries
from meetings.queries import compliance, compliance_notes, notes_awaiting_response, overdue_in_region
from plans.models import JISP, Offer
from plans.queries.analysis import analysis_regions
from plans.queries.offers import offer_visible
from providers.models import ProvisionFeedback
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.orgless import ORGLESS
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(world):
    """Something of every kind in both regions: notes of meetings organised by GO staff (no provider:
    ``provider_id`` NULL) and by a provider, plans and offers, feedback and an inspection."""
    held = {"status": Meeting.Status.HELD, "held_on": date(2026, 3, 2)}
    notes = [
        MeetingNoteFactory(meeting=meeting_for(world, **held), draft_due=date(2026, 3, 9), draft="Newcastle draft"),
        MeetingNoteFactory(
            meeting=meeting_for(world, authority=world.leeds, organiser=world.csa_other, **held),
            draft_due=date(2026, 3, 9),
        ),
        MeetingNoteFactory(meeting=meeting_for(world, organiser=world.provider, **held), draft_due=date(2026, 3, 9)),
    ]
    plans = [JISPFactory(authority=world.newcastle), JISPFactory(authority=world.leeds, status=JISP.Status.APPROVED)]
    offers = [
        OfferFactory(priority=PriorityFactory(jisp=plan), provider=world.tfc, status=status)
        for plan in plans
        for status in (Offer.Status.SUBMITTED, Offer.Status.ACCEPTED)
    ]
    ProvisionFeedback.objects.create(provider=world.tfc, authority=world.newcastle, rating=4, given_by=world.dcs)
    InspectionRecord.objects.create(
        authority=world.newcastle,
        title="ILACS",
        published_on=date(2026, 1, 5),
        overall="good",
        areas_for_improvement="-",
    )
    return {"notes": notes, "plans": plans, "offers": offers}


def test_the_accounts_are_really_without_their_organisation(orgless):
    for name, user in orgless.items():
        stored = User.objects.get(pk=user.pk)
        assert stored.is_active
        assert (stored.region_id, stored.authority_id, stored.provider_id) == (None, None, None), name
        assert lacks_organisation(stored)
        assert not in_scope(stored)


@pytest.mark.parametrize("name", list(ORGLESS))
def test_every_scope_query_is_empty(orgless, everything, name):
    user = orgless[name]
    assert not compliance_notes(user).exists()
    for model in (Meeting, MeetingNote, MeetingSeries, JISP, Offer, ProvisionFeedback, RegionalForum, InspectionRecord):
        assert not model.objects.visible_to(user).exists(), f"{model.__name__} for {name}"
    assert compliance(user)["total"].notes == 0
    assert not analysis_regions(user).exists()
    assert not notes_awaiting_response(user).exists()
    assert not overdue_in_region(user).exists()
    assert lead_region_scope(user) is None
    assert not any(offer_visible(user, offer) for offer in everything["offers"])


@pytest.mark.parametrize("name", list(ORGLESS))
def test_no_role_permission_without_the_organisation(orgless, everything, name):
    user = orgless[name]
    for perm in ("meetings.view_compliance", "meetings.view_feedback", "meetings.give_feedback"):
        assert not can(user, perm), f"{perm} for {name}"


def test_the_scoped_accounts_still_see_their_own(world, everything):
    """The same queries, for the accounts with their organisation: the refusal is only for the
    organisation-less."""
    assert compliance_notes(world.csa).count() == 2  # Newcastle's notes, not Leeds's
    assert compliance_notes(world.provider).count() == 1  # the note of the meeting its adviser organised
    assert JISP.objects.visible_to(world.go_director).count() == 1


@pytest.mark.parametrize("name", ["csa_orgless", "go_director_orgless", "provider_orgless"])
@pytest.mark.parametrize("page", ["meetings:compliance", "meetings:compliance_csv"])
def test_the_compliance_pages_show_no_region_s_notes(orgless, everything, client, name, page):
    client.force_login(orgless[name])
    response = client.get(reverse(page))
    body = response.content.decode()
    assert "Newcastle" not in body
    assert "Leeds" not in body
    assert response.status_code == 403


def test_the_compliance_csv_of_a_scoped_csa_has_only_their_region(world, everything, client):
    client.force_login(world.csa)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("meetings:compliance_csv")).content.decode())))
    assert len(rows) == 2
    assert {row["authority"] for row in rows} == {"Newcastle upon Tyne"}


@pytest.mark.parametrize("name", list(ORGLESS))
def test_lists_are_empty_for_the_organisation_less(orgless, everything, client, name):
    client.force_login(orgless[name])
    for page in ("meetings:list", "plans:offer_list"):
        response = client.get(reverse(page))
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "KIT meeting" not in body, page
        assert "Together for Children offer" not in body, page
