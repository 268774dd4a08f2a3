import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail, Role
from authorities import services
from authorities.models import RegionalForum
from core.errors import ServiceError
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_csa(world):
    return UserFactory(email="nat@example.gov.uk", full_name="Nat Newcomer", role=Role.CSA, region=world.ne)


def test_go_director_reassigns_csa_and_everyone_concerned_is_emailed(world, new_csa):
    services.reassign_csa(actor=world.go_director, authority=world.newcastle, csa=new_csa)
    world.newcastle.refresh_from_db()
    assert world.newcastle.csa == new_csa
    recipients = set(OutboundEmail.objects.values_list("recipient", flat=True))
    assert {new_csa.email, world.csa.email, world.dcs.email} <= recipients


def test_admin_may_reassign_in_any_region(world):
    other = UserFactory(email="leeds2@example.gov.uk", role=Role.CSA, region=world.yh)
    services.reassign_csa(actor=world.admin, authority=world.leeds, csa=other)
    world.leeds.refresh_from_db()
    assert world.leeds.csa == other


@pytest.mark.parametrize("role", ["go_director_other", "csa", "dcs", "la_officer", "provider", "national"])
def test_others_may_not_reassign(world, new_csa, role):
    with pytest.raises(PermissionDenied):
        services.reassign_csa(actor=world.users[role], authority=world.newcastle, csa=new_csa)
    world.newcastle.refresh_from_db()
    assert world.newcastle.csa == world.csa


def test_csa_of_another_region_is_refused(world):
    with pytest.raises(ServiceError, match="another region") as error:
        services.reassign_csa(actor=world.go_director, authority=world.newcastle, csa=world.csa_other)
    assert error.value.field == "csa"
    world.newcastle.refresh_from_db()
    assert world.newcastle.csa == world.csa


def test_non_csa_and_inactive_csa_are_refused(world):
    with pytest.raises(ServiceError, match="not an active"):
        services.reassign_csa(actor=world.go_director, authority=world.newcastle, csa=world.go_director)
    gone = UserFactory(email="gone@example.gov.uk", role=Role.CSA, region=world.ne, is_active=False)
    with pytest.raises(ServiceError, match="not an active"):
        services.reassign_csa(actor=world.go_director, authority=world.newcastle, csa=gone)


def test_same_csa_again_is_refused(world):
    with pytest.raises(ServiceError, match="already"):
        services.reassign_csa(actor=world.go_director, authority=world.newcastle, csa=world.csa)


def test_admin_creates_forum_chair_becomes_member(world):
    forum = services.create_forum(
        actor=world.admin,
        region=world.yh,
        name="  Yorkshire Forum ",
        chair=world.go_director_other,
        members=[world.csa_other],
        partners=[world.ns],
    )
    assert forum.name == "Yorkshire Forum"
    assert set(forum.members.all()) == {world.csa_other, world.go_director_other}
    assert list(forum.partners.all()) == [world.ns]


def test_duplicate_forum_name_in_region_is_refused(world):
    with pytest.raises(ServiceError, match="already has a forum") as error:
        services.create_forum(actor=world.admin, region=world.ne, name=world.forum.name.upper())
    assert error.value.field == "name"


@pytest.mark.parametrize("role", ["csa", "go_director", "dcs", "provider", "national"])
def test_only_admins_create_forums(world, role):
    with pytest.raises(PermissionDenied):
        services.create_forum(actor=world.users[role], region=world.ne, name="Another forum")
    assert not RegionalForum.objects.filter(name="Another forum").exists()


def test_regional_admin_manages_only_their_region(world):
    regional = UserFactory(email="admin.ne@example.gov.uk", role=Role.ADMIN, region=world.ne)
    services.create_forum(actor=regional, region=world.ne, name="North East Youth Forum")
    with pytest.raises(PermissionDenied):
        services.create_forum(actor=regional, region=world.yh, name="Yorkshire Youth Forum")
    with pytest.raises(PermissionDenied):
        services.update_forum(actor=regional, forum=world.forum, region=world.yh, name=world.forum.name)
    leeds_forum = services.create_forum(actor=world.admin, region=world.yh, name="Leeds Forum")
    with pytest.raises(PermissionDenied):
        services.update_forum(actor=regional, forum=leeds_forum, region=world.yh, name="Renamed")


def test_update_forum_changes_members_and_partners(world):
    services.update_forum(
        actor=world.admin,
        forum=world.forum,
        region=world.ne,
        name="North East Forum",
        chair=world.csa,
        members=[world.dcs],
        partners=[world.ns],
    )
    world.forum.refresh_from_db()
    assert world.forum.name == "North East Forum"
    assert world.forum.chair == world.csa
    assert set(world.forum.members.all()) == {world.dcs, world.csa}
    assert list(world.forum.partners.all()) == [world.ns]


def test_inactive_member_is_refused(world):
    gone = UserFactory(email="gone2@example.gov.uk", role=Role.CSA, region=world.ne, is_active=False)
    with pytest.raises(ServiceError, match="switched off"):
        services.update_forum(actor=world.admin, forum=world.forum, region=world.ne, name="X", members=[gone])
