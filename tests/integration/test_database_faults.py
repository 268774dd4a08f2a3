"""The database refuses a write in the middle of an action: a clear error page, no partial state.

Generic over every POST case of the permission matrix that does something (its first role with a
redirect): the action is run once to count its writes to the portal's tables, then run again with
the first write, and again with the last, refused by the database — a constraint (IntegrityError) or
a lost connection (OperationalError). Each time the user gets the GOV.UK "Sorry, there is a problem
with the service" page (500, or 503 with Retry-After for a lost connection), never a traceback, and
every table of the portal is exactly as before: each service is one transaction.
"""

import re

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client

from tests.conftest import ROLES
from tests.matrix import all_cases
from tests.test_csrf_and_get_safety import snapshot

WRITE = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(accounts|authorities|providers|plans|meetings)_', re.I
)
SORRY = "Sorry, there is a problem with the service"


def acting(case):
    return next((r for r in ROLES if r != "anonymous" and case.status_for(r) == 302), None)


CASES = [(c, acting(c)) for c in all_cases() if c.method == "post" and acting(c)]


class RefuseWrite:
    """A connection.execute_wrapper counting the portal's writes and refusing the ``n``-th one."""

    def __init__(self, n=0, error=IntegrityError):
        self.n, self.error, self.writes = n, error, 0

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.writes += 1
            if self.writes == self.n:
                raise self.error(f"injected: the database refused write {self.n}")
        return execute(sql, params, many, context)


def run(case, role, world, refuse):
    """Set the case up, post it with ``refuse`` on the connection; return (response, before, after)."""
    with transaction.atomic():
        objects = case.setup(world) if case.setup else None
        client = Client(raise_request_exception=False)
        world.client_for(client, role)
        url = case.url(world, objects)
        data = case.data(world, objects) if case.data else {}
        before = snapshot()
        with transaction.atomic():  # a write refused outside any transaction of the app's own ends here
            with connection.execute_wrapper(refuse):
                response = client.post(url, data)
            outside = connection.needs_rollback
        after = snapshot()
        transaction.set_rollback(True)
    # A write refused outside every atomic block of the portal is only harmless if it was the first.
    assert not outside or refuse.n <= 1, f"{case.name}: write {refuse.n} was refused outside a transaction"
    return response, before, after


@pytest.mark.integration
@pytest.mark.parametrize(("case", "role"), CASES, ids=[f"{c.name} as {r}" for c, r in CASES])
def test_a_refused_write_shows_the_error_page_and_changes_nothing(case, role, world):
    counter = RefuseWrite()
    response, before, after = run(case, role, world, counter)
    assert response.status_code == 302, f"{case.name}: the action itself should succeed"
    if counter.writes == 0:
        assert after == before  # an action that writes nothing (sign-out): nothing to refuse
        return
    for n, error, status in ((1, OperationalError, 503), (counter.writes, IntegrityError, 500)):
        refuse = RefuseWrite(n, error)
        response, before, after = run(case, role, world, refuse)
        where = f"{case.name} as {role}, write {n} of {counter.writes} refused with {error.__name__}"
        assert refuse.writes >= n, f"{where}: the write was never reached"
        assert response.status_code == status, f"{where}: got {response.status_code}"
        page = response.content.decode()
        assert SORRY in page, where
        assert "Traceback" not in page, where
        assert "injected" not in page, where
        if status == 503:
            assert response["Retry-After"]
        changed = sorted(label for label in before if before[label] != after[label])
        assert not changed, f"{where}: partial state left in {changed}"
