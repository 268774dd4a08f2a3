"""Importing an Annex 2 document as a draft plan (``plans.services.imports``), called directly: who
may, what is created (and when nothing is), the history and timeline it leaves, the original kept
with the plan, the portal's own export imported back, and the PDF showing the document's text."""

import html
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent
from authorities.models import NationalIndicator
from authorities.reference import load_national_indicators
from core.errors import ServiceError
from plans.imports.parsing import deliver_by_in
from plans.models import JISP, AnnexImport, Need, Offer, OfferEvent, Priority
from plans.services import imports as services
from plans.services import workflow
from plans.services.imports import SKIP
from providers.models import Provider
from providers.reference import load_providers
from tests.plans import annex2_documents as docs
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(world):
    """The world with the reference providers (TfC and NS among them) and National Indicators."""
    load_providers()
    load_national_indicators()
    return world


def upload(data, name="Newcastle JISP 2010-11.docx"):
    return SimpleUploadedFile(name, data)


def provider(abbreviation):
    return Provider.objects.get(abbreviation=abbreviation)


def plan_rows(jisp):
    """The plan as rows, in the shape of ``seed_table`` (the document it came from)."""
    rows = []
    for priority in Priority.objects.filter(jisp=jisp).order_by("order").prefetch_related("indicators"):
        offers = Offer.objects.filter(priority=priority).select_related("provider", "need").order_by("pk")
        offers = offers.exclude(status=Offer.Status.WITHDRAWN)
        rows.append(
            (
                priority.title,
                list(Need.objects.filter(priority=priority).order_by("order").values_list("description", flat=True)),
                sorted(priority.indicators.values_list("number", flat=True)),
                [
                    (
                        o.provider.abbreviation,
                        o.description,
                        o.days,
                        o.funding,
                        o.deliver_by,
                        o.notes,
                        o.need.description,
                    )
                    for o in offers
                ],
            )
        )
    return rows


def seed_rows():
    return [
        (
            s.written,
            s.needs,
            [s.ni] if s.ni else [],
            [(o.abbreviation, o.text, o.days, o.funding, deliver_by_in(o.text), o.notes, s.needs[0]) for o in s.offers],
        )
        for s in docs.seed_table()
    ]


# --- importing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_document_becomes_a_draft_plan_with_accepted_offers(reference, kind):
    w = reference
    data = docs.docx_bytes() if kind == "docx" else docs.xlsx_bytes()
    jisp = services.import_annex2(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(data, f"plan.{kind}"), choices={}
    )
    assert (jisp.authority, jisp.period, jisp.version, jisp.status, jisp.csa) == (
        w.newcastle,
        "2010-11",
        1,
        S.DRAFT,
        w.csa,
    )
    assert plan_rows(jisp) == seed_rows()
    offers = Offer.objects.filter(priority__jisp=jisp)
    assert {o.status for o in offers} == {Offer.Status.ACCEPTED}
    assert all(o.is_tailored and o.invited_by == w.csa and o.decided_at for o in offers)
    rtpc = offers.get(description__startswith="By May 2010")
    assert rtpc.need.description == "Develop a sexual health policy for young people"
    assert rtpc.deliver_by.isoformat() == "2010-05-31"


def test_the_import_leaves_history_and_a_timeline_entry_for_every_offer(reference):
    w = reference
    jisp = services.import_annex2(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes()), choices={}
    )
    assert jisp.history.get().history_user == w.csa
    assert (
        jisp.history.get().history_change_reason == "Imported from the Annex 2 document “Newcastle JISP 2010-11.docx”"
    )
    for offer in Offer.objects.filter(priority__jisp=jisp):
        (record,) = offer.history.all()
        assert record.history_user == w.csa
        assert record.status == Offer.Status.ACCEPTED
        assert record.history_change_reason.endswith("accepted, as agreed on paper")
        (event,) = OfferEvent.objects.filter(offer=offer)
        assert (event.kind, event.actor, event.description, event.days) == (
            OfferEvent.Kind.ACCEPTED,
            w.csa,
            offer.description,
            offer.days,
        )
        assert "agreed on paper" in event.message
    for priority in Priority.objects.filter(jisp=jisp):
        assert priority.history.filter(history_type="+").get().history_user == w.csa
    for need in Need.objects.filter(priority__jisp=jisp):
        assert need.history.get().history_user == w.csa
    # the audit log has each created row, as for a change made on a page
    audited = set(AuditEvent.objects.filter(actor=w.csa).values_list("object_type", "object_id"))
    offers = Offer.objects.filter(priority__jisp=jisp).values_list("pk", flat=True)
    needs = Need.objects.filter(priority__jisp=jisp).values_list("pk", flat=True)
    assert {("plans.offer", str(pk)) for pk in offers} <= audited
    assert {("plans.need", str(pk)) for pk in needs} <= audited
    assert ("plans.jisp", str(jisp.pk)) in audited


def test_the_original_document_is_kept_with_the_plan(reference):
    w = reference
    data = docs.docx_bytes()
    jisp = services.import_annex2(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(data, "../../Our plan.docx"), choices={}
    )
    (kept,) = AnnexImport.objects.filter(jisp=jisp)
    assert (kept.status, kept.original_name, kept.kind, kept.size) == (
        AnnexImport.Status.IMPORTED,
        "Our plan.docx",
        "docx",
        len(data),
    )
    assert kept.file.name.startswith("annex_imports/annex2-")
    assert "Our" not in kept.file.name
    with kept.file.open("rb") as stored:
        assert stored.read() == data


def test_offers_with_no_matched_provider_need_a_choice_and_can_be_left_out(reference):
    w = reference
    spec = docs.PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=112,
        needs=["A policy"],
        offers=[
            docs.OfferSpec("Local consultant", "", "By May 2010, a review", "2 days", Decimal(2), None),
            docs.OfferSpec("RTPC and TPNST", "", "By June 2010, joint visits", "1 day", Decimal(1), None),
            docs.OfferSpec("Natonal Strategies", "NS", "By July 2010, training", "£500", None, Decimal(500)),
        ],
    )
    data = docs.xlsx_bytes([spec])

    def run(choices):
        return services.import_annex2(
            actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(data, "p.xlsx"), choices=choices
        )

    with pytest.raises(ServiceError) as refused:
        run({})
    assert "Choose the provider of every offer that has none (row 6, row 7)" in refused.value.message
    assert refused.value.details == ["r6", "r7"]
    assert not JISP.objects.exists()
    with pytest.raises(ServiceError, match="Choose each provider from the list"):
        run({"r6": 99999, "r7": SKIP})
    jisp = run({"r6": SKIP, "r7": provider("TPNST").pk})
    assert [(o.provider.abbreviation, o.description) for o in Offer.objects.filter(priority__jisp=jisp)] == [
        ("TPNST", "By June 2010, joint visits"),
        ("NS", "By July 2010, training"),  # the near spelling is taken unless changed
    ]


def test_a_second_plan_for_the_period_is_refused(reference):
    w = reference
    existing = JISPFactory(authority=w.newcastle, period="2010-11", status=S.APPROVED)
    with pytest.raises(ServiceError) as refused:
        services.import_annex2(
            actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes()), choices={}
        )
    assert refused.value.field == "period"
    assert refused.value.details == [existing]
    assert "already has a plan for 2010-11" in refused.value.message
    assert JISP.objects.count() == 1
    assert not AnnexImport.objects.exists()


@pytest.mark.parametrize("role", ["csa_other", "go_director", "dcs", "la_officer", "provider", "national", "admin"])
def test_only_the_lead_csa_imports(reference, role):
    w = reference
    with pytest.raises(PermissionDenied):
        services.import_annex2(
            actor=w.users[role], authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes()), choices={}
        )
    with pytest.raises(PermissionDenied):
        services.start_import(
            actor=w.users[role], authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
        )
    assert not JISP.objects.exists()
    assert not AnnexImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (docs.macro_docx, "contains macros"),
        (docs.zip_bomb_docx, "zip bomb"),
        (docs.damaged_docx, "could not be read"),
        (lambda: docs.docx_bytes()[:5000], "must be a Word document (DOCX) or an Excel spreadsheet (XLSX)"),
        (lambda: b"%PDF-1.4 a pdf", "must be a Word document (DOCX) or an Excel spreadsheet (XLSX)"),
        (lambda: b"", "The selected file is empty"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_on_the_file_field(reference, data, message):
    w = reference
    with pytest.raises(ServiceError) as refused:
        services.start_import(actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(data()))
    assert refused.value.field == "file"
    assert message in refused.value.message
    assert not AnnexImport.objects.exists()


# --- two steps: upload, then confirm --------------------------------------------------------------


def test_nothing_but_the_pending_import_exists_until_it_is_confirmed(reference):
    w = reference
    pending = services.start_import(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
    )
    assert pending.status == AnnexImport.Status.PENDING
    assert pending.is_pending
    assert pending.expires_at - pending.created_at == timedelta(hours=services.IMPORT_HOURS)
    assert len(pending.preview["priorities"]) == 4
    assert not JISP.objects.exists()
    assert not Priority.objects.exists()
    jisp = services.confirm_import(actor=w.csa, annex_import=pending, choices={})
    pending.refresh_from_db()
    assert (pending.status, pending.jisp) == (AnnexImport.Status.IMPORTED, jisp)
    assert plan_rows(jisp) == seed_rows()
    with pytest.raises(ServiceError, match="already been imported"):
        services.confirm_import(actor=w.csa, annex_import=pending, choices={})
    assert JISP.objects.count() == 1


def test_an_expired_or_cancelled_import_cannot_be_confirmed_and_its_file_goes(
    reference, django_capture_on_commit_callbacks
):
    w = reference
    old = services.start_import(actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes()))
    AnnexImport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    old.refresh_from_db()
    with pytest.raises(ServiceError, match="has expired"):
        services.confirm_import(actor=w.csa, annex_import=old, choices={})
    storage, name = old.file.storage, old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_expired_imports() == 1
    assert not storage.exists(name)
    old.refresh_from_db()
    assert old.status == AnnexImport.Status.CANCELLED
    assert not old.file
    assert old.preview == {}

    fresh = services.start_import(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
    )
    with pytest.raises(PermissionDenied):
        services.cancel_import(actor=w.go_director, annex_import=fresh)
    name = fresh.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_import(actor=w.csa, annex_import=fresh)
    assert not storage.exists(name)
    with pytest.raises(ServiceError, match="was cancelled"):
        services.confirm_import(actor=w.csa, annex_import=fresh, choices={})
    assert services.purge_expired_imports() == 0
    assert not JISP.objects.exists()


def test_a_plan_made_while_the_import_waited_stops_the_confirmation(reference):
    w = reference
    pending = services.start_import(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
    )
    JISPFactory(authority=w.newcastle, period="2010-11")
    with pytest.raises(ServiceError, match="already has a plan"):
        services.confirm_import(actor=w.csa, annex_import=pending, choices={})
    pending.refresh_from_db()
    assert pending.status == AnnexImport.Status.PENDING
    assert Priority.objects.count() == 0


# --- the export imports back; the PDF shows the document's text -----------------------------------


def test_the_portals_own_xlsx_export_imports_back_to_the_same_rows(reference, client):
    w = reference
    source = JISPFactory(authority=w.newcastle, period="2010-11", status=S.APPROVED, csa=w.csa)
    for order, spec in enumerate(docs.seed_table(), start=1):
        priority = PriorityFactory(jisp=source, order=order, title=spec.written, description="")
        if spec.ni:
            priority.indicators.set(NationalIndicator.objects.filter(number=spec.ni))
        needs = [NeedFactory(priority=priority, order=k, description=text) for k, text in enumerate(spec.needs)]
        for offer in spec.offers:
            OfferFactory(
                priority=priority,
                need=needs[0],
                provider=provider(offer.abbreviation),
                status=Offer.Status.ACCEPTED,
                description=offer.text,
                days=offer.days,
                funding=offer.funding,
                notes=offer.notes,
                deliver_by=deliver_by_in(offer.text),
            )
        # a withdrawn offer is not in the export
        OfferFactory(priority=priority, provider=provider("NS"), status=Offer.Status.WITHDRAWN, description="gone")
    client.force_login(w.csa)
    response = client.get(reverse("plans:export_xlsx", kwargs={"pk": source.pk}))
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content

    copy = services.import_annex2(
        actor=w.csa, authority=w.newcastle, period="2011-12", upload=upload(exported, "export.xlsx"), choices={}
    )
    assert plan_rows(copy) == plan_rows(source) == seed_rows()


def test_import_then_annex2_page_then_pdf_show_the_documents_text(
    reference, client, django_capture_on_commit_callbacks
):
    """The imported plan, sent through review and approved by the DCS as any plan: the Annex 2 page and
    the signed-off PDF hold the document's own words."""
    w = reference
    jisp = services.import_annex2(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes()), choices={}
    )
    client.force_login(w.csa)
    page = html.unescape(" ".join(client.get(jisp.get_absolute_url()).content.decode().split()))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_to_authority(actor=w.csa, jisp=jisp)
        workflow.send_for_approval(actor=w.csa, jisp=jisp)
        jisp.refresh_from_db()
        workflow.approve(actor=w.dcs, jisp=jisp, version=jisp.version)
    jisp.refresh_from_db()
    assert jisp.status == S.APPROVED
    assert jisp.pdf
    with jisp.pdf.open("rb") as stored:
        reader = PdfReader(BytesIO(stored.read()))
    pdf = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for spec in docs.seed_table():
        texts = [spec.written, *spec.needs]
        for offer in spec.offers:
            texts += [offer.text, offer.notes]
        for text in filter(None, texts):
            flat = " ".join(text.split())
            assert flat in page, f"not on the Annex 2 page: {flat}"
            assert flat in pdf, f"not in the PDF: {flat}"
    assert "Regional Teenage Pregnancy Coordinator" in pdf
    assert "Teenage Pregnancy National Support Team" in pdf


def test_importing_a_plan_of_200_offers_stays_within_a_bounded_number_of_queries(
    reference, django_assert_max_num_queries
):
    w = reference
    spec = docs.PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=112,
        needs=["A need"],
        offers=[docs.OfferSpec("TfC", "TfC", f"By May 2010, offer {n}", "1 day", Decimal(1), None) for n in range(200)],
    )
    data = docs.xlsx_bytes([spec])
    # rows, history and timeline entries in bulk; one audit entry per row; a fixed number besides
    with django_assert_max_num_queries(200 + 60):
        jisp = services.import_annex2(
            actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(data, "big.xlsx"), choices={}
        )
    assert Offer.objects.filter(priority__jisp=jisp).count() == 200


def test_the_preview_alone_creates_nothing(reference):
    w = reference
    preview = services.preview_annex2(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
    )
    assert len(preview.offers) == 5
    assert not AnnexImport.objects.exists()
    assert not JISP.objects.exists()


def test_the_hourly_task_discards_uploads_never_confirmed(reference, django_capture_on_commit_callbacks):
    from jisp_portal.celery import app
    from plans.tasks import purge_expired_imports

    assert app.conf.beat_schedule["purge-expired-annex-imports"]["task"] == "plans.tasks.purge_expired_imports"
    w = reference
    pending = services.start_import(
        actor=w.csa, authority=w.newcastle, period="2010-11", upload=upload(docs.docx_bytes())
    )
    assert purge_expired_imports.delay().get() == 0
    AnnexImport.objects.filter(pk=pending.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_imports.delay().get() == 1
    assert purge_expired_imports.delay().get() == 0
    assert not pending.file.storage.exists(pending.file.name)
