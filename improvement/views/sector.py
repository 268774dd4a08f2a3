"""The sector-led improvement hub, the reciprocity ledger and the overview (regional and national,
every figure split by support status)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.permissions import can, require

from .. import queries as q
from ..forms import YearRegionForm
from ..models import EXPECTED_DAYS_PER_YEAR, Brokerage, InspectionRecord, PeerChallenge, SelfAssessment
from .common import crumbs

#: How many of each kind the hub lists (each authority's page lists all of its own).
RECENT = 20


@require_GET
def index(request):
    user = request.user
    require(user, "improvement.view_ledger")
    return render(
        request,
        "improvement/index.html",
        {
            "work": q.work_for(user),
            "self_assessments": list(
                SelfAssessment.objects.visible_to(user)
                .select_related("authority")
                .order_by("-year", "authority__name")[:RECENT]
            ),
            "challenges": list(
                PeerChallenge.objects.visible_to(user)
                .select_related("authority", "lead")
                .order_by("-starts_on", "pk")[:RECENT]
            ),
            "brokerages": list(
                Brokerage.objects.visible_to(user)
                .select_related("authority", "support_plan", "broker")
                .order_by("-created_at")[:RECENT]
            ),
            "inspections": list(
                InspectionRecord.objects.visible_to(user).select_related("authority").order_by("-published_on")[:RECENT]
            ),
            "recent": RECENT,
            "may_record": can(user, "improvement.record_inspection"),
            "crumbs": crumbs(),
        },
    )


def _filters(request):
    years = q.year_choices()
    form = YearRegionForm(request.GET or None, years=years, initial={"year": q.this_year()})
    year, region = q.this_year(), None
    if form.is_valid():
        year, region = form.cleaned_data["year"], form.cleaned_data["region"]
    elif request.GET:
        form = YearRegionForm(None, years=years, initial={"year": q.this_year()})
    return form, year, region


@require_GET
def ledger(request):
    require(request.user, "improvement.view_ledger")
    form, year, region = _filters(request)
    rows = q.ledger(year, region=region)
    statuses, total = q.by_status(rows)
    under = sorted((r for r in rows if r.standing == q.UNDER), key=lambda r: (r.given, r.authority.name))
    over = sorted((r for r in rows if r.standing == q.OVER), key=lambda r: (-r.given, r.authority.name))
    where = region.name if region else "England"
    return render(
        request,
        "improvement/ledger.html",
        {
            "form": form,
            "year": year,
            "region": region,
            "where": where,
            "rows": rows,
            "statuses": statuses,
            "total": total,
            "regions": q.by_region(rows) if region is None else [],
            "under": under,
            "over": over,
            "expected": EXPECTED_DAYS_PER_YEAR,
            "title": f"Reciprocity ledger {year}: {where}",
            "crumbs": crumbs("Reciprocity ledger"),
        },
    )


@require_GET
def overview(request):
    require(request.user, "improvement.view_ledger")
    form, year, region = _filters(request)
    columns, table = q.overview(year, region=region)
    where = region.name if region else "England"
    return render(
        request,
        "improvement/overview.html",
        {
            "form": form,
            "year": year,
            "region": region,
            "where": where,
            "columns": columns,
            "table": table,
            "title": f"Sector-led improvement {year}: {where}",
            "crumbs": crumbs("Overview"),
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("ledger/", ledger, name="ledger"),
    path("overview/", overview, name="overview"),
]
