"""Invitations (``accounts.services``): who may invite whom, and every way a link stops working.

The world: a system administrator (``admin``), the North East's GO director and CSA (who leads
Newcastle and Gateshead), Yorkshire's (Leeds), and the providers TfC and NS.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, OutboundEmail, Role, User
from accounts.services import (
    INVITATION_DAYS,
    accept_invitation,
    cancel_invitation,
    import_invitations,
    invite_user,
    resend_invitation,
)
from accounts.tokens import decode_id, invitation_tokens
from core.errors import ServiceError
from tests.accounts.factories import UserFactory
from tests.accounts.mail import emails_to, link_to
from tests.plans.factories import OfferFactory

pytestmark = pytest.mark.django_db
PASSWORD = "harbour lantern violet"


def _token_of(invitation):
    """The token in the newest invitation email to the invitee."""
    path = link_to(invitation.email, "/invitation/")
    parts = path.strip("/").split("/")
    assert decode_id(parts[1]) == invitation.pk
    return parts[2]


# --- who may invite whom ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "role", "organisation"),
    [
        ("admin", Role.CSA, "yh"),
        ("admin", Role.NATIONAL, None),
        ("admin", Role.ADMIN, None),
        ("admin", Role.PROVIDER_ADVISER, "ns"),
        ("go_director", Role.CSA, "ne"),
        ("go_director", Role.DCS, "gateshead"),
        ("go_director", Role.LA_OFFICER, "newcastle"),
        ("csa", Role.DCS, "gateshead"),
        ("csa", Role.LA_OFFICER, "newcastle"),
    ],
)
def test_who_may_invite(world, actor, role, organisation):
    org = getattr(world, organisation) if organisation else None
    field = {"ne": "region", "yh": "region", "ns": "provider"}.get(organisation, "authority")
    invitation = invite_user(
        actor=world.users[actor],
        email="new.person@example.gov.uk",
        full_name="New Person",
        role=role,
        **({field: org} if org else {}),
    )
    assert invitation.role == role
    assert invitation.invited_by == world.users[actor]
    assert invitation.organisation == org
    assert invitation.expires_at - invitation.sent_at == timedelta(days=INVITATION_DAYS)
    assert [e.subject for e in emails_to("new.person@example.gov.uk")] == ["You have been invited to the JISP portal"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITED, object_id=str(invitation.pk)).exists()


@pytest.mark.parametrize(
    ("actor", "role", "organisation"),
    [
        ("go_director", Role.CSA, "yh"),  # another region
        ("go_director", Role.DCS, "leeds"),
        ("go_director", Role.GO_DIRECTOR, "ne"),  # not their role to give
        ("go_director", Role.ADMIN, None),
        ("go_director", Role.NATIONAL, None),
        ("csa", Role.DCS, "leeds"),  # an authority they do not lead
        ("csa", Role.CSA, "ne"),
        ("csa", Role.PROVIDER_ADVISER, "ns"),  # a provider they have not invited
        ("csa_other", Role.LA_OFFICER, "newcastle"),
        ("dcs", Role.LA_OFFICER, "newcastle"),
        ("la_officer", Role.LA_OFFICER, "newcastle"),
        ("provider", Role.PROVIDER_ADVISER, "tfc"),
        ("national", Role.NATIONAL, None),
    ],
)
def test_who_may_not_invite(world, actor, role, organisation):
    org = getattr(world, organisation) if organisation else None
    field = {"ne": "region", "yh": "region", "ns": "provider", "tfc": "provider"}.get(organisation, "authority")
    with pytest.raises(PermissionDenied):
        invite_user(
            actor=world.users[actor],
            email="new.person@example.gov.uk",
            full_name="New Person",
            role=role,
            **({field: org} if org else {}),
        )
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_regional_administrator_invites_in_their_region_only(world):
    regional = UserFactory(email="admin.ne@example.gov.uk", role=Role.ADMIN, region=world.ne)
    invite_user(actor=regional, email="a@example.gov.uk", full_name="A", role=Role.CSA, region=world.ne)
    invite_user(actor=regional, email="b@example.gov.uk", full_name="B", role=Role.ADMIN, region=world.ne)
    for role, organisation in ((Role.CSA, {"region": world.yh}), (Role.DCS, {"authority": world.leeds})):
        with pytest.raises(PermissionDenied):
            invite_user(actor=regional, email="c@example.gov.uk", full_name="C", role=role, **organisation)
    with pytest.raises(PermissionDenied):
        invite_user(actor=regional, email="d@example.gov.uk", full_name="D", role=Role.ADMIN)  # the whole service
    with pytest.raises(PermissionDenied):
        invite_user(actor=regional, email="e@example.gov.uk", full_name="E", role=Role.NATIONAL)


def test_a_csa_invites_the_advisers_of_a_provider_they_invited_to_offer(world):
    with pytest.raises(PermissionDenied):
        invite_user(
            actor=world.csa, email="x@ns.example.org", full_name="X", role=Role.PROVIDER_ADVISER, provider=world.ns
        )
    OfferFactory(priority__jisp__authority=world.newcastle, provider=world.ns)
    invitation = invite_user(
        actor=world.csa, email="x@ns.example.org", full_name="X", role=Role.PROVIDER_ADVISER, provider=world.ns
    )
    assert invitation.provider == world.ns
    with pytest.raises(PermissionDenied):  # Leeds's CSA did not invite NS
        invite_user(
            actor=world.csa_other,
            email="y@ns.example.org",
            full_name="Y",
            role=Role.PROVIDER_ADVISER,
            provider=world.ns,
        )


def test_the_organisation_the_role_needs_is_asked_for(world):
    with pytest.raises(ServiceError) as refused:
        invite_user(actor=world.admin, email="x@example.gov.uk", full_name="X", role=Role.DCS)
    assert refused.value.field == "authority"
    assert not Invitation.objects.exists()


def test_an_email_that_has_an_account_is_refused_and_nothing_changes(world):
    with pytest.raises(ServiceError) as refused:
        invite_user(
            actor=world.go_director,
            email="DCS@example.gov.uk",
            full_name="Sam",
            role=Role.LA_OFFICER,
            authority=world.gateshead,
        )
    assert "dcs@example.gov.uk already has an account" in refused.value.message
    assert "Director of Children's Services, Newcastle upon Tyne" in refused.value.message  # their own region's user
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.exists()
    # Someone who does not manage that account learns only that it exists.
    with pytest.raises(ServiceError) as refused:
        invite_user(
            actor=world.csa,
            email="dcs.leeds@example.gov.uk",
            full_name="L",
            role=Role.LA_OFFICER,
            authority=world.newcastle,
        )
    assert refused.value.message == "dcs.leeds@example.gov.uk already has an account. Nothing was sent."


def test_a_pending_invitation_is_not_duplicated_but_an_expired_one_gives_way(world):
    first = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    with pytest.raises(ServiceError, match="was already invited"):
        invite_user(
            actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
        )
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    second = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    first.refresh_from_db()
    assert first.cancelled_at is not None
    assert second.state == "pending"


# --- the link -------------------------------------------------------------------------------------


def test_accepting_makes_the_account_with_the_role_and_organisation(world):
    invitation = invite_user(
        actor=world.csa, email="Gail@Example.gov.uk", full_name="Gail", role=Role.DCS, authority=world.gateshead
    )
    token = _token_of(invitation)
    user = accept_invitation(invitation=invitation, token=token, full_name="Gail Gates", password=PASSWORD)
    assert (user.email, user.full_name, user.role) == ("gail@example.gov.uk", "Gail Gates", Role.DCS)
    assert user.authority == world.gateshead
    assert user.region == world.ne
    assert user.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at
    assert invitation.user == user
    world.gateshead.refresh_from_db()
    assert world.gateshead.dcs == user, "the vacant DCS post is theirs"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED, actor=user).exists()


def test_a_new_dcs_does_not_displace_the_authoritys_active_dcs(world):
    invitation = invite_user(
        actor=world.csa, email="d2@example.gov.uk", full_name="D", role=Role.DCS, authority=world.newcastle
    )
    accept_invitation(invitation=invitation, token=_token_of(invitation), full_name="D", password=PASSWORD)
    world.newcastle.refresh_from_db()
    assert world.newcastle.dcs == world.dcs


def test_a_link_works_once(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    token = _token_of(invitation)
    accept_invitation(invitation=invitation, token=token, full_name="N", password=PASSWORD)
    User.objects.filter(email="n@example.gov.uk").delete()  # even with the account gone, the link is spent
    with pytest.raises(ServiceError, match="expired, has already been used or was cancelled"):
        accept_invitation(invitation=invitation, token=token, full_name="N", password=PASSWORD)


def test_an_expired_link_is_refused(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    token = _token_of(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ServiceError, match="expired"):
        accept_invitation(invitation=invitation, token=token, full_name="N", password=PASSWORD)
    assert not User.objects.filter(email="n@example.gov.uk").exists()


def test_a_cancelled_invitations_link_is_refused(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    token = _token_of(invitation)
    cancel_invitation(actor=world.go_director, invitation=invitation)
    with pytest.raises(ServiceError):
        accept_invitation(invitation=invitation, token=token, full_name="N", password=PASSWORD)
    with pytest.raises(ServiceError, match="it was cancelled"):
        resend_invitation(actor=world.csa, invitation=invitation)


def test_sending_again_replaces_the_link_and_extends_the_week(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    old = _token_of(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=6), expires_at=timezone.now() + timedelta(days=1)
    )
    invitation.refresh_from_db()
    resent = resend_invitation(actor=world.csa, invitation=invitation)
    assert resent.expires_at > timezone.now() + timedelta(days=6)
    new = _token_of(resent)
    assert new != old
    assert not invitation_tokens.check_token(resent, old), "the first email's link no longer works"
    assert len(emails_to("n@example.gov.uk")) == 2
    accept_invitation(invitation=resent, token=new, full_name="N", password=PASSWORD)


def test_a_tampered_token_or_another_invitations_token_is_refused(world):
    one = invite_user(
        actor=world.csa, email="one@example.gov.uk", full_name="One", role=Role.LA_OFFICER, authority=world.newcastle
    )
    two = invite_user(
        actor=world.csa, email="two@example.gov.uk", full_name="Two", role=Role.LA_OFFICER, authority=world.newcastle
    )
    token = _token_of(one)
    for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), _token_of(two), "", "nonsense"):
        with pytest.raises(ServiceError):
            accept_invitation(invitation=one, token=bad, full_name="One", password=PASSWORD)


def test_the_password_must_pass_the_validators(world):
    invitation = invite_user(
        actor=world.csa,
        email="n@example.gov.uk",
        full_name="Nell Newcomer",
        role=Role.LA_OFFICER,
        authority=world.newcastle,
    )
    token = _token_of(invitation)
    for weak in ("short-pass1", "123456789012", "password1234"):
        with pytest.raises(ServiceError) as refused:
            accept_invitation(invitation=invitation, token=token, full_name="Nell Newcomer", password=weak)
        assert refused.value.field == "new_password1"
    assert not User.objects.filter(email="n@example.gov.uk").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None, "a refused password leaves the link usable"


def test_an_account_made_meanwhile_stops_the_invitation(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    token = _token_of(invitation)
    UserFactory(email="n@example.gov.uk", role=Role.NATIONAL)
    with pytest.raises(ServiceError, match="already exists"):
        accept_invitation(invitation=invitation, token=token, full_name="N", password=PASSWORD)


def test_cancel_and_resend_need_the_invitation_in_scope(world):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    for outsider in ("csa_other", "go_director_other", "dcs"):
        with pytest.raises(PermissionDenied):
            cancel_invitation(actor=world.users[outsider], invitation=invitation)
        with pytest.raises(PermissionDenied):
            resend_invitation(actor=world.users[outsider], invitation=invitation)


# --- the invitee's pages --------------------------------------------------------------------------


def test_the_invitee_follows_the_link_sets_a_password_and_is_signed_in(world, client):
    invitation = invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="Nell", role=Role.LA_OFFICER, authority=world.newcastle
    )
    link = link_to("n@example.gov.uk", "/invitation/")
    response = client.get(link)
    set_up = reverse("accounts:invitation_set_up", args=[link.strip("/").split("/")[1]])
    assert response.status_code == 302
    assert response["Location"] == set_up, "the token leaves the address bar"
    page = client.get(set_up).content.decode()
    assert "Set up your account" in page
    assert "Local authority officer, Newcastle upon Tyne" in page
    short = client.post(set_up, {"full_name": "Nell", "new_password1": "too-short", "new_password2": "too-short"})
    assert "at least 12 characters" in short.content.decode()
    done = client.post(set_up, {"full_name": "Nell Newcomer", "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert User.objects.get(email="n@example.gov.uk").full_name == "Nell Newcomer"
    client.post(reverse("accounts:logout"))
    assert "This link does not work" in client.get(link, follow=True).content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


def test_a_role_that_needs_two_factor_sets_it_up_as_part_of_the_invitation(world, client, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.GO_DIRECTOR.value]
    invite_user(actor=world.admin, email="gd@example.gov.uk", full_name="Gwen", role=Role.GO_DIRECTOR, region=world.ne)
    link = link_to("gd@example.gov.uk", "/invitation/")
    set_up = client.get(link)["Location"]
    assert "next you will set up an authenticator app" in client.get(set_up).content.decode()
    done = client.post(set_up, {"full_name": "Gwen", "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done["Location"] == reverse("accounts:two_factor_setup")
    assert client.get("/")["Location"].startswith(reverse("accounts:two_factor_setup")), "nothing before the device"
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'id="totp-uri"' in page, "the invitation lets them enrol (no set-up link needed)"


def test_someone_signed_in_is_told_to_sign_out_first(world, client):
    invite_user(
        actor=world.csa, email="n@example.gov.uk", full_name="N", role=Role.LA_OFFICER, authority=world.newcastle
    )
    client.force_login(world.la_officer)
    page = client.get(link_to("n@example.gov.uk", "/invitation/"))
    assert page.status_code == 200
    assert "sign out first" in page.content.decode()


# --- many at once ---------------------------------------------------------------------------------


def test_an_import_is_all_or_nothing(world, django_capture_on_commit_callbacks):
    rows = [
        {"email": "a@example.gov.uk", "full_name": "A", "role": Role.LA_OFFICER, "authority": world.newcastle},
        {"email": "b@example.gov.uk", "full_name": "B", "role": Role.DCS, "authority": world.leeds},  # not theirs
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ServiceError) as refused:
        import_invitations(actor=world.go_director, rows=rows)
    assert refused.value.message.startswith("Row 3 (b@example.gov.uk)")
    assert "Nobody was invited" in refused.value.message
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not callbacks
    made = import_invitations(actor=world.go_director, rows=rows[:1])
    assert [i.email for i in made] == ["a@example.gov.uk"]


def test_the_csv_page_checks_every_row_then_invites_them_all(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.go_director)
    url = reverse("accounts:invitation_import")
    bad = "email,name,role,organisation\nok@example.gov.uk,Ok,la_officer,E08000021\nno-at-sign,X,dcs,E08000020\nl@example.gov.uk,L,dcs,E08000035\n"
    page = client.post(url, {"upload": SimpleUploadedFile("people.csv", bad.encode())}).content.decode()
    assert "2 rows cannot be invited" in page
    assert "Row 3: Enter an email address in the correct format" in page
    assert "Row 4: You may not invite someone to this role or organisation" in page
    assert "Send 3 invitations" not in page
    assert not Invitation.objects.exists()
    good = "email,name,role,organisation\nok@example.gov.uk,Ok,la_officer,E08000021\ncsa2@example.gov.uk,Cas,csa,north-east\n"
    page = client.post(url, {"upload": SimpleUploadedFile("people.csv", good.encode())}).content.decode()
    assert "Send 2 invitations" in page
    assert not Invitation.objects.exists(), "checking sends nothing"
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert sorted(Invitation.objects.values_list("email", flat=True)) == ["csa2@example.gov.uk", "ok@example.gov.uk"]
