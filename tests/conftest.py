"""Shared fixtures: fast hashing, eager Celery, and ``world`` — two regions with one user per role.

``world`` is what the permission matrix and most view tests stand on:

- North East: Newcastle upon Tyne (lead CSA ``csa``, DCS ``dcs``, officer ``la_officer``) and its GO
  director ``go_director``; Yorkshire and the Humber: Leeds (``csa_other``, ``dcs_other``,
  ``go_director_other``).
- Providers: Together for Children (``provider``) and National Strategies (``provider_other``).
- ``national``, ``admin`` (a superuser), and ``anonymous`` (no user).
"""

import os
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from jisp_portal.celery import app as celery_app
from providers.models import Provider
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory, RegionalForumFactory, RegionFactory
from tests.providers.factories import ProviderFactory

# Property-based tests are reproducible by default (the same examples on every run, so CI is
# deterministic); HYPOTHESIS_PROFILE=explore draws new random examples to hunt for more.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


ROLES = [
    "csa",
    "csa_other",
    "go_director",
    "go_director_other",
    "dcs",
    "dcs_other",
    "la_officer",
    "provider",
    "provider_other",
    "national",
    "admin",
    "anonymous",
]


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = True
    settings.TWO_FACTOR_REQUIRED_ROLES = []  # tests use force_login; tests/accounts/test_two_factor*.py turn it on
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    cache.clear()  # the Annex 2 page caches approved plans' tables
    yield
    celery_app.conf.task_always_eager = previous


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ne: object = None
    yh: object = None
    newcastle: object = None
    gateshead: object = None
    leeds: object = None
    tfc: object = None
    ns: object = None
    forum: object = None

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def client_for(self, client, role):
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def build_world():
    w = World()
    w.ne = RegionFactory(name="North East", slug="north-east", government_office="Government Office for the North East")
    w.yh = RegionFactory(
        name="Yorkshire and the Humber",
        slug="yorkshire-and-the-humber",
        government_office="Government Office for Yorkshire and the Humber",
    )
    w.newcastle = LocalAuthorityFactory(name="Newcastle upon Tyne", gss_code="E08000021", region=w.ne)
    w.gateshead = LocalAuthorityFactory(name="Gateshead", gss_code="E08000020", region=w.ne)
    w.leeds = LocalAuthorityFactory(name="Leeds", gss_code="E08000035", region=w.yh)
    w.tfc = ProviderFactory(name="Together for Children", abbreviation="TfC", kind=Provider.Kind.FIELD_FORCE)
    w.ns = ProviderFactory(name="National Strategies", abbreviation="NS", kind=Provider.Kind.NATIONAL_STRATEGIES)
    w.tfc.regions.set([w.ne, w.yh])
    w.ns.regions.set([w.ne, w.yh])
    u = w.users
    u["csa"] = UserFactory(email="csa@example.gov.uk", full_name="Chris Adviser", role=Role.CSA, region=w.ne)
    u["csa_other"] = UserFactory(email="csa.yh@example.gov.uk", full_name="Casey Other", role=Role.CSA, region=w.yh)
    u["go_director"] = UserFactory(email="director@example.gov.uk", role=Role.GO_DIRECTOR, region=w.ne)
    u["go_director_other"] = UserFactory(email="director.yh@example.gov.uk", role=Role.GO_DIRECTOR, region=w.yh)
    u["dcs"] = UserFactory(
        email="dcs@example.gov.uk", full_name="Sam Okafor", role=Role.DCS, region=w.ne, authority=w.newcastle
    )
    u["dcs_other"] = UserFactory(email="dcs.leeds@example.gov.uk", role=Role.DCS, region=w.yh, authority=w.leeds)
    u["la_officer"] = UserFactory(
        email="officer@example.gov.uk", role=Role.LA_OFFICER, region=w.ne, authority=w.newcastle
    )
    u["provider"] = UserFactory(email="adviser@tfc.example.org", role=Role.PROVIDER_ADVISER, provider=w.tfc)
    u["provider_other"] = UserFactory(email="adviser@ns.example.org", role=Role.PROVIDER_ADVISER, provider=w.ns)
    u["national"] = UserFactory(email="analyst@example.gov.uk", role=Role.NATIONAL)
    u["admin"] = UserFactory(email="admin@example.gov.uk", role=Role.ADMIN, is_staff=True, is_superuser=True)
    w.newcastle.csa, w.newcastle.dcs = u["csa"], u["dcs"]
    w.newcastle.save()
    w.gateshead.csa = u["csa"]
    w.gateshead.save()
    w.leeds.csa, w.leeds.dcs = u["csa_other"], u["dcs_other"]
    w.leeds.save()
    w.forum = RegionalForumFactory(region=w.ne, chair=u["go_director"])
    w.forum.members.set([u["go_director"], u["csa"]])
    w.forum.partners.set([w.tfc])
    return w


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def reminders_as_they_happen(world, monkeypatch):
    """Everyone wants each reminder emailed as it happens (the default is the daily digest, which has
    its own tests): for tests that follow reminders one by one."""
    from accounts.models import User
    from core.digest import IMMEDIATE

    monkeypatch.setattr(User._meta.get_field("reminder_emails"), "_get_default", lambda: IMMEDIATE)
    User.objects.update(reminder_emails=IMMEDIATE)
    for user in world.users.values():
        user.reminder_emails = IMMEDIATE


@pytest.fixture
def orgless(world):
    """``world`` plus one signed-in-able account per role without its organisation
    (``tests.orgless``): ``orgless["csa_orgless"]`` etc., also in ``world.users``."""
    from tests.orgless import ORGLESS, allow_orgless_accounts, orgless_user, restore_constraints

    allow_orgless_accounts()
    try:
        users = {name: orgless_user(name) for name in ORGLESS}
        world.users.update(users)
        yield users
    finally:
        restore_constraints()


def pytest_collection_modifyitems(items):
    """With ``pytest -n`` (the test command runs one process per core): the browser tests run one
    after another in one process, and so do the integration tests, which share one Redis broker
    database and start real workers (``--dist loadgroup`` keeps a group on one process)."""
    for item in items:
        for group in ("browser", "integration"):
            if f"/tests/{group}/" in str(item.path):
                item.add_marker(pytest.mark.xdist_group(group))
