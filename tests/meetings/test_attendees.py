"""Whom an organiser may put on a meeting's attendance list, and that the form never tells a CSA or a
provider whether an arbitrary email address has an account."""

import re

import pytest
from django.urls import reverse

from core.errors import ServiceError
from meetings.models import Meeting
from plans.models import JISP
from tests.accounts.factories import UserFactory
from tests.meetings.test_services import schedule
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def post_meeting(client, world, attendees):
    return client.post(
        reverse("meetings:create"),
        {
            "authority": world.newcastle.gss_code,
            "kind": "kit",
            "title": "KIT",
            "purpose": "Pattern of support",
            "date": "02/03/2027",
            "time": "10:00",
            "is_remote": "on",
            "attendees": attendees,
        },
    )


def attendees_error(response, email):
    """The attendees field's error message, with the address taken out."""
    page = response.content.decode()
    match = re.search(r'id="id_attendees_1_error"[^>]*>(.*?)</span>\s*<textarea', page, re.S)
    assert match, "no error on the attendees field"
    message = re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip()
    assert email in message
    return message.replace(email, "EMAIL")


def with_a_part(world):
    """The provider has an open offer in Newcastle's plan: it may organise Newcastle's meetings."""
    jisp = JISPFactory(authority=world.newcastle, status=JISP.Status.DRAFT)
    OfferFactory(priority=PriorityFactory(jisp=jisp), provider=world.tfc)


def test_a_csa_gets_the_same_answer_for_no_account_and_someone_of_another_region(world, client):
    client.force_login(world.csa)
    unknown = post_meeting(client, world, "nobody@example.org: data")
    elsewhere = post_meeting(client, world, f"{world.dcs_other.email}: data")
    assert unknown.status_code == elsewhere.status_code == 200
    assert attendees_error(unknown, "nobody@example.org") == attendees_error(elsewhere, world.dcs_other.email)
    assert not Meeting.objects.exists()


def test_a_provider_invites_the_authority_the_go_and_its_own_colleagues_only(world, client):
    with_a_part(world)
    colleague = UserFactory(email="second@tfc.example.org", role="provider_adviser", provider=world.tfc)
    client.force_login(world.provider)
    rival = post_meeting(client, world, f"{world.provider_other.email}: data")
    unknown = post_meeting(client, world, "nobody@ns.example.org: data")
    assert attendees_error(rival, world.provider_other.email) == attendees_error(unknown, "nobody@ns.example.org")
    assert "your provider" in attendees_error(rival, world.provider_other.email)
    other_region = post_meeting(client, world, f"{world.csa_other.email}: data")
    assert attendees_error(other_region, world.csa_other.email)
    assert not Meeting.objects.exists()
    allowed = post_meeting(
        client,
        world,
        f"{world.dcs.email}: data\n{world.csa.email}: lead\n{colleague.email}: offer\n{world.go_director.email}",
    )
    assert allowed.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.all()) == {world.dcs, world.csa, colleague, world.go_director}


def test_the_service_refuses_someone_the_organiser_may_not_invite(world):
    with_a_part(world)
    with pytest.raises(ServiceError, match="Not one of them: adviser@ns.example.org"):
        schedule(world, actor=world.provider, attendees=[(world.provider_other, "")])
    with pytest.raises(ServiceError, match="Not one of them: dcs.leeds@example.gov.uk"):
        schedule(world, attendees=[(world.dcs_other, "")])
    assert not Meeting.objects.exists()
    meeting = schedule(world, actor=world.provider, attendees=[(world.dcs, ""), (world.provider, "")])
    assert set(meeting.attendees.all()) == {world.dcs, world.provider}
