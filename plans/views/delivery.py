"""Plan views: delivery — an accepted offer's delivery page (its updates, newest first, and the form
to add one), and the regional and national delivery tables with their CSV export.

Thin: fetch the offer among those the user may see (404), check the permission (403) on a POST, and
let ``core.actions.submit`` call the service and show the outcome."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_visible_or_404, require
from core.actions import posted, submit
from core.pagination import paginate
from core.working_days import london_date

from ..forms.delivery import DeliveryUpdateForm
from ..queries import delivery as q
from ..services import delivery as services
from ..urls_cache import pk_reverse
from .offers import _offer_crumbs


def _success(update):
    if update.is_comment:
        return "Your comment has been added. The other side has been emailed."
    return f"The delivery status is now “{update.get_status_display()}”. The other side has been emailed."


@require_http_methods(["GET", "POST"])
def offer_delivery(request, pk):
    offer = get_visible_or_404(q.delivery_page_queryset(), request.user, pk=pk)
    if request.method == "POST":
        require(request.user, "plans.report_delivery", offer)
    form = DeliveryUpdateForm(posted(request), current=offer.delivery_status)
    outcome = submit(
        request,
        form,
        lambda data: services.report_delivery(
            actor=request.user,
            offer=offer,
            status=data["status"],
            note=data["note"],
            days_given=data["days_given"],
        ),
        success=_success,
        then=lambda update: pk_reverse("plans:offer_delivery", offer.pk),
    )
    if outcome.response:
        return outcome.response
    context = q.delivery_context(offer, request.user)
    return render(
        request,
        "plans/delivery/offer.html",
        {**context, "form": outcome.form, "crumbs": _offer_crumbs(request, offer, "Delivery")},
    )


# --- the regional and national delivery tables ----------------------------------------------------

#: Rows per page of a region's delivery table.
PER_PAGE = 50


def _delivery_region_or_404(user, slug):
    region = q.delivery_regions(user).filter(slug=slug).first()
    if region is None:
        raise Http404("No such region")
    return region


def _analysis_crumbs(*labels):
    return [("Analysis", reverse("plans:analysis")), *labels]


@require_GET
def delivery_region(request, slug):
    region = _delivery_region_or_404(request.user, slug)
    table = q.delivery_table(request.user, region)
    page_obj, query_string = paginate(request, table.rows, PER_PAGE)
    return render(
        request,
        "plans/delivery/region.html",
        {
            "region": region,
            "table": table,
            "page_obj": page_obj,
            "query_string": query_string,
            "today": london_date(),
            "can_see_national": q.can_see_national_delivery(request.user),
            "crumbs": _analysis_crumbs((f"Delivery in {region.name}", None)),
        },
    )


def _csv_download(rows, filename):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(q.CSV_HEADINGS)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    """Text typed by users never runs as a spreadsheet formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def delivery_region_csv(request, slug):
    region = _delivery_region_or_404(request.user, slug)
    rows = q.delivery_offers(request.user, region)
    return _csv_download(q.csv_rows(rows, london_date()), f"jisp-delivery-{region.slug}-{london_date():%Y-%m-%d}.csv")


@require_GET
def delivery_national(request):
    if not q.can_see_national_delivery(request.user):
        raise Http404("No national view for this user")
    regions = q.national_delivery(request.user)
    totals = [sum(r["counts"][i] for r in regions) for i in range(len(q.D.values))]
    return render(
        request,
        "plans/delivery/national.html",
        {
            "regions": regions,
            "labels": q.D.labels,
            "totals": totals,
            "total": sum(r["total"] for r in regions),
            "overdue": sum(r["overdue"] for r in regions),
            "crumbs": _analysis_crumbs(("Delivery in England", None)),
        },
    )


@require_GET
def delivery_national_csv(request):
    if not q.can_see_national_delivery(request.user):
        raise Http404("No national view for this user")
    rows = q.delivery_offers(request.user, None)
    return _csv_download(q.csv_rows(rows, london_date()), f"jisp-delivery-england-{london_date():%Y-%m-%d}.csv")


urlpatterns = [
    path("offers/<int:pk>/delivery/", offer_delivery, name="offer_delivery"),
    path("analysis/national/delivery/", delivery_national, name="delivery_national"),
    path("analysis/national/delivery.csv", delivery_national_csv, name="delivery_national_csv"),
    path("analysis/<slug:slug>/delivery/", delivery_region, name="delivery_region"),
    path("analysis/<slug:slug>/delivery.csv", delivery_region_csv, name="delivery_region_csv"),
]
