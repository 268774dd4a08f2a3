"""The open data export: approved plans' rows and the national analysis, with no personal data, from
the command and from the national analyst's page."""

import csv
import io
import json
import zipfile
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api import open_data
from plans.models import JISP
from tests.api.conftest import PERIOD, approved_plan
from tests.authorities.factories import LocalAuthorityFactory
from tests.plans.factories import PriorityFactory


def _rows(directory):
    return list(csv.DictReader(io.StringIO((directory / "plan-rows.csv").read_text(encoding="utf-8-sig"))))


def test_the_command_writes_the_plans_in_force_and_the_national_analysis(cast, tmp_path):
    out = StringIO()
    call_command("export_open_data", "--output", str(tmp_path / "export"), stdout=out)
    directory = tmp_path / "export"
    assert "Wrote" in out.getvalue()
    rows = _rows(directory)
    assert list(rows[0]) == open_data.PLAN_ROW_COLUMNS
    assert {(r["authority"], r["priority"], r["provider"], r["offer"]) for r in rows} == {
        ("Newcastle upon Tyne", "Narrow the attainment gap", "Together for Children", "Coaching for school leaders"),
        ("Leeds", "Reduce teenage conceptions", "National Strategies", "Sexual health programme"),
    }
    newcastle = next(r for r in rows if r["authority"] == "Newcastle upon Tyne")
    assert newcastle["days"] == "3.0"
    assert newcastle["funding"] == "1500.00"
    assert newcastle["gss_code"] == "E08000021"
    assert newcastle["period"] == PERIOD
    plans = json.loads((directory / "plans.json").read_text())
    assert {p["authority"] for p in plans["plans"]} == {"Newcastle upon Tyne", "Leeds"}
    national = json.loads((directory / "national-analysis.json").read_text())
    [period] = national["periods"]
    assert period["period"] == PERIOD
    assert period["approved_only"] is True
    assert period["totals"]["plans"] == 2
    regions_csv = (directory / "national" / PERIOD / "regions.csv").read_text(encoding="utf-8-sig")
    assert regions_csv.startswith("Region,Authorities,Approved plans")
    assert (directory / "README.txt").read_text().startswith("Joint Improvement Support Plans: open data")


def test_nothing_personal_nothing_in_draft_nothing_withdrawn(cast, tmp_path):
    open_data.write(tmp_path)
    everything = "\n".join(p.read_text(encoding="utf-8-sig") for p in tmp_path.rglob("*") if p.is_file())
    for user in cast.world.users.values():
        assert user.email not in everything
        assert user.full_name not in everything
    assert "Draft priority still being agreed" not in everything
    assert "Withdrawn offer text" not in everything
    assert "Internal note" not in everything


def test_only_the_latest_approved_version_is_published(cast, tmp_path):
    cast.newcastle_plan.status = JISP.Status.SUPERSEDED
    cast.newcastle_plan.save()
    revised, _, _ = approved_plan(
        cast.world.newcastle, cast.world.tfc, title="Revised priority", offer_text="Revised offer", version=2
    )
    assert revised.version == 2
    open_data.write(tmp_path)
    titles = {r["priority"] for r in _rows(tmp_path) if r["authority"] == "Newcastle upon Tyne"}
    assert titles == {"Revised priority"}


def test_text_that_would_run_as_a_spreadsheet_formula_is_defused(cast, tmp_path):
    PriorityFactory(jisp=cast.leeds_plan, title='=HYPERLINK("http://example.com","x")')
    open_data.write(tmp_path)
    titles = {r["priority"] for r in _rows(tmp_path)}
    assert '\'=HYPERLINK("http://example.com","x")' in titles


def test_the_national_analyst_downloads_the_same_files_as_a_zip(cast, client):
    client.force_login(cast.world.national)
    page = client.get(reverse("open_data:index"))
    assert page.status_code == 200
    assert reverse("open_data:download") in page.content.decode()
    response = client.get(reverse("open_data:download"))
    assert response["Content-Disposition"] == 'attachment; filename="jisp-open-data.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    expected = {f"jisp-open-data/{name}" for name, _ in open_data.files(timezone.now())}
    assert set(archive.namelist()) == expected
    assert "Coaching for school leaders" in archive.read("jisp-open-data/plan-rows.csv").decode("utf-8-sig")


def test_an_empty_portal_exports_headers_only(db, tmp_path):
    written = open_data.write(tmp_path)
    assert written == ["plan-rows.csv", "plans.json", "national-analysis.json", "README.txt"]
    assert (tmp_path / "plan-rows.csv").read_text(encoding="utf-8-sig").strip() == ",".join(open_data.PLAN_ROW_COLUMNS)
    assert "none yet" in (tmp_path / "README.txt").read_text()


def test_open_data_is_in_the_menu_of_national_analysts_only(world):
    from accounts.context_processors import navigation_for

    def labels(user):
        return [item["label"] for item in navigation_for(user, "/")]

    assert "Open data" in labels(world.national)
    assert "Open data" in labels(world.admin)
    assert "Open data" not in labels(world.csa)
    assert "Open data" not in labels(world.provider)


def test_the_export_costs_the_same_queries_however_many_plans(cast, tmp_path):
    with CaptureQueriesContext(connection) as few:
        open_data.write(tmp_path / "few")
    for i in range(3):
        authority = LocalAuthorityFactory(name=f"Authority {i}", gss_code=f"E0900000{i}", region=cast.world.ne)
        approved_plan(authority, cast.world.ns, title=f"Priority {i}", offer_text=f"Offer {i}")
    with CaptureQueriesContext(connection) as more:
        open_data.write(tmp_path / "more")
    assert len(more.captured_queries) == len(few.captured_queries)
