"""Analysis pages × every role. Everyone outside the audience gets 404, never 403.

The setup turns ``provider`` into an adviser of a RIEP serving the North East only (its own region);
``provider_other`` stays an adviser of National Strategies, which is not a RIEP.
"""

from django.urls import reverse

from plans.models import JISP
from providers.models import Provider
from tests.authorities.factories import RegionalForumFactory
from tests.matrix import Case
from tests.plans.factories import JISPFactory
from tests.providers.factories import ProviderFactory

PERIOD = "2009-10"


def riep_and_plans(world):
    riep = ProviderFactory(name="North East RIEP", abbreviation="NERIEP", kind=Provider.Kind.RIEP)
    riep.regions.set([world.ne])
    adviser = world.users["provider"]
    adviser.provider = riep
    adviser.save()
    JISPFactory(authority=world.newcastle, period=PERIOD, status=JISP.Status.APPROVED)
    JISPFactory(authority=world.leeds, period=PERIOD, status=JISP.Status.APPROVED)
    return {"riep": riep}


def region(slug_attr):
    def url(w, o):
        return reverse("plans:analysis_region", kwargs={"slug": getattr(w, slug_attr).slug, "period": PERIOD})

    return url


def export(slug_attr, table, fmt):
    def url(w, o):
        region = getattr(w, slug_attr)
        return reverse(
            "plans:analysis_export", kwargs={"slug": region.slug, "period": PERIOD, "table": table, "fmt": fmt}
        )

    return url


NE = {"csa": 200, "go_director": 200, "provider": 200, "national": 200, "admin": 200}
YH = {"csa_other": 200, "go_director_other": 200, "national": 200, "admin": 200}
ANALYSTS = {"csa": 200, "csa_other": 200, "go_director": 200, "go_director_other": 200, "provider": 200}


def riep_sees_approved_only(world, objects, role, response):
    if role in ("provider", "national") and response.status_code == 200:
        assert "approved plans only" in response.content.decode()


CASES = [
    Case(
        "analysis index",
        "plans:analysis",
        lambda w, o: reverse("plans:analysis"),
        {**ANALYSTS, "national": 200, "admin": 200},
        setup=riep_and_plans,
    ),
    Case(
        "regional analysis, own region (North East)",
        "plans:analysis_region",
        region("ne"),
        NE,
        setup=riep_and_plans,
        then=riep_sees_approved_only,
    ),
    Case(
        "regional analysis, other region (Yorkshire and the Humber)",
        "plans:analysis_region",
        region("yh"),
        YH,
        setup=riep_and_plans,
    ),
    Case(
        "regional analysis CSV export, North East",
        "plans:analysis_export",
        export("ne", "indicators", "csv"),
        NE,
        setup=riep_and_plans,
    ),
    Case(
        "regional analysis XLSX export, Yorkshire and the Humber",
        "plans:analysis_export",
        export("yh", "providers", "xlsx"),
        YH,
        setup=riep_and_plans,
    ),
    Case(
        "national analysis",
        "plans:analysis_national",
        lambda w, o: reverse("plans:analysis_national", kwargs={"period": PERIOD}),
        {"national": 200, "admin": 200},
        setup=riep_and_plans,
    ),
    Case(
        "national analysis export",
        "plans:analysis_national_export",
        lambda w, o: reverse(
            "plans:analysis_national_export", kwargs={"period": PERIOD, "table": "regions", "fmt": "csv"}
        ),
        {"national": 200, "admin": 200},
        setup=riep_and_plans,
    ),
    Case(
        "forum agenda builder, own region's forum",
        "plans:forum_agenda",
        lambda w, o: reverse("plans:forum_agenda", kwargs={"pk": w.forum.pk}),
        {"csa": 200, "go_director": 200, "admin": 200},
        setup=riep_and_plans,
    ),
    Case(
        "forum agenda builder, other region's forum",
        "plans:forum_agenda",
        lambda w, o: reverse("plans:forum_agenda", kwargs={"pk": o["forum"].pk}),
        {"csa_other": 200, "go_director_other": 200, "admin": 200},
        setup=lambda w: {**riep_and_plans(w), "forum": RegionalForumFactory(region=w.yh)},
    ),
]
