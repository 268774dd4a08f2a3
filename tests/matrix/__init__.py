"""The permission matrix: every page and action × every role of ``tests.conftest.ROLES``.

Each module here (one per app) defines ``CASES``, a list of ``Case``. A case names the URL (built
from the ``world`` fixture, after ``setup`` has made any objects it needs), the method, the data to
post, and the status each role gets: ``expect`` maps role → status, ``default`` covers the rest.
Anonymous users are always sent to sign in (302), so ``anonymous`` need not be listed.
``url_name`` ties the case to a named URL, so the coverage test can tell which URLs have no rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

MODULES = (
    "accounts",
    "accounts_people",
    "authorities",
    "providers",
    "plans_drafting",
    "plans_offers",
    "plans_delivery",
    "plans_workflow",
    "plans_analysis",
    "plans_imports",
    "plans_changes",
    "meetings",
    "meetings_clocks",
    "improvement",
    "api",
    "search",
    "security",
    "states",
)


@dataclass
class Case:
    name: str
    url_name: str
    url: Callable  # (world, objects) -> str
    expect: dict
    default: int = 404
    method: str = "get"
    data: Callable | None = None  # (world, objects) -> dict
    setup: Callable | None = None  # (world) -> objects
    then: Callable | None = field(default=None, repr=False)  # (world, objects, role, response) -> None

    def status_for(self, role):
        if role == "anonymous":
            return self.expect.get("anonymous", 302)
        return self.expect.get(role, self.default)


def all_cases():
    cases = []
    for name in MODULES:
        try:
            module = import_module(f"tests.matrix.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"tests.matrix.{name}":
                raise
            continue
        cases.extend(module.CASES)
    return cases


def everyone(status, **overrides):
    """expect-dict helper: the same status for every signed-in role, with overrides."""
    from tests.conftest import ROLES

    expect = {role: status for role in ROLES if role != "anonymous"}
    expect.update(overrides)
    return expect
