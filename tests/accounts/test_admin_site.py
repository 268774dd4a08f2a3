"""The Django admin is for administrators only: staff status alone does not open it."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_a_staff_user_of_another_role_gets_the_admin_sign_in_page_never_the_index(client, role):
    user = UserFactory(role=role, is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "not authorized to access this page" in html
    assert "Site administration" not in html
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_an_administrator_gets_the_admin(client):
    admin_user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "JISP portal administration" in response.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_a_superuser_gets_the_admin_whatever_the_role_field_says(client):
    client.force_login(UserFactory(role=Role.CSA, is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_inactive_administrator_is_refused(client):
    user = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_the_admin_sign_in_form_refuses_a_staff_user_of_another_role(client):
    UserFactory(email="csa@example.gov.uk", role=Role.CSA, is_staff=True)
    response = client.post(
        reverse("admin:login"), {"username": "csa@example.gov.uk", "password": "correct-horse-battery"}
    )
    follow = client.get(reverse("admin:index"))
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("admin:login"))
    assert response.status_code in (200, 302)


def test_plans_are_read_only_in_the_admin(client, world):
    """Support staff look plans and offers up in the admin; changes go through the portal's services."""
    from plans.models import Offer
    from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

    offer = OfferFactory(
        priority=PriorityFactory(jisp=JISPFactory(authority=world.newcastle, period="2010-11")),
        provider=world.tfc,
        description="By May 2010, conduct 2 visits",
    )
    client.force_login(world.admin)
    page = client.get(reverse("admin:plans_offer_changelist"), {"q": "visits"})
    assert page.status_code == 200
    assert "Together for Children" in page.content.decode()
    one_plan = client.get(
        reverse("admin:plans_offer_changelist"), {"priority__jisp__id__exact": offer.priority.jisp_id}
    )
    assert one_plan.status_code == 200
    assert "1 offer" in one_plan.content.decode()
    assert client.get(reverse("admin:plans_offer_add")).status_code == 403
    url = reverse("admin:plans_offer_change", args=[offer.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "accepted"})
    assert Offer.objects.get(pk=offer.pk).status == offer.status
    assert client.post(reverse("admin:plans_offer_delete", args=[offer.pk]), {"post": "yes"}).status_code == 403
    assert Offer.objects.filter(pk=offer.pk).exists()
