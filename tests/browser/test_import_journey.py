"""Journey: the lead CSA imports the authority's Annex 2 plan from a Word document, with and without
JavaScript. From the authority's page, the upload, the preview (one offer's provider not matched: the
CSA tries to confirm without choosing, reads the error, chooses), the confirmation, and the draft plan
with the document's rows and a link to the original. axe on every page."""

from decimal import Decimal

import pytest

from tests.browser.conftest import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _document(path):
    from tests.plans import annex2_documents as docs

    specs = docs.seed_table()
    specs[1].offers.append(
        docs.OfferSpec(
            "Children's centre consultant",
            "",
            "By October 2010, review the outreach plan with the three largest centres",
            "2 days + £4,500",
            Decimal(2),
            Decimal(4500),
        )
    )
    path.write_bytes(docs.docx_bytes(specs))
    return specs


def _world():
    from authorities.reference import load_national_indicators
    from providers.reference import load_providers
    from tests.conftest import build_world

    world = build_world()
    load_providers()
    load_national_indicators()
    return world


def _click(page, role, name):
    page.locator("main").get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_the_lead_csa_imports_a_word_document_and_confirms(js, browser_for, live_server, settings, tmp_path):
    from authorities.models import LocalAuthority
    from plans.models import JISP, AnnexImport, Offer

    settings.MEDIA_ROOT = tmp_path / "media"
    _world()
    path = tmp_path / "Newcastle JISP 2010-11.docx"
    specs = _document(path)
    page = browser_for("csa@example.gov.uk", js=js)

    page.locator("#navigation").get_by_role("link", name="Authorities", exact=True).click()
    page.wait_for_load_state()
    _click(page, "link", "Newcastle upon Tyne")
    axe_check(page)
    _click(page, "link", "Import an Annex 2 document for Newcastle upon Tyne")
    assert page.locator("h1").inner_text() == "Import an Annex 2 document"
    assert page.get_by_label("Local authority").input_value() == str(
        LocalAuthority.objects.get(name="Newcastle upon Tyne").pk
    )
    axe_check(page)

    page.get_by_label("Period").fill("2010-11")
    page.get_by_label("Annex 2 document").set_input_files(str(path))
    _click(page, "button", "Upload and check")
    assert page.locator("h1").inner_text() == "Check the plan before it is created"
    assert "4 priorities, 4 needs and 6 offers" in page.locator("#import-counts").inner_text()
    row = page.locator("tr", has_text="review the outreach plan")
    assert "No provider in the portal matches “Children's centre consultant”" in row.inner_text()
    assert not JISP.objects.exists()
    axe_check(page)

    _click(page, "button", "Create the draft plan")
    summary = page.locator(".govuk-error-summary")
    assert "Select the provider of the offer in row" in summary.inner_text()
    axe_check(page)
    summary.get_by_role("link").first.click()  # the error links to its chooser
    chooser = page.locator("select[name^=provider-]")
    if js:  # GOV.UK Frontend's error summary moves the focus to the field
        assert chooser.evaluate("element => element === document.activeElement")
    chooser.select_option(label="Together for Children")
    _click(page, "button", "Create the draft plan")

    jisp = JISP.objects.get()
    assert page.url.split("#")[0].endswith(jisp.get_absolute_url())
    assert "The plan has been imported in draft" in page.locator(".govuk-notification-banner").inner_text()
    table = page.locator("#annex2").inner_text()
    for spec in specs:
        assert spec.written in table
        for offer in spec.offers:
            assert offer.text in table
    assert (
        "Imported from the Annex 2 document Newcastle JISP 2010-11.docx" in page.locator("#imported-from").inner_text()
    )
    axe_check(page)
    assert jisp.status == JISP.Status.DRAFT
    assert Offer.objects.filter(priority__jisp=jisp, status=Offer.Status.ACCEPTED).count() == 6
    assert AnnexImport.objects.get().jisp == jisp
