"""Every API endpoint × every role: the status each role gets (``default`` for the roles not named).

An endpoint is named by its URL name, so ``test_url_coverage`` can tell which API URLs have no row.
Anonymous callers (no token) always get 401.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from tests.api.conftest import PERIOD

EVERYONE = 200
NE_PLAN = {"csa", "go_director", "dcs", "la_officer", "provider", "national", "admin"}
YH_PLAN = {"csa_other", "go_director_other", "dcs_other", "provider_other", "national", "admin"}
NE_ANALYSIS = {"csa", "go_director", "national", "admin"}
ANALYSTS = {"csa", "csa_other", "go_director", "go_director_other", "national", "admin"}
NATIONAL = {"national", "admin"}
COMPLIANCE = {"csa", "csa_other", "go_director", "go_director_other", "provider", "provider_other", "national", "admin"}


@dataclass
class Endpoint:
    name: str
    url_name: str
    url: Callable  # (cast) -> str
    allowed: set | None = None  # roles that get 200; None: every signed-in role
    refused: int = 404  # what the others get

    def status_for(self, role):
        if role == "anonymous":
            return 401
        return 200 if self.allowed is None or role in self.allowed else self.refused


def named(url_name, **kwargs):
    return lambda c: reverse(url_name, kwargs={k: v(c) for k, v in kwargs.items()})


ENDPOINTS = [
    Endpoint("regions", "api:region-list", named("api:region-list")),
    Endpoint("a region", "api:region-detail", named("api:region-detail", pk=lambda c: c.world.ne.pk)),
    Endpoint("authorities", "api:authority-list", named("api:authority-list")),
    Endpoint("an authority", "api:authority-detail", named("api:authority-detail", pk=lambda c: c.world.leeds.pk)),
    Endpoint("providers", "api:provider-list", named("api:provider-list")),
    Endpoint("a provider", "api:provider-detail", named("api:provider-detail", pk=lambda c: c.world.tfc.pk)),
    Endpoint("indicators", "api:indicator-list", named("api:indicator-list")),
    Endpoint("an indicator", "api:indicator-detail", named("api:indicator-detail", pk=lambda c: c.indicator.pk)),
    Endpoint("plans", "api:plan-list", named("api:plan-list")),
    Endpoint(
        "a North East plan",
        "api:plan-detail",
        named("api:plan-detail", pk=lambda c: c.newcastle_plan.pk),
        allowed=NE_PLAN,
    ),
    Endpoint(
        "a Yorkshire plan", "api:plan-detail", named("api:plan-detail", pk=lambda c: c.leeds_plan.pk), allowed=YH_PLAN
    ),
    Endpoint(
        "a draft plan", "api:plan-detail", named("api:plan-detail", pk=lambda c: c.gateshead_draft.pk), allowed=set()
    ),
    Endpoint("analysis", "api:analysis", named("api:analysis"), allowed=ANALYSTS),
    Endpoint(
        "North East analysis",
        "api:analysis-region",
        named("api:analysis-region", slug=lambda c: c.world.ne.slug, period=lambda c: PERIOD),
        allowed=NE_ANALYSIS,
    ),
    Endpoint(
        "national analysis",
        "api:analysis-national",
        named("api:analysis-national", period=lambda c: PERIOD),
        allowed=NATIONAL,
    ),
    Endpoint("compliance", "api:compliance", named("api:compliance"), allowed=COMPLIANCE, refused=403),
    Endpoint("schema", "api:schema", named("api:schema")),
]
