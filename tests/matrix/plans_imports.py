"""Permission matrix for importing an Annex 2 document: the upload, the preview and its confirmation,
cancelling, and the original document × every role.

Only the lead CSA of the authority imports. An import waiting for confirmation is GO working
material: the region's GO director (and admins) may see it exists but act on nothing (403); anyone
else gets 404. Once imported, the document goes with the plan: those who may export the plan
download it.
"""

from decimal import Decimal
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import JISP, AnnexImport
from plans.services import imports as services
from tests.matrix import Case

S = JISP.Status


@cache
def _document():
    from tests.plans import annex2_documents as docs

    spec = docs.PrioritySpec(
        title="Delivery of Sure Start Children's Centres",
        ni=None,
        needs=["Re-evaluate the children's centre portfolio"],
        offers=[
            docs.OfferSpec("TfC", "TfC", "By June 2010, provide 3 days support", "3 days", Decimal(3), None),
            docs.OfferSpec("National Strategies", "NS", "By July 2010, a review", "£1.2k", None, Decimal(1200)),
        ],
    )
    return docs.docx_bytes([spec])


def _upload():
    return SimpleUploadedFile("Newcastle JISP.docx", _document())


def _pending(w):
    return services.start_import(actor=w.csa, authority=w.newcastle, period="2010-11", upload=_upload())


def _imported(w):
    jisp = services.import_annex2(actor=w.csa, authority=w.newcastle, period="2010-11", upload=_upload(), choices={})
    return AnnexImport.objects.get(jisp=jisp)


def _u(name):
    return lambda w, o: reverse(name, kwargs={"pk": o.pk})


#: a pending import: the lead CSA acts; the region's GO director and admins see it (403); others 404
PENDING = {"csa": None, "go_director": 403, "admin": 403}


def lead(ok):
    return {**PENDING, "csa": ok}


def _created_only_by_the_csa(w, o, role, response):
    made = JISP.objects.filter(authority=w.newcastle, period="2010-11").exists()
    assert made == (role == "csa"), f"{role}: a plan was {'not ' if role == 'csa' else ''}created"


def _pending_only_for_the_csa(w, o, role, response):
    pending = AnnexImport.objects.filter(status=AnnexImport.Status.PENDING).exists()
    assert pending == (role == "csa") and not JISP.objects.exists(), f"{role}: the upload did not do what it should"


def _cancelled_only_by_the_csa(w, o, role, response):
    o.refresh_from_db()
    assert (o.status == AnnexImport.Status.CANCELLED) == (role == "csa")


CASES = [
    Case(
        "imports: upload page",
        "plans:import_start",
        lambda w, o: reverse("plans:import_start"),
        {"csa": 200, "csa_other": 200},
        403,
    ),
    Case(
        "imports: upload",
        "plans:import_start",
        lambda w, o: reverse("plans:import_start"),
        {"csa": 302, "csa_other": 200},  # another region's CSA cannot pick Newcastle: the form is shown again
        403,
        method="post",
        data=lambda w, o: {"authority": w.newcastle.pk, "period": "2010-11", "file": _upload()},
        then=_pending_only_for_the_csa,
    ),
    Case("imports: preview page", "plans:import_preview", _u("plans:import_preview"), lead(200), setup=_pending),
    Case(
        "imports: preview page (imported)",
        "plans:import_preview",
        _u("plans:import_preview"),
        {**lead(200), "dcs": 403, "la_officer": 403},
        setup=_imported,
    ),
    Case(
        "imports: confirm",
        "plans:import_preview",
        _u("plans:import_preview"),
        lead(302),
        method="post",
        setup=_pending,
        then=_created_only_by_the_csa,
    ),
    Case("imports: cancel page", "plans:import_cancel", _u("plans:import_cancel"), lead(200), setup=_pending),
    Case(
        "imports: cancel",
        "plans:import_cancel",
        _u("plans:import_cancel"),
        lead(302),
        method="post",
        setup=_pending,
        then=_cancelled_only_by_the_csa,
    ),
    Case(
        "imports: document (waiting)", "plans:import_document", _u("plans:import_document"), lead(200), setup=_pending
    ),
    Case(
        "imports: document (imported)",
        "plans:import_document",
        _u("plans:import_document"),
        {"csa": 200, "dcs": 200, "la_officer": 200, "admin": 200, "go_director": 403},
        setup=_imported,
    ),
]
