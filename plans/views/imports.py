"""Plan views: importing an Annex 2 document (Word or Excel) as a draft plan.

The lead CSA uploads the document with the authority and period (``import_start``); the portal keeps
it and shows every row as it will be created, with what to check beside each row and a chooser for
each offer whose provider was not matched exactly (``import_preview``); confirming creates the plan
in draft. Nothing is created before that; ``import_cancel`` discards the upload. The original
document stays with the plan (``import_document``).

An import waiting for confirmation is seen by the region's GO staff (others: 404) and handled by the
authority's lead CSA only (others: 403).
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.permissions import get_visible_or_404, require
from authorities.models import LocalAuthority
from core.actions import posted, submit

from ..forms.imports import ImportForm, ProviderChoiceForm
from ..forms.workflow import ConfirmForm
from ..imports import KIND_LABELS, Preview
from ..models import AnnexImport
from ..services import imports as services


def _crumbs(*labels):
    return [("Plans", reverse("plans:list")), *labels]


def _import(request, pk):
    qs = AnnexImport.objects.select_related("authority__region", "authority__csa", "uploaded_by", "jisp")
    return get_visible_or_404(qs, request.user, pk=pk)


@require_http_methods(["GET", "POST"])
def import_start(request):
    authorities = LocalAuthority.objects.filter(csa=request.user).order_by("name")
    if request.user.role != Role.CSA or not authorities.exists():
        raise PermissionDenied("Only a Children's Services Adviser can import a plan for an authority they lead.")
    initial = {}
    chosen = authorities.filter(gss_code=request.GET.get("authority", "")).first()
    if chosen:
        initial["authority"] = chosen
    form = ImportForm(posted(request), request.FILES or None, authorities=authorities, initial=initial)
    outcome = submit(
        request,
        form,
        lambda data: services.start_import(
            actor=request.user, authority=data["authority"], period=data["period"], upload=data["file"]
        ),
        then=lambda pending: pending.get_absolute_url(),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "plans/imports/start.html",
        {
            "form": outcome.form,
            "title": "Import an Annex 2 document",
            "existing": outcome.details[0] if outcome.details else None,
            "crumbs": _crumbs(("Import an Annex 2 document", None)),
            "cancel_url": reverse("plans:list"),
        },
    )


@require_http_methods(["GET", "POST"])
def import_preview(request, pk):
    annex_import = _import(request, pk)
    require(request.user, "plans.add_jisp", annex_import.authority)
    preview = Preview.from_dict(annex_import.preview) if annex_import.is_pending else None
    form = ProviderChoiceForm(posted(request), preview=preview) if preview else ConfirmForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.confirm_import(
            actor=request.user, annex_import=annex_import, choices=getattr(form, "choices", {})
        ),
        success=lambda jisp: (
            f"The plan has been imported in draft: {jisp.priorities.count()} priorities with their "
            "needs and accepted offers. Check it, then invite any further offers or send it to the authority."
        ),
        then=lambda jisp: jisp.get_absolute_url(),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "plans/imports/preview.html",
        {
            "annex_import": annex_import,
            "preview": preview,
            "rows": _rows(preview, outcome.form) if preview else [],
            "form": outcome.form,
            "existing": next((d for d in outcome.details if hasattr(d, "get_absolute_url")), None),
            "kind_label": KIND_LABELS.get(annex_import.kind, annex_import.kind),
            "size": filesizeformat(annex_import.size),
            "title": "Check the plan before it is created",
            "crumbs": _crumbs(("Import an Annex 2 document", reverse("plans:import_start")), ("Check the plan", None)),
        },
    )


def _rows(preview, form):
    """The table's rows: each priority's first row carries the priority and needs cells (rowspan)."""
    rows = []
    for priority in preview.priorities:
        offers = priority.offers or [None]
        for index, offer in enumerate(offers):
            rows.append(
                {
                    "priority": priority if index == 0 else None,
                    "offer": offer,
                    "field": form.field_for(offer) if offer is not None and hasattr(form, "field_for") else None,
                    "need": priority.needs[offer.need_index] if offer and offer.need_index is not None else None,
                    "several_needs": len(priority.needs) > 1,
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
def import_cancel(request, pk):
    annex_import = _import(request, pk)
    require(request.user, "plans.add_jisp", annex_import.authority)
    form = ConfirmForm(posted(request), button="Cancel the import", warning=True)
    outcome = submit(
        request,
        form,
        lambda data: services.cancel_import(actor=request.user, annex_import=annex_import),
        success=f"The import of “{annex_import.original_name}” has been cancelled: nothing was created",
        then=reverse("plans:list"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "plans/imports/cancel.html",
        {
            "annex_import": annex_import,
            "form": outcome.form,
            "title": f"Cancel the import of “{annex_import.original_name}”",
            "crumbs": _crumbs(("Check the plan", annex_import.get_absolute_url()), ("Cancel the import", None)),
        },
    )


@require_GET
def import_document(request, pk):
    """The document as uploaded: while pending, for the lead CSA; once imported, for whoever may export
    the plan it became."""
    annex_import = _import(request, pk)
    if annex_import.status == AnnexImport.Status.IMPORTED:
        require(request.user, "plans.export_jisp", annex_import.jisp)
    else:
        require(request.user, "plans.add_jisp", annex_import.authority)
    if not annex_import.file:
        raise Http404("The document is no longer kept")
    try:
        handle = annex_import.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The document file is missing") from error
    content_type = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[annex_import.kind]
    return FileResponse(handle, as_attachment=True, filename=annex_import.original_name, content_type=content_type)


urlpatterns = [
    path("import/", import_start, name="import_start"),
    path("import/<uuid:pk>/", import_preview, name="import_preview"),
    path("import/<uuid:pk>/cancel/", import_cancel, name="import_cancel"),
    path("import/<uuid:pk>/document/", import_document, name="import_document"),
]
