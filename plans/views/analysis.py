"""Plan views: the regional and national analysis of priorities and needs, its exports, and the
forum agenda builder.

Who may see a region's analysis is ``plans.queries.analysis.analysis_regions``: anyone else gets a
404, never a 403 (the page does not reveal what it would show).
"""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, register_converter, reverse
from django.views.decorators.http import require_GET

from authorities.models import RegionalForum
from plans import charts, exports
from plans.forms.analysis import AnalysisChoiceForm
from plans.models import validate_period
from plans.queries import analysis as q
from plans.queries import delivery as delivery_q

#: Where the meetings part creates a meeting; built as a path so this part does not need its URLs.
MEETING_CREATE_PATH = "/meetings/new/"
FORMATS = ("csv", "xlsx")


class PeriodConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ExportFormatConverter:
    regex = r"csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PeriodConverter, "period")
register_converter(ExportFormatConverter, "exportformat")


def _region_or_404(user, slug):
    region = q.analysis_regions(user).filter(slug=slug).first()
    if region is None:
        raise Http404("No such region")
    return region


def _valid_period_or_404(period):
    try:
        validate_period(period)
    except ValidationError as error:
        raise Http404("No such period") from error


#: The charts beside a region's tables: the table, the chart's id and title, the column charted (by
#: the first column's labels), how values are shown, and the chart's description.
REGION_CHARTS = [
    (
        "indicators",
        "chart-indicators",
        "Authorities sharing each National Indicator",
        2,
        {"unit": "authorities"},
        "Number of authorities with a priority against each National Indicator.",
    ),
    (
        "outcomes",
        "chart-outcomes",
        "Authorities with priorities under each Every Child Matters outcome",
        1,
        {"unit": "authorities"},
        "Number of authorities with a priority under each Every Child Matters outcome.",
    ),
    (
        "providers",
        "chart-providers",
        "Days committed per provider",
        1,
        {"unit": "days"},
        "Days of support committed by each provider in accepted offers.",
    ),
    (
        "authorities",
        "chart-authorities",
        "Funding committed per authority",
        2,
        {"prefix": "£", "largest_first": True},
        "Funding in pounds committed to each authority in accepted offers.",
    ),
    (
        "offer_statuses",
        "chart-offer-statuses",
        "Offers by status",
        1,
        {"unit": "offers"},
        "Number of offers in each status.",
    ),
]


def _chart(table, chart_id, title, column, description, *, largest_first=False, **style):
    values = [(row[0], row[column]) for row in table.rows]
    if largest_first:
        values = sorted(((label, value or 0) for label, value in values), key=lambda r: -r[1])
    return charts.bar_chart(chart_id, title, values, description=description, **style)


def _add_charts(tables):
    """The SVG charts beside a region's main tables (national tables are per region)."""
    for key, chart_id, title, column, style, description in REGION_CHARTS:
        tables[key].chart = _chart(tables[key], chart_id, title, column, description, **style)


@require_GET
def analysis_index(request):
    """Pick a region (the user's own, or any they may see) and a period."""
    user = request.user
    regions = q.analysis_regions(user)
    if not regions.exists():
        raise Http404("No analysis for this user")
    approved_only = q.approved_only_for(user)
    periods = q.periods(regions, approved_only)
    form = AnalysisChoiceForm(request.GET or None, regions=regions, periods=periods)
    if request.GET and form.is_valid():
        return redirect(
            "plans:analysis_region", slug=form.cleaned_data["region"].slug, period=form.cleaned_data["period"]
        )
    single = regions.first() if regions.count() == 1 else None
    return render(
        request,
        "plans/analysis/index.html",
        {
            "form": form,
            "periods": periods,
            "single_region": single,
            "latest": periods[0] if periods else None,
            "can_see_national": q.can_see_national(user),
            "delivery_regions": list(delivery_q.delivery_regions(user).order_by("name")),
            "approved_only": approved_only,
            "note": q.APPROVED_ONLY_NOTE if approved_only else q.ALL_CURRENT_NOTE,
            "crumbs": [("Analysis", None)],
        },
    )


@require_GET
def analysis_region(request, slug, period):
    user = request.user
    region = _region_or_404(user, slug)
    _valid_period_or_404(period)
    approved_only = q.approved_only_for(user)
    result = q.regional_analysis(region, period, approved_only=approved_only)
    _add_charts(result["tables"])
    for key, table in result["tables"].items():
        table.exports = [
            (
                fmt,
                reverse(
                    "plans:analysis_export", kwargs={"slug": region.slug, "period": period, "table": key, "fmt": fmt}
                ),
            )
            for fmt in FORMATS
        ]
    periods = q.periods(q.analysis_regions(user), approved_only)
    forums = RegionalForum.objects.filter(region=region).order_by("name") if not approved_only else []
    return render(
        request,
        "plans/analysis/region.html",
        {
            **result,
            "region": region,
            "periods": periods,
            "other_regions": q.analysis_regions(user).exclude(pk=region.pk),
            "forums": [f for f in forums if q.can_build_agenda(user, f)],
            "can_see_national": q.can_see_national(user),
            "crumbs": [("Analysis", reverse("plans:analysis")), (f"{region.name}, {period}", None)],
        },
    )


@require_GET
def analysis_national(request, period):
    user = request.user
    if not q.can_see_national(user):
        raise Http404("No national view for this user")
    _valid_period_or_404(period)
    result = q.national_view(period, approved_only=q.approved_only_for(user))
    regions_table = result["regions"]
    regions_table.chart = _chart(
        regions_table,
        "chart-regions",
        "Priorities per region",
        4,
        "Number of priorities in the plans counted in each region.",
        unit="priorities",
    )
    for key, table in [*result["tables"].items(), ("regions", regions_table)]:
        table.exports = [
            (fmt, reverse("plans:analysis_national_export", kwargs={"period": period, "table": key, "fmt": fmt}))
            for fmt in FORMATS
        ]
    return render(
        request,
        "plans/analysis/national.html",
        {
            **result,
            "region_rows": list(zip(regions_table.display_rows(), regions_table.slugs, strict=True)),
            "periods": q.periods(None, q.approved_only_for(user)),
            "crumbs": [("Analysis", reverse("plans:analysis")), (f"England, {period}", None)],
        },
    )


@require_GET
def analysis_export(request, slug, period, table, fmt):
    user = request.user
    region = _region_or_404(user, slug)
    if table not in q.TABLE_KEYS:
        raise Http404("No such table")
    return exports.regional_table(region, period, table, fmt, approved_only=q.approved_only_for(user))


@require_GET
def analysis_national_export(request, period, table, fmt):
    user = request.user
    if not q.can_see_national(user):
        raise Http404("No national view for this user")
    if table not in (*q.TABLE_KEYS, "regions"):
        raise Http404("No such table")
    return exports.national_table(period, table, fmt, approved_only=q.approved_only_for(user))


def schedule_url(forum, agenda):
    """The meetings part's create page with this forum meeting's initial values."""
    return MEETING_CREATE_PATH + "?" + urlencode({"forum": forum.pk, "kind": "forum", "agenda": agenda})


@require_GET
def forum_agenda(request, pk):
    """Start a forum meeting's agenda from the region's top shared priorities; edit; schedule."""
    user = request.user
    forum = get_object_or_404(RegionalForum.objects.select_related("region"), pk=pk)
    if not q.can_build_agenda(user, forum):
        raise Http404("No agenda builder for this user")
    periods = q.periods([forum.region_id], approved_only=False)
    period = request.GET.get("period")
    if period not in periods:
        period = periods[0] if periods else None
    top = q.top_shared(forum.region, period) if period else []
    agenda = q.agenda_text(forum.region, period, top=top) if period else ""
    return render(
        request,
        "plans/analysis/forum_agenda.html",
        {
            "forum": forum,
            "region": forum.region,
            "period": period,
            "periods": periods,
            "top": top,
            "agenda": agenda,
            "meeting_create_path": MEETING_CREATE_PATH,
            "schedule_url": schedule_url(forum, agenda),
            "crumbs": [("Analysis", reverse("plans:analysis")), (f"Agenda for the {forum.name}", None)],
            "analysis_url": reverse("plans:analysis_region", kwargs={"slug": forum.region.slug, "period": period})
            if period
            else None,
        },
    )


urlpatterns = [
    path("analysis/", analysis_index, name="analysis"),
    path("analysis/forum/<int:pk>/agenda/", forum_agenda, name="forum_agenda"),
    path("analysis/national/<period:period>/", analysis_national, name="analysis_national"),
    path(
        "analysis/national/<period:period>/<slug:table>.<exportformat:fmt>",
        analysis_national_export,
        name="analysis_national_export",
    ),
    path("analysis/<slug:slug>/<period:period>/", analysis_region, name="analysis_region"),
    path(
        "analysis/<slug:slug>/<period:period>/<slug:table>.<exportformat:fmt>", analysis_export, name="analysis_export"
    ),
]
