"""Who may download a provider's deployment plan (``plans.download_deployment_plan``; the matrix
holds every role of the test world, this the cases it has no user for)."""

import pytest
from django.urls import reverse

from accounts.models import Role
from plans.models import JISP
from tests.accounts.factories import UserFactory
from tests.matrix.plans_drafting import _draft, _with_deployment_plan

pytestmark = pytest.mark.django_db


def test_another_csa_or_administrator_of_the_region_may_see_the_plan_but_not_download(world, client):
    plan = _draft(world)["plan"]
    url = reverse("plans:deployment_plan_download", args=[plan.pk])
    colleague = UserFactory(email="second.csa@example.gov.uk", role=Role.CSA, region=world.ne)
    client.force_login(colleague)
    assert client.get(plan.jisp.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    other_admin = UserFactory(email="admin.yh@example.gov.uk", role=Role.ADMIN, region=world.yh)
    client.force_login(other_admin)
    assert client.get(url).status_code == 403
    regional_admin = UserFactory(email="admin.ne@example.gov.uk", role=Role.ADMIN, region=world.ne)
    client.force_login(regional_admin)
    assert client.get(url).status_code == 200


def test_the_annex2_page_links_the_file_only_for_those_who_may_download_it(world, client):
    objects = _with_deployment_plan(world, JISP.Status.APPROVED)
    link = reverse("plans:deployment_plan_download", args=[objects["plan"].pk])
    client.force_login(world.provider)
    page = client.get(objects["jisp"].get_absolute_url()).content.decode()
    assert "ns-deployment.pdf" in page
    assert link not in page
    client.force_login(world.provider_other)
    assert link in client.get(objects["jisp"].get_absolute_url()).content.decode()
