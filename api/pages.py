"""The open data page: national analysts download the export (``api.open_data``) as one ZIP.

Anyone else gets a 404, as on the national analysis (the page does not reveal what it would show).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import can

from . import open_data

ZIP_NAME = "jisp-open-data.zip"


def _national_or_404(user):
    if not can(user, "api.download_open_data"):
        raise Http404("No open data page")


@require_GET
def index(request):
    _national_or_404(request.user)
    return render(
        request,
        "api/open_data.html",
        {
            "licence": open_data.LICENCE,
            "columns": open_data.PLAN_ROW_COLUMNS,
            "crumbs": [("Analysis", reverse("plans:analysis")), ("Open data", None)],
        },
    )


@require_GET
def download(request):
    _national_or_404(request.user)
    response = HttpResponse(open_data.zip_bytes(timezone.now()), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ZIP_NAME}"'
    return response
