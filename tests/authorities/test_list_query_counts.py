"""List pages run the same number of SQL queries with 3 rows as with 30 (a page of 25)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import RegionalForum
from tests.authorities.factories import LocalAuthorityFactory, NationalIndicatorFactory
from tests.providers.factories import ProviderFactory, ProvisionFeedbackFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_authorities(world, n, start):
    for i in range(start, start + n):
        LocalAuthorityFactory(
            name=f"Borough {i}", gss_code=f"E09{i:06d}", region=world.ne, csa=world.csa, dcs=world.dcs
        )


def add_indicators(world, n, start):
    for i in range(start, start + n):
        NationalIndicatorFactory(number=i)


def add_providers(world, n, start):
    for i in range(start, start + n):
        ProviderFactory(abbreviation=f"X{i}", name=f"Provider {i}").regions.set([world.ne, world.yh])


def add_forums(world, n, start):
    for i in range(start, start + n):
        forum = RegionalForum.objects.create(region=world.ne, name=f"Forum {i}", chair=world.go_director)
        forum.members.set([world.csa, world.dcs])
        forum.partners.set([world.tfc, world.ns])


def add_feedback(world, n, start):
    for i in range(start, start + n):
        ProvisionFeedbackFactory(provider=world.tfc, authority=world.newcastle, given_by=world.dcs, rating=1 + i % 5)


@pytest.mark.parametrize(
    ("url_name", "add", "existing", "user"),
    [
        ("authorities:list", add_authorities, 3, "csa"),
        ("authorities:indicator_list", add_indicators, 0, "dcs"),
        ("providers:list", add_providers, 2, "provider"),
        ("authorities:forum_list", add_forums, 1, "national"),
        ("providers:feedback_list", add_feedback, 0, "go_director"),
    ],
)
def test_list_query_count_does_not_grow(client, world, url_name, add, existing, user):
    client.force_login(world.users[user])
    url = reverse(url_name)
    add(world, 3 - existing, 1000)
    small = queries_for(client, url)
    add(world, 27, 2000)
    large = queries_for(client, url)
    assert small == large
    assert "Page 1 of 2" in client.get(url).content.decode()
