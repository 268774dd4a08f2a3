import pytest

from accounts.models import Role
from authorities.models import LocalAuthority
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_csa_sees_authorities_they_lead_by_status_with_filtered_links(client, world):
    world.gateshead.support_status = LocalAuthority.SupportStatus.IMPROVEMENT_NOTICE
    world.gateshead.save()
    html = page(client, world.csa)
    assert "Authorities you lead" in html
    assert f"/authorities/?csa={world.csa.pk}&amp;support_status=improvement_notice" in html
    assert "See all 2 authorities" in html


def test_csa_with_no_authorities_sees_empty_state(client, world):
    new = UserFactory(email="new.csa@example.gov.uk", role=Role.CSA, region=world.ne)
    assert "You are not the lead adviser for any authority yet" in page(client, new)


def test_go_director_sees_region_by_status(client, world):
    world.gateshead.csa = None
    world.gateshead.save()
    html = page(client, world.go_director)
    assert "Authorities in North East" in html
    assert f"/authorities/?region={world.ne.pk}&amp;support_status=universal" in html
    assert "1 authority has no lead adviser" in html


def test_dcs_sees_their_authority_card(client, world):
    html = page(client, world.la_officer)
    assert "Your authority" in html
    assert "Newcastle upon Tyne" in html
    assert "Chris Adviser" in html


def test_national_sees_counts_by_region(client, world):
    world.leeds.support_status = LocalAuthority.SupportStatus.INTERVENTION
    world.leeds.save()
    html = page(client, world.national)
    assert "Authorities by region" in html
    assert f"/authorities/?region={world.yh.pk}" in html


def test_admin_sees_forums_per_region_and_user_management(client, world):
    html = page(client, world.admin)
    assert "Regional forums" in html
    assert "North East Regional Children" in html
    assert "No forum yet" in html  # Yorkshire and the Humber
    assert "/admin/accounts/user/" in html
    assert "Manage users" in html
