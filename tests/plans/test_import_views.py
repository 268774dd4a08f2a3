"""The import pages through the test client, as the lead CSA uses them: the links to them, the upload,
the preview with its warnings and choosers, the confirmation, the refusals (each a GOV.UK error on
the page, never a server error), cancelling, and the original document on the plan."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from authorities.reference import load_national_indicators
from plans.forms.imports import OLE_MAGIC
from plans.models import JISP, AnnexImport, Offer
from providers.models import Provider
from providers.reference import load_providers
from tests.plans import annex2_documents as docs
from tests.plans.factories import JISPFactory

START = reverse("plans:import_start")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def csa(world, client):
    load_providers()
    load_national_indicators()
    client.force_login(world.csa)
    return client


def post_document(client, world, data, name="plan.docx", period="2010-11"):
    return client.post(
        START, {"authority": world.newcastle.pk, "period": period, "file": SimpleUploadedFile(name, data)}
    )


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def error_summary(response):
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    return text(response).split('class="govuk-error-summary__body"', 1)[1].split("</div>", 1)[0]


def test_the_lead_csa_finds_the_import_from_the_authority_page_and_the_plans_list(world, csa):
    authority_page = text(csa.get(world.newcastle.get_absolute_url()))
    assert f'href="{START}?authority=E08000021"' in authority_page
    assert "Import an Annex 2 document for Newcastle upon Tyne" in authority_page
    assert f'href="{START}"' in text(csa.get(reverse("plans:list")))
    form = text(csa.get(f"{START}?authority=E08000021"))
    assert f'<option value="{world.newcastle.pk}" selected>Newcastle upon Tyne</option>' in form
    assert "Leeds" not in form  # only the authorities the CSA leads


def test_others_see_no_link(world, client):
    client.force_login(world.go_director)
    assert START not in text(client.get(world.newcastle.get_absolute_url()))
    assert START not in text(client.get(reverse("plans:list")))


def test_upload_then_preview_then_confirm(world, csa):
    response = post_document(csa, world, docs.docx_bytes(), name="Newcastle JISP.docx")
    pending = AnnexImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pending.get_absolute_url()
    assert not JISP.objects.exists()
    assert pending.file.name.startswith("annex_imports/annex2-")
    assert pending.original_name == "Newcastle JISP.docx"

    page = text(csa.get(pending.get_absolute_url()))
    assert "Check the plan before it is created" in page
    assert "4 priorities, 4 needs and 5 offers" in page
    assert "Government Office for the North East" in page  # the document's header block
    assert "By July 2010, provide advice to help local managers develop a business case" in page
    assert "£1,200.00" in page
    assert "Deliver by 31 May 2010" in page
    assert "No offers for this priority in the document" in page
    assert 'name="provider-' not in page  # every provider matched exactly: nothing to choose

    response = csa.post(pending.get_absolute_url())
    jisp = JISP.objects.get()
    assert response.status_code == 302
    assert response["Location"] == jisp.get_absolute_url()
    plan = text(csa.get(jisp.get_absolute_url()))
    assert "The plan has been imported in draft: 4 priorities" in plan
    assert "Imported from the Annex 2 document" in plan
    assert "Newcastle JISP.docx" in plan
    assert f'href="{reverse("plans:import_document", kwargs={"pk": pending.pk})}"' in plan


def test_the_original_document_downloads_as_uploaded(world, csa):
    data = docs.xlsx_bytes()
    post_document(csa, world, data, name="plan.xlsx")
    pending = AnnexImport.objects.get()
    url = reverse("plans:import_document", kwargs={"pk": pending.pk})
    response = csa.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert 'filename="plan.xlsx"' in response["Content-Disposition"]
    csa.post(pending.get_absolute_url())
    assert b"".join(csa.get(url).streaming_content) == data


def _choice_document():
    spec = docs.PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=999,
        needs=["A policy"],
        offers=[
            docs.OfferSpec("Local consultant", "", "By May 2010, a review", "3 days per term", None, None),
            docs.OfferSpec("Natonal Strategies", "NS", "By June 2010, training", "2 days", Decimal(2), None),
        ],
    )
    return docs.xlsx_bytes([spec])


def test_warnings_beside_each_row_and_a_chooser_for_what_did_not_match(world, csa):
    post_document(csa, world, _choice_document(), name="plan.xlsx")
    pending = AnnexImport.objects.get()
    page = csa.get(pending.get_absolute_url()).content.decode()
    consultant = page.split('id="offer-r6"', 1)[1].split("</tr>", 1)[0]
    assert "No provider in the portal matches “Local consultant”: choose the provider." in consultant
    assert "The resources “3 days per term” could not be read as days and £" in consultant
    assert "NI 999 is not in the National Indicator Set" in consultant  # the priority's warning, on its first row
    assert '<select name="provider-r6"' in consultant
    assert 'id="id_provider-r6"' in consultant
    assert '<option value="" selected>Select the provider</option>' in consultant
    assert '<option value="skip">Leave this offer out of the plan</option>' in consultant
    near = page.split('id="offer-r7"', 1)[1].split("</tr>", 1)[0]
    ns = Provider.objects.get(abbreviation="NS")
    assert "was matched to National Strategies by its spelling" in near
    assert f'<option value="{ns.pk}" selected>National Strategies (' in near

    response = csa.post(pending.get_absolute_url(), {"provider-r7": ns.pk})
    assert response.status_code == 200
    summary = error_summary(response)
    assert '<a href="#id_provider-r6">Select the provider of the offer in row 6, or leave the offer out</a>' in summary
    assert 'aria-describedby="id_provider-r6-error"' in response.content.decode()
    assert not JISP.objects.exists()

    cwdc = Provider.objects.get(abbreviation="CWDC")
    response = csa.post(pending.get_absolute_url(), {"provider-r6": cwdc.pk, "provider-r7": ns.pk})
    assert response.status_code == 302
    offers = Offer.objects.filter(priority__jisp__authority=world.newcastle).order_by("pk")
    assert [(o.provider.abbreviation, o.notes) for o in offers] == [
        ("CWDC", "Resources as written: 3 days per term"),
        ("NS", ""),
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (docs.macro_docx, "plan.docx", "The selected file contains macros"),
        (docs.zip_bomb_docx, "plan.docx", "It was not opened: it may be a “zip bomb”"),
        (docs.many_rows_xlsx, "plan.xlsx", "The portal imports plans of up to 1,000 rows"),
        (docs.many_rows_docx, "plan.docx", "The portal imports plans of up to 1,000 rows"),
        (docs.damaged_docx, "plan.docx", "could not be read as a Word document"),
        (docs.entity_bomb_docx, "plan.docx", "declares XML entities"),
        (lambda: docs.docx_bytes()[:4000], "plan.docx", "The selected file must be a DOCX or XLSX"),
        (lambda: OLE_MAGIC + b"\0" * 600, "plan.doc", "is an older Word or Excel file (.doc or .xls) or is protected"),
        (lambda: b"%PDF-1.4\n", "plan.pdf", "The selected file must be a DOCX or XLSX"),
        (lambda: docs.xlsx_bytes(headings=["Priority", "Needs"]), "plan.xlsx", "no “Provider” or “Offer” column"),
    ],
)
def test_files_that_cannot_be_imported_get_a_clear_error_on_the_page(world, csa, data, name, message):
    response = post_document(csa, world, data(), name=name)
    assert response.status_code == 200
    summary = error_summary(response)
    assert message in summary
    assert 'href="#id_file"' in summary
    assert not AnnexImport.objects.exists()
    assert not JISP.objects.exists()


def test_a_plan_already_there_for_the_period_is_linked(world, csa):
    existing = JISPFactory(authority=world.newcastle, period="2010-11")
    response = post_document(csa, world, docs.docx_bytes())
    assert "already has a plan for 2010-11" in error_summary(response)
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()


def test_cancelling_discards_the_upload(world, csa):
    post_document(csa, world, docs.docx_bytes())
    pending = AnnexImport.objects.get()
    cancel = reverse("plans:import_cancel", kwargs={"pk": pending.pk})
    assert "The uploaded document will be discarded" in text(csa.get(cancel))
    response = csa.post(cancel, follow=True)
    assert "has been cancelled: nothing was created" in text(response)
    pending.refresh_from_db()
    assert pending.status == AnnexImport.Status.CANCELLED
    assert not JISP.objects.exists()
    assert "This import was cancelled" in text(csa.get(pending.get_absolute_url()))
    response = csa.post(pending.get_absolute_url())
    assert response.status_code == 200
    assert "This import was cancelled" in error_summary(response)


def test_the_preview_page_costs_the_same_queries_however_long_the_plan(world, csa):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def spec(offers):
        return docs.PrioritySpec(
            title="Reduce teenage pregnancy",
            ni=112,
            needs=["A policy"],
            offers=[
                docs.OfferSpec(
                    "Local consultant" if n % 2 else "TfC", "", f"By May 2010, offer {n}", "1 day", None, None
                )
                for n in range(offers)
            ],
        )

    counts = []
    for period, offers in (("2010-11", 2), ("2011-12", 60)):
        post_document(csa, world, docs.xlsx_bytes([spec(offers)]), name="plan.xlsx", period=period)
        pending = AnnexImport.objects.get(period=period)
        with CaptureQueriesContext(connection) as ctx:
            assert csa.get(pending.get_absolute_url()).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
