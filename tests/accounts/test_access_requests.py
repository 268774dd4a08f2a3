"""Providers with nobody on the portal: the invitation to offer and the approved plan reach the
provider's contact address with a link to ask for access; a CSA who invited the provider (or an
administrator) approves the request, which invites the person through the same invitation flow."""

from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import AccessRequest, AuditEvent, Invitation, Role
from accounts.services import approve_access_request, decline_access_request, request_access
from core.errors import ServiceError
from plans.models import JISP
from plans.services.offers import invite_providers
from tests.accounts.factories import UserFactory
from tests.accounts.mail import emails_to, link_to, subjects_to
from tests.plans.factories import JISPFactory, PriorityFactory
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lonely(world):
    """A provider serving the North East with nobody on the portal."""
    provider = ProviderFactory(
        name="Regional Learning Partnership", abbreviation="RLP", contact_email="hello@rlp.example.org"
    )
    provider.regions.set([world.ne])
    return provider


def _invite(world, provider, priority=None):
    if priority is None:
        plan = JISP.objects.filter(authority=world.newcastle, period="2010-11").first()
        priority = PriorityFactory(jisp=plan or JISPFactory(authority=world.newcastle, status=JISP.Status.DRAFT))
    return invite_providers(actor=world.csa, priority=priority, providers=[provider])[0]


def test_inviting_a_provider_with_nobody_on_the_portal_emails_its_contact_with_a_link_to_ask_for_access(
    world, lonely, client
):
    offer = _invite(world, lonely)
    assert subjects_to("hello@rlp.example.org") == [
        f"Invitation to offer support to Newcastle upon Tyne by {offer.respond_by:%-d %B %Y}"
    ]
    body = emails_to("hello@rlp.example.org")[0].body
    assert "nobody from Regional Learning Partnership has an account" in body
    link = link_to("hello@rlp.example.org", "/request-access/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Ask for access to the JISP portal" in page.content.decode()
    sent = client.post(link, {"full_name": "Rae Learner", "email": "Rae@RLP.example.org", "job_title": "Adviser"})
    assert sent["Location"] == reverse("accounts:access_request_sent")
    access = AccessRequest.objects.get()
    assert (access.provider, access.email, access.status) == (
        lonely,
        "rae@rlp.example.org",
        AccessRequest.Status.PENDING,
    )
    assert f"{lonely} asks for access to the JISP portal" in subjects_to(world.csa.email), (
        "the CSA who invited it is told"
    )


def test_a_provider_with_an_adviser_is_not_emailed_at_its_contact_address(world):
    _invite(world, world.tfc)
    assert not emails_to(world.tfc.contact_email)
    assert emails_to(world.provider.email)


def test_the_csa_sees_no_adviser_on_the_portal_yet_on_the_annex2_row(world, lonely, client):
    offer = _invite(world, lonely)
    _invite(world, world.tfc)
    client.force_login(world.csa)
    page = client.get(offer.priority.jisp.get_absolute_url()).content.decode()
    assert page.count("No adviser on the portal yet") == 1
    client.force_login(world.go_director)
    assert "No adviser on the portal yet" not in client.get(offer.priority.jisp.get_absolute_url()).content.decode()


def test_approving_invites_the_person_as_an_adviser_of_the_provider(world, lonely, client):
    _invite(world, lonely)
    access = request_access(provider=lonely, full_name="Rae Learner", email="rae@rlp.example.org")
    with pytest.raises(PermissionDenied):
        approve_access_request(actor=world.csa_other, access_request=access)
    with pytest.raises(PermissionDenied):
        approve_access_request(actor=world.go_director, access_request=access)
    approve_access_request(actor=world.csa, access_request=access)
    access.refresh_from_db()
    invitation = Invitation.objects.get(email="rae@rlp.example.org")
    assert access.status == AccessRequest.Status.APPROVED
    assert access.invitation == invitation
    assert invitation.role == Role.PROVIDER_ADVISER
    assert invitation.provider == lonely
    assert invitation.invited_by == world.csa
    assert "You have been invited to the JISP portal" in subjects_to("rae@rlp.example.org")
    with pytest.raises(ServiceError, match="already been approved"):
        decline_access_request(actor=world.csa, access_request=access)


def test_declining_tells_the_person(world, lonely):
    access = request_access(provider=lonely, full_name="Rae", email="rae@rlp.example.org")
    decline_access_request(actor=world.admin, access_request=access)
    assert subjects_to("rae@rlp.example.org") == ["Your request for access to the JISP portal"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DECLINED, actor=world.admin).exists()


def test_a_made_up_or_tampered_link_does_not_work(client, db, lonely):
    from accounts.services import access_request_link

    path = urlparse(access_request_link(lonely)).path
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get(reverse("accounts:access_request_form", args=["made-up"])).status_code == 404


def test_access_requests_are_throttled_per_address(client, db, lonely):
    from accounts.services import access_request_link

    path = urlparse(access_request_link(lonely)).path
    for n in range(10):
        client.post(path, {"full_name": "R", "email": f"r{n}@rlp.example.org"})
    refused = client.post(path, {"full_name": "R", "email": "late@rlp.example.org"})
    assert refused.status_code == 200
    assert "too many requests" in refused.content.decode()
    assert AccessRequest.objects.count() == 10


def test_the_approved_plans_copy_goes_to_partners_contact_addresses_and_the_go_director(world, lonely):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from plans.models import Offer, PlanCopy
    from plans.services.workflow import copy_approved_plan
    from tests.plans.factories import OfferFactory

    plan = JISPFactory(
        authority=world.newcastle, status=JISP.Status.APPROVED, approved_at=timezone.now(), approved_by=world.dcs
    )
    plan.pdf.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    priority = PriorityFactory(jisp=plan)
    OfferFactory(priority=priority, provider=lonely, status=Offer.Status.ACCEPTED)
    OfferFactory(priority=priority, provider=world.tfc, status=Offer.Status.ACCEPTED)
    copy_approved_plan(plan)
    copied = set(PlanCopy.objects.filter(jisp=plan).values_list("email", flat=True))
    assert {
        world.dcs.email,
        world.provider.email,
        world.go_director.email,
        "hello@rlp.example.org",
        world.tfc.contact_email,
    } <= copied
    assert world.go_director_other.email not in copied
    lonely_body = emails_to("hello@rlp.example.org")[0].body
    assert "Dear colleagues at Regional Learning Partnership" in lonely_body
    assert "/request-access/" in lonely_body
    tfc_body = emails_to(world.tfc.contact_email)[0].body
    assert "/request-access/" not in tfc_body, "TfC has an adviser on the portal"
    copy_approved_plan(plan)
    assert len(emails_to("hello@rlp.example.org")) == 1, "copying again sends nothing twice"


def test_the_operator_command_sends_a_two_factor_link(db):
    user = UserFactory(email="first.admin@example.gov.uk", role=Role.ADMIN, is_superuser=True, is_staff=True)
    out = StringIO()
    call_command("two_factor_link", "First.Admin@example.gov.uk", stdout=out)
    assert "/two-factor/link/" in out.getvalue()
    assert subjects_to(user.email) == ["Set up two-factor sign-in for the JISP portal"]
    with pytest.raises(CommandError):
        call_command("two_factor_link", "nobody@example.gov.uk")
