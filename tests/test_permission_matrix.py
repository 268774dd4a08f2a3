"""Every case of ``tests.matrix`` for every role: the status each role gets, and what it changes."""

import pytest

from tests.conftest import ROLES
from tests.matrix import all_cases

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
