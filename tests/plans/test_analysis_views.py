"""The analysis pages, their exports and SVG charts, the agenda builder and the forum include."""

import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from plans import charts
from plans.models import JISP, Offer
from plans.queries import analysis as q
from providers.models import Provider
from tests.accounts.factories import UserFactory
from tests.authorities.factories import LocalAuthorityFactory, NationalIndicatorFactory, RegionFactory
from tests.plans import analysis_fixtures
from tests.plans.analysis_fixtures import PERIOD
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plans(world):
    return analysis_fixtures.build(world)


def region_url(region, period=PERIOD):
    return reverse("plans:analysis_region", kwargs={"slug": region.slug, "period": period})


def export_url(region, table, fmt):
    return reverse("plans:analysis_export", kwargs={"slug": region.slug, "period": PERIOD, "table": table, "fmt": fmt})


def test_regional_page_shows_every_table_with_charts(client, world, plans):
    client.force_login(world.csa)
    response = client.get(region_url(world.ne))
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Priorities and needs by National Indicator",
        "Priorities and needs by Every Child Matters outcome",
        "Days and funding committed per provider",
        "Days and funding committed per authority",
        "Workforce-development priorities",
        "Authorities without an approved plan",
        "Good practice to share",
        "Offers by status",
    ):
        assert title in html
    assert "This analysis counts every current plan" in html
    assert "NI 112 Under 18 conception rate" in html
    assert "Gateshead, Newcastle upon Tyne" in html
    assert "£5,500" in html
    assert "14.5" in html
    assert html.count('role="img"') == 5
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'style="' not in html
    assert reverse("plans:forum_agenda", kwargs={"pk": world.forum.pk}) in html


def test_analysts_see_approved_plans_only_and_are_told(client, world, plans):
    client.force_login(world.national)
    html = client.get(region_url(world.ne)).content.decode()
    assert "This analysis counts approved plans only" in html
    assert "Conceptions" not in html  # Gateshead's draft priority
    assert "£6,000" in html
    assert "£6,500" not in html
    assert "Draft" not in html
    assert reverse("plans:forum_agenda", kwargs={"pk": world.forum.pk}) not in html


def test_riep_adviser_sees_the_regions_its_provider_serves(client, world, plans):
    riep = ProviderFactory(name="North East RIEP", abbreviation="NERIEP", kind=Provider.Kind.RIEP)
    riep.regions.set([world.ne])
    adviser = UserFactory(email="adviser@riep.example.org", role="provider_adviser", provider=riep)
    client.force_login(adviser)
    assert client.get(region_url(world.ne)).status_code == 200
    assert client.get(region_url(world.yh)).status_code == 404
    assert client.get(export_url(world.yh, "indicators", "csv")).status_code == 404
    index = client.get(reverse("plans:analysis"))
    assert index.status_code == 200
    assert "North East" in index.content.decode()
    assert "Yorkshire" not in index.content.decode()


def test_index_picks_region_and_period(client, world, plans):
    client.force_login(world.csa)
    response = client.get(reverse("plans:analysis"))
    assert response.status_code == 200
    html = response.content.decode()
    assert region_url(world.ne, "2010-11") in html  # the latest period by default
    response = client.get(reverse("plans:analysis"), {"region": "north-east", "period": PERIOD})
    assert response.status_code == 302
    assert response["Location"] == region_url(world.ne)
    # Another region is not a choice for a CSA.
    response = client.get(reverse("plans:analysis"), {"region": world.yh.slug, "period": PERIOD})
    assert response.status_code == 200
    assert "Select a region" in response.content.decode()


def test_national_page_goes_region_by_region(client, world, plans):
    client.force_login(world.national)
    response = client.get(reverse("plans:analysis_national", kwargs={"period": PERIOD}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "England, region by region" in html
    assert "Yorkshire and the Humber" in html
    assert region_url(world.yh) in html
    assert 'id="chart-regions"' in html


def test_csv_export_of_every_table(client, world, plans):
    client.force_login(world.csa)
    for key in q.TABLE_KEYS:
        response = client.get(export_url(world.ne, key, "csv"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f"jisp-analysis-north-east-{PERIOD}" in response["Content-Disposition"]
    body = client.get(export_url(world.ne, "providers", "csv")).content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed == [
        ["Provider", "Days", "Funding (£)", "Accepted offers", "Authorities"],
        ["Together for Children", "12.0", "5500.00", "2", "2"],
        ["National Strategies", "4.5", "1000.00", "1", "1"],
    ]
    body = client.get(export_url(world.ne, "indicators", "csv")).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1][-1] == "Gateshead; Newcastle upon Tyne"


def test_xlsx_export_has_a_header_row_and_numbers_as_numbers(client, world, plans):
    client.force_login(world.csa)
    for key in q.TABLE_KEYS:
        assert client.get(export_url(world.ne, key, "xlsx")).status_code == 200
    response = client.get(export_url(world.ne, "authorities", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Authority", "Days", "Funding (£)", "Accepted offers", "Providers"]
    assert values[2] == ["Newcastle upon Tyne", 14.5, 6000, 2, 2]
    assert isinstance(values[2][1], int | float)
    assert isinstance(values[2][2], int | float)


def test_national_export(client, world, plans):
    client.force_login(world.admin)
    url = reverse("plans:analysis_national_export", kwargs={"period": PERIOD, "table": "regions", "fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Region"
    assert values[1][:4] == ["North East", 3, 1, 2]
    url = reverse("plans:analysis_national_export", kwargs={"period": PERIOD, "table": "indicators", "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[0][0] == "Region"
    assert rows[-1][:2] == ["Yorkshire and the Humber", "NI 112 Under 18 conception rate"]


def test_exports_do_not_let_user_text_run_as_a_formula(client, world, plans):
    plans.newcastle.good_practice.create(area='=HYPERLINK("http://evil.example")')
    client.force_login(world.csa)
    body = client.get(export_url(world.ne, "good_practice", "csv")).content.decode("utf-8-sig")
    assert ['\'=HYPERLINK("http://evil.example")', "1", "Newcastle upon Tyne"] in list(csv.reader(io.StringIO(body)))
    sheet = load_workbook(io.BytesIO(client.get(export_url(world.ne, "good_practice", "xlsx")).content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("'=")]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_unknown_table_or_format_or_period_is_404(client, world, plans):
    client.force_login(world.csa)
    assert client.get("/plans/analysis/north-east/2009-11/").status_code == 404
    assert client.get(export_url(world.ne, "nonsense", "csv")).status_code == 404
    assert client.get(f"/plans/analysis/north-east/{PERIOD}/indicators.pdf").status_code == 404


def test_svg_chart_is_well_formed_and_accessible():
    svg = str(charts.bar_chart("c1", "Days <per> provider", [("A & B", Decimal("12.5")), ("C", 3)], unit="days"))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Days <per> provider"
    desc = root.find(f"{SVG}desc").text
    assert "A & B: 12.5 days" in desc
    assert "C: 3 days" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "A & B" in texts
    assert "12.5 days" in texts
    assert len(root.findall(f".//{SVG}rect")) == 2
    empty = ElementTree.fromstring(str(charts.bar_chart("c2", "Nothing", [])))
    assert "no data" in empty.find(f"{SVG}desc").text


def test_charts_on_the_page_parse_as_svg(client, world, plans):
    client.force_login(world.csa)
    html = client.get(region_url(world.ne)).content.decode()
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="chart-indicators"')
    root = ElementTree.fromstring(html[start : html.index("</svg>", start) + 6])
    assert root.find(f"{SVG}title").text == "Authorities sharing each National Indicator"
    assert "NI 112 Under 18 conception rate: 2 authorities" in root.find(f"{SVG}desc").text


def test_agenda_builder_starts_from_shared_priorities_and_links_to_meetings(client, world, plans):
    client.force_login(world.go_director)
    url = reverse("plans:forum_agenda", kwargs={"pk": world.forum.pk})
    response = client.get(url, {"period": PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    agenda = response.context["agenda"]
    assert "1. NI 112 Under 18 conception rate — shared by 2 authorities: Gateshead, Newcastle upon Tyne" in agenda
    assert 'action="/meetings/new/"' in html
    assert "Schedule the forum meeting" in html
    assert f'name="forum" value="{world.forum.pk}"' in html
    assert 'name="kind" value="forum"' in html
    assert 'name="agenda"' in html
    # The GET form submits to the meetings part's create page with the initial values.
    link = response.context["schedule_url"]
    parsed = urlparse(link)
    assert parsed.path == "/meetings/new/"
    assert parse_qs(parsed.query) == {"forum": [str(world.forum.pk)], "kind": ["forum"], "agenda": [agenda]}
    assert link.startswith(f"/meetings/new/?forum={world.forum.pk}&kind=forum&agenda=Regional+analysis")


def test_agenda_builder_is_404_for_everyone_but_admins_and_the_regions_go_staff(client, world, plans):
    url = reverse("plans:forum_agenda", kwargs={"pk": world.forum.pk})
    for user in (world.csa_other, world.dcs, world.national, world.provider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.admin)
    assert client.get(url).status_code == 200


def test_forum_include_renders_the_summary(world, plans, rf):
    summary = q.summary_for_forum(world.csa, world.forum, PERIOD)
    html = render_to_string("plans/includes/forum_analysis.html", {"forum": world.forum, "summary": summary})
    assert "Regional priorities, 2009-10" in html
    assert "NI 112 Under 18 conception rate" in html
    assert "Gateshead, Newcastle upon Tyne" in html
    assert reverse("plans:forum_agenda", kwargs={"pk": world.forum.pk}) in html
    assert render_to_string("plans/includes/forum_analysis.html", {"forum": world.forum, "summary": None}).strip() == ""


def build_region(n, slug):
    """A region of ``n`` authorities, each with an approved and a draft plan, priorities, needs,
    offers in several states and good practice."""
    region = RegionFactory(name=f"Scale {n}", slug=slug)
    indicators = [NationalIndicatorFactory(number=900 + i, title=f"Indicator {i}") for i in range(4)]
    provider = ProviderFactory(name=f"Scale provider {n}", abbreviation=f"SP{n}")
    for i in range(n):
        authority = LocalAuthorityFactory(name=f"{slug} authority {i}", gss_code=f"E0{n:03d}{i:04d}", region=region)
        jisp = JISPFactory(
            authority=authority, period=PERIOD, status=JISP.Status.APPROVED if i % 2 else JISP.Status.DRAFT
        )
        priority = PriorityFactory(jisp=jisp, is_workforce=i % 3 == 0)
        priority.indicators.set(indicators[i % 4 : i % 4 + 2])
        NeedFactory(priority=priority, from_workforce_tool=i % 5 == 0)
        OfferFactory(priority=priority, provider=provider, status=Offer.Status.ACCEPTED, days=2, funding=100)
        OfferFactory(priority=priority, provider=provider, status=Offer.Status.SUBMITTED)
        jisp.good_practice.create(area=f"Area {i % 7}")
    return region


def count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_query_count_is_the_same_for_5_and_150_authorities(client, world):
    small, large = build_region(5, "small"), build_region(150, "large")
    for approved_only in (False, True):
        a = count_queries(lambda ao=approved_only: q.regional_analysis(small, PERIOD, approved_only=ao))
        b = count_queries(lambda ao=approved_only: q.regional_analysis(large, PERIOD, approved_only=ao))
        assert a == b
    assert count_queries(lambda: q.regional_summary(small, PERIOD)) == count_queries(
        lambda: q.regional_summary(large, PERIOD)
    )
    result = q.regional_analysis(large, PERIOD)
    assert result["totals"]["plans"] == 150
    assert len(result["tables"]["authorities"].rows) == 150

    client.force_login(world.admin)
    pages = []
    for region in (small, large):
        pages.append(count_queries(lambda region=region: client.get(region_url(region))))
    assert pages[0] == pages[1]
    national = count_queries(lambda: client.get(reverse("plans:analysis_national", kwargs={"period": PERIOD})))
    build_region(20, "more")
    assert count_queries(lambda: client.get(reverse("plans:analysis_national", kwargs={"period": PERIOD}))) == national
    exports = [count_queries(lambda r=r: client.get(export_url(r, "indicators", "xlsx"))) for r in (small, large)]
    assert exports[0] == exports[1]


def test_dashboard_panel_shows_the_regions_top_shared_priorities(client, world, plans):
    client.force_login(world.csa)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Regional priorities" in html
    assert "NI 117 16 to 18 year olds who are NEET: 1 authority" in html
    assert region_url(world.ne, "2010-11") in html
    client.force_login(world.national)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("plans:analysis_national", kwargs={"period": PERIOD}) in html
    client.force_login(world.dcs)
    assert "Regional priorities" not in client.get(reverse("accounts:dashboard")).content.decode()
