"""The national analyst downloads the open data: from "Open data" in the menu to the ZIP, whose plan
rows are checked; then reads the API's documentation. Without JavaScript for the page itself, and
axe on every page visited."""

import csv
import io
import zipfile

import pytest

from tests.browser.conftest import axe_check, click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_national_analyst_downloads_the_open_data(browser_for, live_server):
    from plans.models import JISP
    from tests.conftest import build_world
    from tests.matrix.plans_workflow import build_plan

    world = build_world()
    build_plan(world, JISP.Status.APPROVED)  # Newcastle: Together for Children, 3 days, £1,500

    page = browser_for("analyst@example.gov.uk", js=False)
    click_and_wait(page, page.get_by_role("link", name="Open data", exact=True).first)
    assert page.get_by_role("heading", level=1).inner_text() == "Open data"
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download open data (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    rows = list(csv.DictReader(io.StringIO(archive.read("jisp-open-data/plan-rows.csv").decode("utf-8-sig"))))
    assert {r["authority"] for r in rows} == {"Newcastle upon Tyne"}
    assert {r["provider"] for r in rows if r["provider"]} == {"Together for Children"}
    assert "analyst@example.gov.uk" not in archive.read("jisp-open-data/plans.json").decode()

    docs = browser_for("analyst@example.gov.uk")
    docs.goto(f"{live_server.url}/api/v1/docs/")
    docs.wait_for_selector("text=JISP portal API")
    docs.wait_for_selector("text=/api/v1/plans/")
