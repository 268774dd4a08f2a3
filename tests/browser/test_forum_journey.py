"""Journey 3, the region's forum: an administrator sets up the North East's Children and Young
People's Forum; the GO director opens the region's analysis of priorities and needs, finds the
forum's agenda builder there, and downloads the analysis (CSV and XLSX), whose content is checked.
Two-factor sign-in is off in tests (``TWO_FACTOR_REQUIRED_ROLES = []``), for the live server too:
both sign in with their password only. axe runs on every page visited."""

import csv
from decimal import Decimal

import pytest

from tests.browser.conftest import axe_check, click_and_wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORUM = "North East Children and Young People's Forum"


def click(page, role, name):
    click_and_wait(page, page.get_by_role(role, name=name, exact=True).first)
    axe_check(page)


def test_admin_sets_up_the_forum_and_the_director_exports_the_analysis(browser_for, live_server):
    from authorities.models import RegionalForum
    from plans.models import JISP
    from tests.conftest import build_world
    from tests.matrix.plans_workflow import build_plan

    world = build_world()
    world.forum.delete()  # the region has no forum until the administrator sets it up
    build_plan(world, JISP.Status.APPROVED)  # Newcastle: Together for Children, 3 days, £1,500
    build_plan(world, JISP.Status.APPROVED, authority=world.gateshead)
    director, csa = world.go_director, world.csa

    # The administrator creates the forum: region, name, chair, members and partner providers.
    admin = browser_for("admin@example.gov.uk")
    assert "/two-factor/" not in admin.url
    assert admin.locator("h1").inner_text() == "Your dashboard"
    axe_check(admin)
    click(admin, "link", "Forums")
    click(admin, "link", "Create a forum")
    admin.get_by_label("Region").select_option(label="North East")
    admin.get_by_label("Name").fill(FORUM)
    admin.get_by_label("Chair").select_option(label=f"{director} ({director.email})")
    admin.get_by_label(f"{csa}, {csa.role_label}, North East", exact=True).check()
    admin.get_by_label("Together for Children", exact=True).check()
    click(admin, "button", "Save forum")
    assert f"{FORUM} has been created" in admin.locator(".govuk-notification-banner").inner_text()
    assert admin.locator("h1").inner_text().startswith(FORUM)
    forum = RegionalForum.objects.get(name=FORUM)
    assert forum.region == world.ne
    assert forum.chair == director
    assert set(forum.members.all()) >= {director, csa}
    assert list(forum.partners.all()) == [world.tfc]

    # The GO director opens the region's analysis for the period.
    go = browser_for("director@example.gov.uk")
    assert "/two-factor/" not in go.url
    assert go.locator("h1").inner_text() == "Your dashboard"
    axe_check(go)
    click(go, "link", "Analysis")
    click(go, "link", "North East, 2009-10")
    assert go.locator("h1").inner_text() == "North East"
    assert go.get_by_role("link", name=f"Start an agenda for the {FORUM}").is_visible()
    providers_table = go.get_by_role("table", name="Days and funding committed per provider (accepted offers)")
    assert "Together for Children" in providers_table.inner_text()

    # ... and downloads the table of days and funding per provider, as CSV and as a spreadsheet.
    with go.expect_download() as info:
        go.get_by_role("link", name="CSV of days and funding committed per provider").click()
    download = info.value
    assert download.suggested_filename == "jisp-analysis-north-east-2009-10-days-and-funding-committed-per-provider.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Provider", "Days", "Funding (£)", "Accepted offers", "Authorities"]
    (tfc,) = [row for row in rows[1:] if row[0] == "Together for Children"]
    assert Decimal(tfc[1]) == 6
    assert Decimal(tfc[2]) == 3000
    assert tfc[3:] == ["2", "2"]

    with go.expect_download() as info:
        go.get_by_role("link", name="XLSX of days and funding committed per provider").click()
    from openpyxl import load_workbook

    assert info.value.suggested_filename.endswith("-days-and-funding-committed-per-provider.xlsx")
    with open(info.value.path(), "rb") as handle:
        sheet = load_workbook(handle).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0]
    assert values[1][0] == "Together for Children"
    assert values[1][1] == 6
