"""``manage.py import_annex2``: the same service as the page, as the person named, printing the preview
and then the plan's address; ``--dry-run`` creates nothing; every error is a CommandError (a
non-zero exit) and creates nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from authorities.reference import load_national_indicators
from plans.models import JISP, AnnexImport, Offer
from providers.reference import load_providers
from tests.plans import annex2_documents as docs
from tests.plans.factories import JISPFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference(world):
    load_providers()
    load_national_indicators()
    return world


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "Newcastle JISP 2010-11.docx"
    path.write_bytes(docs.docx_bytes())
    return path


def run(*args):
    out = StringIO()
    call_command("import_annex2", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_preview_and_creates_nothing(reference, document):
    out = run(
        document, "--authority", "Newcastle upon Tyne", "--period", "2010-11", "--as", "csa@example.gov.uk", "--dry-run"
    )
    assert "Newcastle JISP 2010-11.docx: Word document (DOCX), the Annex 2 table read from its table 2" in out
    assert "Priority 1 (row 3): Reduce teenage pregnancy (NI 112) [NI 112]" in out
    assert "  Need: Develop a sexual health policy for young people" in out
    assert "Offer r6: Teenage Pregnancy National Support Team: By September 2010" in out
    assert "(3 days, £4500.00, deliver by 2010-09-30)" in out
    assert "Dry run: nothing was created." in out
    assert not JISP.objects.exists()
    assert not AnnexImport.objects.exists()


def test_the_import_prints_the_plans_address(reference, document, settings):
    settings.SITE_URL = "https://jisp.example.gov.uk"
    out = run(document, "--authority", "e08000021", "--period", "2010-11", "--as", "CSA@example.gov.uk")
    jisp = JISP.objects.get()
    assert out.rstrip().endswith(f"Created {jisp} in draft: https://jisp.example.gov.uk{jisp.get_absolute_url()}")
    assert jisp.status == JISP.Status.DRAFT
    assert Offer.objects.filter(priority__jisp=jisp).count() == 5
    assert AnnexImport.objects.get().original_name == "Newcastle JISP 2010-11.docx"


def test_offers_without_a_provider_need_choose(reference, tmp_path):
    spec = docs.PrioritySpec(
        title="Reduce teenage pregnancy",
        ni=112,
        needs=["A policy"],
        offers=[
            docs.OfferSpec("Local consultant", "", "By May 2010, a review", "2 days", Decimal(2), None),
            docs.OfferSpec("RTPC and TPNST", "", "By June 2010, visits", "1 day", Decimal(1), None),
        ],
    )
    path = tmp_path / "plan.xlsx"
    path.write_bytes(docs.xlsx_bytes([spec]))
    base = [path, "--authority", "Newcastle upon Tyne", "--period", "2010-11", "--as", "csa@example.gov.uk"]
    with pytest.raises(CommandError, match=r"2 offers have no provider \(r6, r7\)"):
        run(*base, "--dry-run")
    with pytest.raises(CommandError, match="The preview has no offer r99"):
        run(*base, "--choose", "r99=TfC")
    assert not JISP.objects.exists()
    run(*base, "--choose", "r6=skip", "--choose", "r7=Teenage Pregnancy National Support Team")
    assert [o.provider.abbreviation for o in Offer.objects.all()] == ["TPNST"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--authority", "Newcastle upon Tyne", "--as", "director@example.gov.uk"],
            "may not import a plan for Newcastle",
        ),
        (["--authority", "Leeds", "--as", "csa@example.gov.uk"], "may not import a plan for Leeds"),
        (
            ["--authority", "Atlantis", "--as", "csa@example.gov.uk"],
            "There is no local authority named or coded Atlantis",
        ),
        (["--authority", "Newcastle upon Tyne", "--as", "nobody@example.gov.uk"], "There is no active user"),
    ],
)
def test_errors_end_the_command_and_create_nothing(reference, document, args, message):
    with pytest.raises(CommandError, match=message):
        run(document, "--period", "2010-11", *args)
    assert not JISP.objects.exists()


def test_a_plan_already_there_and_a_bad_file_are_errors(reference, document, tmp_path):
    base = ["--authority", "Newcastle upon Tyne", "--period", "2010-11", "--as", "csa@example.gov.uk"]
    with pytest.raises(CommandError, match="There is no file at"):
        run(tmp_path / "missing.docx", *base)
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docs.macro_docx())
    with pytest.raises(CommandError, match="contains macros.*Nothing was created"):
        run(bomb, *base)
    JISPFactory(authority=reference.newcastle, period="2010-11")
    with pytest.raises(CommandError, match="already has a plan for 2010-11"):
        run(document, *base, "--dry-run")
    assert JISP.objects.count() == 1
    assert not AnnexImport.objects.exists()
