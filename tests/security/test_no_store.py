"""ASVS 8.2.1: no browser or proxy keeps a copy of a signed-in page, an export or a download.

Swept over every GET of the permission matrix (pages, CSV and XLSX exports, PDFs, uploaded
documents, the calendar feed), as the role the case lets through, and over every status (a 404 or
403 page too)."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.matrix import all_cases
from tests.test_csrf_and_get_safety import prepared

GET_CASES = [c for c in all_cases() if c.method == "get"]


def assert_no_store(response, what):
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control, f"{what}: Cache-Control is {cache_control!r}"
    assert "private" in cache_control
    assert "max-age=0" in cache_control


@pytest.mark.parametrize("case", GET_CASES, ids=[c.name for c in GET_CASES])
def test_every_page_export_and_download_is_no_store(case, world, client):
    url, data, role = prepared(case, world, client)
    response = client.get(url, data)
    assert_no_store(response, f"{case.name} as {role} ({response.status_code})")
    if response["Content-Type"].startswith("text/"):
        assert "charset=utf-8" in response["Content-Type"].lower(), f"{case.name}: {response['Content-Type']}"


def test_downloads_of_every_kind_are_in_the_sweep():
    kinds = {c.url_name for c in GET_CASES}
    for name in (
        "meetings:compliance_csv",
        "meetings:ical_feed",
        "plans:analysis_export",
        "plans:deployment_plan_download",
        "plans:pdf_download",
        "improvement:evidence_download",
        "improvement:letter_pdf",
    ):
        assert name in kinds, name


def test_the_sign_in_page_and_a_missing_page_are_no_store(client):
    assert_no_store(client.get(reverse("accounts:login")), "sign-in")
    assert_no_store(client.get("/no-such-page/"), "404")


def test_htmx_keeps_no_copy_of_pages_in_the_browsers_storage(world, client):
    """ASVS 8.2.2: htmx would keep snapshots of pages in localStorage for its history; the portal
    turns that off, and its own JavaScript stores nothing."""
    client.force_login(world.csa)
    page = client.get("/").content.decode()
    assert '"historyCacheSize": 0' in page
    for script in (Path(__file__).resolve().parents[2] / "static" / "js").rglob("*.js"):
        text = script.read_text()
        assert "localStorage" not in text, script.name
        assert "sessionStorage" not in text, script.name
