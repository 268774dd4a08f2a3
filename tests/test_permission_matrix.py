"""Every case of ``tests.matrix`` for every role: the status each role gets, and what it changes."""

import pytest

from tests.conftest import ROLES
from tests.matrix import all_cases
from tests.matrix.orgless import ROLES as ORGLESS_ROLES
from tests.matrix.orgless import STRICTER
from tests.matrix.orgless import status_for as orgless_status

CASES = all_cases()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(case, role, world, client):
    objects = case.setup(world) if case.setup else None
    url = case.url(world, objects)
    world.client_for(client, role)
    data = case.data(world, objects) if case.data else {}
    response = getattr(client, case.method)(url, data) if case.method == "post" else client.get(url, data)
    expected = case.status_for(role)
    assert response.status_code == expected, f"{case.name} as {role}: expected {expected}, got {response.status_code}"
    if role == "anonymous" and expected == 302:
        assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]
    if case.then:
        case.then(world, objects, role, response)


@pytest.mark.parametrize("role", ORGLESS_ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix_without_organisation(case, role, world, orgless, client):
    """Every case for the organisation-less roles (``tests.matrix.orgless``): never more than a
    stranger of the same role."""
    objects = case.setup(world) if case.setup else None
    url = case.url(world, objects)
    world.client_for(client, role)
    data = case.data(world, objects) if case.data else {}
    response = getattr(client, case.method)(url, data) if case.method == "post" else client.get(url, data)
    expected = orgless_status(case, role)
    assert response.status_code == expected, f"{case.name} as {role}: expected {expected}, got {response.status_code}"
    if case.then:
        case.then(world, objects, role, response)


def test_the_organisation_less_are_only_ever_refused_more():
    """The exceptions for the organisation-less roles are refusals of cases that exist."""
    names = {case.name for case in CASES}
    for name, statuses in STRICTER.items():
        assert name in names, f"no case {name!r}"
        assert set(statuses.values()) <= {403, 404}, name
        assert set(statuses) <= set(ORGLESS_ROLES), name
