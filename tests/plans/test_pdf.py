"""The signed-off PDF: what a reader finds in it (its text, read back with pypdf), its page size,
and who may download it."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.models import JISP, Offer
from plans.pdf import css_string, render_jisp_pdf_bytes
from plans.tasks import render_jisp_pdf
from tests.matrix.plans_workflow import build_plan
from tests.plans.factories import NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data):
    reader = PdfReader(BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def approved(world):
    jisp = build_plan(
        world,
        S.APPROVED,
        offers=[
            (world.tfc, Offer.Status.ACCEPTED, "By June 2009, provide 3 days support on the portfolio"),
            (world.ns, Offer.Status.WITHDRAWN, "A generic programme that was withdrawn"),
            (world.ns, Offer.Status.ACCEPTED, "Consultant visits <script>alert('x')</script> to four schools"),
        ],
    )
    second = PriorityFactory(jisp=jisp, title="Reduce under-18 conceptions", order=2)
    NeedFactory(priority=second, description="A sexual health policy for young people")
    OfferFactory(
        priority=second,
        provider=world.tfc,
        status=Offer.Status.ACCEPTED,
        description="Two visits to help develop a policy",
    )
    return jisp


def test_the_pdf_holds_the_header_block_the_columns_and_every_accepted_offer(world, approved):
    reader, text = pdf_text(render_jisp_pdf_bytes(approved))
    text = flat(text)
    for expected in (
        "Local Authority/ Children's Trust",
        "Newcastle upon Tyne",
        "Director of Children's Services",
        "Sam Okafor",
        "Government Office",
        "Government Office for the North East",
        "Children's Services Adviser",
        "Chris Adviser",
    ):
        assert expected in text, expected
    assert "Priority Needs Provider Offer Resources Notes" in text
    assert "By June 2009, provide 3 days support on the portfolio" in text
    assert "Two visits to help develop a policy" in text
    assert "Reduce under-18 conceptions" in text
    assert "A generic programme that was withdrawn" not in text
    assert "Approved by Sam Okafor, Director of Children's Services, on" in text
    assert "Page 1 of" in text
    assert "Newcastle upon Tyne JISP 2009-10 version 1" in text
    assert "Total" in text
    assert "£" in text


def test_user_text_appears_as_text(world, approved):
    _, text = pdf_text(render_jisp_pdf_bytes(approved))
    assert "<script>alert('x')</script>" in flat(text)


def test_the_pdf_is_a4_landscape(world, approved):
    reader, _ = pdf_text(render_jisp_pdf_bytes(approved))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)


def test_headers_repeat_and_pages_are_numbered_on_a_long_plan(world):
    jisp = build_plan(world, S.APPROVED)
    for i in range(40):
        p = PriorityFactory(jisp=jisp, title=f"Priority number {i}", order=i + 2)
        NeedFactory(priority=p, description="A need that takes a little room " * 3)
        OfferFactory(priority=p, provider=world.tfc, status=Offer.Status.ACCEPTED, description="Support " * 20)
    reader, _ = pdf_text(render_jisp_pdf_bytes(jisp))
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert len(pages) > 2
    for number, page in enumerate(pages[:-2], start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Priority Needs Provider Offer Resources Notes" in page


def test_css_string_escapes_quotes_and_markup():
    assert css_string('A "b" <c>\\') == "A \\22 b\\22  \\3c c\\3e \\5c "


# --- download -------------------------------------------------------------------------------------


def test_download_for_those_who_may_see_the_plan(world, approved, client):
    render_jisp_pdf.delay(approved.pk)
    url = reverse("plans:pdf_download", kwargs={"pk": approved.pk})
    client.force_login(world.provider)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "newcastle-upon-tyne-jisp-2009-10-version-1.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_provider_not_in_the_plan_gets_404(world, client):
    jisp = build_plan(world, S.APPROVED, offers=[(world.tfc, Offer.Status.ACCEPTED, "TfC only")])
    render_jisp_pdf.delay(jisp.pk)
    client.force_login(world.provider_other)
    assert client.get(reverse("plans:pdf_download", kwargs={"pk": jisp.pk})).status_code == 404


def test_no_download_before_the_pdf_exists(world, client):
    jisp = build_plan(world, S.APPROVED)
    client.force_login(world.csa)
    assert client.get(reverse("plans:pdf_download", kwargs={"pk": jisp.pk})).status_code == 404


def test_the_pdf_names_each_national_indicator_as_the_page_does(world):
    from authorities.models import NationalIndicator

    jisp = build_plan(world, S.APPROVED)
    ni, _ = NationalIndicator.objects.get_or_create(
        number=112, defaults={"title": "Under 18 conception rate", "ecm_outcome": "be_healthy"}
    )
    jisp.priorities.first().indicators.add(ni)
    _, text = pdf_text(render_jisp_pdf_bytes(jisp))
    assert "NI 112 Under 18 conception rate" in flat(text)


def test_deliver_by_the_notes_and_the_funding_each_start_a_line(world):
    from datetime import date
    from decimal import Decimal

    jisp = build_plan(world, S.APPROVED)
    priority = PriorityFactory(jisp=jisp, title="Reduce under-18 conceptions", order=2)
    OfferFactory(
        priority=priority,
        provider=world.tfc,
        status=Offer.Status.ACCEPTED,
        description="Two visits",
        deliver_by=date(2010, 3, 31),
        notes="Agreed at the KIT meeting",
        days=Decimal(3),
        funding=Decimal(500),
    )
    _, text = pdf_text(render_jisp_pdf_bytes(jisp))
    lines = [line.strip() for line in text.splitlines()]
    assert "Deliver by 31 March 2010" in lines
    assert "Provider's notes: Agreed at the KIT meeting" in lines
    assert any(line.endswith("3 days") for line in lines)
    assert "£500.00" in lines


def test_rendering_leaves_the_garbage_collector_as_it_found_it(world, approved, monkeypatch):
    import gc

    render_jisp_pdf_bytes(approved)
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("weasyprint.HTML.write_pdf", broken)
    with pytest.raises(RuntimeError):
        render_jisp_pdf_bytes(approved)
    assert gc.isenabled()
