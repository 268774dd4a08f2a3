"""Every API endpoint × every role, what each role reads, and that the API is read-only for all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.conftest import approved_plan
from tests.api.endpoints import ENDPOINTS, NE_PLAN, YH_PLAN
from tests.conftest import ROLES


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_endpoint_by_role(cast, endpoint, role):
    response = cast.client(role).get(endpoint.url(cast))
    assert response.status_code == endpoint.status_for(role), response.content[:300]
    if role == "anonymous":
        assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_the_api_is_read_only_for_every_role(cast, endpoint, method):
    for role in ("admin", "national", "csa"):
        response = getattr(cast.client(role), method)(endpoint.url(cast), {"name": "Changed"}, format="json")
        assert response.status_code == 403, (role, response.content[:200])
        assert b"The API is read-only." in response.content
    assert getattr(cast.client("anonymous"), method)(endpoint.url(cast), {}, format="json").status_code == 401


def _plan_ids(cast, role):
    response = cast.client(role).get(reverse("api:plan-list"))
    assert response.status_code == 200
    return {plan["id"] for plan in response.json()["results"]}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_each_role_reads_the_approved_plans_it_may_see_and_never_a_draft(cast, role):
    expected = set()
    if role in NE_PLAN:
        expected.add(cast.newcastle_plan.pk)
    if role in YH_PLAN:
        expected.add(cast.leeds_plan.pk)
    assert _plan_ids(cast, role) == expected
    assert cast.gateshead_draft.pk not in _plan_ids(cast, role)


def test_a_plan_has_its_rows_and_only_its_accepted_offers(cast):
    data = cast.client("dcs").get(reverse("api:plan-detail", kwargs={"pk": cast.newcastle_plan.pk})).json()
    assert data["authority_name"] == "Newcastle upon Tyne"
    assert data["gss_code"] == "E08000021"
    assert data["region"] == "north-east"
    assert data["status"] == "approved"
    [priority] = data["priorities"]
    assert priority["indicators"] == [len("Narrow the attainment gap")]
    assert priority["title"] == "Narrow the attainment gap"
    assert [n["description"] for n in priority["needs"]] == ["Need of Narrow the attainment gap"]
    [offer] = priority["offers"]
    assert offer["provider_name"] == "Together for Children"
    assert offer["description"] == "Coaching for school leaders"
    assert offer["days"] == "3.0"
    assert offer["funding"] == "1500.00"
    assert offer["need"] == priority["needs"][0]["id"]
    text = str(data)
    assert "Withdrawn offer text" not in text
    assert "Internal note" not in text
    assert "csa@example.gov.uk" not in text
    assert "Chris Adviser" not in text


def test_filters_narrow_the_plans(cast):
    client = cast.client("national")
    by_region = client.get(reverse("api:plan-list"), {"region": "yorkshire-and-the-humber"}).json()["results"]
    assert [p["id"] for p in by_region] == [cast.leeds_plan.pk]
    by_code = client.get(reverse("api:plan-list"), {"gss_code": "E08000021"}).json()["results"]
    assert [p["id"] for p in by_code] == [cast.newcastle_plan.pk]
    assert client.get(reverse("api:plan-list"), {"period": "2010-11"}).json()["results"] == []
    assert client.get(reverse("api:plan-list"), {"status": "draft"}).status_code == 400
    authorities = client.get(reverse("api:authority-list"), {"region": "north-east"}).json()["results"]
    assert sorted(a["name"] for a in authorities) == ["Gateshead", "Newcastle upon Tyne"]


def test_cursor_pagination_walks_every_row_once(cast):
    client = cast.client("admin")
    seen, url = [], reverse("api:authority-list") + "?page_size=1"
    while url:
        page = client.get(url).json()
        assert set(page) == {"next", "previous", "results"}
        seen.extend(a["id"] for a in page["results"])
        url = page["next"]
    assert sorted(seen) == sorted([cast.world.newcastle.pk, cast.world.gateshead.pk, cast.world.leeds.pk])
    assert "page=" not in (client.get(reverse("api:authority-list") + "?page_size=1").json()["next"] or "")


def test_the_analysis_is_the_pages_analysis(cast):
    data = (
        cast.client("csa")
        .get(reverse("api:analysis-region", kwargs={"slug": "north-east", "period": "2009-10"}))
        .json()
    )
    assert data["region"] == "north-east"
    assert data["approved_only"] is False
    assert data["totals"]["plans"] == 2  # the approved Newcastle plan and the Gateshead draft
    providers = next(t for t in data["tables"] if t["key"] == "providers")
    assert [c["key"] for c in providers["columns"]] == ["provider", "days", "funding", "accepted_offers", "authorities"]
    assert providers["rows"] == [
        {
            "provider": "Together for Children",
            "days": "3.0",
            "funding": "1500.00",
            "accepted_offers": 1,
            "authorities": 1,
        }
    ]
    national = cast.client("national").get(reverse("api:analysis-national", kwargs={"period": "2009-10"})).json()
    assert national["approved_only"] is True
    assert national["totals"]["plans"] == 2  # Newcastle and Leeds; the draft is not counted
    assert national["tables"][0]["key"] == "regions"


def test_an_impossible_period_is_not_found(cast):
    url = reverse("api:analysis-national", kwargs={"period": "2009-11"})
    assert cast.client("national").get(url).status_code == 404


def test_compliance_figures_name_no_person(cast):
    data = cast.client("national").get(reverse("api:compliance")).json()
    assert set(data) == {"today", "region", "total", "by_provider", "overdue"}
    assert [s["stage"] for s in data["total"]["stages"]] == ["draft", "response", "final"]
    assert (
        cast.client("admin").get(reverse("api:compliance"), {"region": "north-east"}).json()["region"] == "north-east"
    )
    assert cast.client("admin").get(reverse("api:compliance"), {"region": "atlantis"}).status_code == 404


def test_the_plans_list_costs_the_same_queries_however_many_plans(cast, django_assert_max_num_queries):
    client = cast.client("national")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("api:plan-list")).status_code == 200
    approved_plan(cast.world.gateshead, cast.world.ns, title="Another", offer_text="More", version=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("api:plan-list")).json()["results"]) == 3
