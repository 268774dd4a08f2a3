"""The read-only API, ``/api/v1/`` (docs/architecture.md, The API).

Every answer is read through the apps' ``queries`` and ``visible_to``, as the pages read it: a token
reads what its person may see. An analysis outside the person's regions, or a national analysis for
anyone but national analysts and administrators, is a 404 (as on the pages); the compliance figures
for a role without them a 403.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import require
from authorities import queries as authority_queries
from authorities.models import Region
from meetings import queries as meeting_queries
from plans.models import validate_period
from plans.queries import analysis
from plans.queries.published import published_plans
from providers import queries as provider_queries

from . import filters, serializers
from .open_data import analysis_data


class ThrottleRefusals:
    """Requests refused for a missing or bad token count against the address's limit too."""

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            self.check_throttles(request)
            raise


class ReadOnlyViewSet(ThrottleRefusals, viewsets.ReadOnlyModelViewSet):
    pass


class ReadOnlyView(ThrottleRefusals, APIView):
    pass


@extend_schema_view(
    list=extend_schema(summary="Regions", tags=["reference"]),
    retrieve=extend_schema(summary="A region", tags=["reference"]),
)
class RegionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.RegionSerializer

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Local authorities", tags=["reference"]),
    retrieve=extend_schema(summary="A local authority", tags=["reference"]),
)
class AuthorityViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AuthoritySerializer
    filterset_class = filters.AuthorityFilter

    def get_queryset(self):
        return authority_queries.authority_list(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Providers of improvement support", tags=["reference"]),
    retrieve=extend_schema(summary="A provider", tags=["reference"]),
)
class ProviderViewSet(ReadOnlyViewSet):
    serializer_class = serializers.ProviderSerializer
    filterset_class = filters.ProviderFilter

    def get_queryset(self):
        return provider_queries.provider_list(self.request.user).distinct()


@extend_schema_view(
    list=extend_schema(summary="National Indicators", tags=["reference"]),
    retrieve=extend_schema(summary="A National Indicator", tags=["reference"]),
)
class IndicatorViewSet(ReadOnlyViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        return authority_queries.indicator_list(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Approved plans",
        description="The approved and superseded plans you may see, each with its priorities, needs and accepted offers.",
        tags=["plans"],
    ),
    retrieve=extend_schema(summary="An approved plan", tags=["plans"]),
)
class PlanViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self):
        return published_plans(self.request.user)


# --- analysis ----------------------------------------------------------------------------------------


def _valid_period_or_404(period):
    try:
        validate_period(period)
    except ValidationError as error:
        raise Http404("No such period") from error


class AnalysisPeriodsView(ReadOnlyView):
    @extend_schema(
        summary="What analysis you may see",
        description="The periods with plans in the regions you may see, those regions and whether you see the national analysis.",
        responses=serializers.AnalysisPeriodsSerializer,
        tags=["analysis"],
    )
    def get(self, request):
        user = request.user
        regions = analysis.analysis_regions(user)
        if not regions.exists():
            raise Http404("No analysis")
        data = {
            "periods": analysis.periods(regions, approved_only=analysis.approved_only_for(user)),
            "regions": list(regions.order_by("name").values_list("slug", flat=True)),
            "national": analysis.can_see_national(user),
        }
        return Response(serializers.AnalysisPeriodsSerializer(data).data)


class RegionalAnalysisView(ReadOnlyView):
    @extend_schema(
        summary="A region's analysis for a period",
        description="The same tables as the region's analysis page. National analysts and RIEP advisers count approved plans only.",
        responses=serializers.AnalysisSerializer,
        tags=["analysis"],
    )
    def get(self, request, slug, period):
        user = request.user
        region = analysis.analysis_regions(user).filter(slug=slug).first()
        if region is None:
            raise Http404("No such region")
        _valid_period_or_404(period)
        result = analysis.regional_analysis(region, period, approved_only=analysis.approved_only_for(user))
        return Response(serializers.AnalysisSerializer(analysis_data(result, region.slug)).data)


class NationalAnalysisView(ReadOnlyView):
    @extend_schema(
        summary="The national analysis for a period",
        description="Every region's tables, region by region, with one overview row per region (the table `regions`). "
        "National analysts and administrators only.",
        responses=serializers.AnalysisSerializer,
        tags=["analysis"],
    )
    def get(self, request, period):
        user = request.user
        if not analysis.can_see_national(user):
            raise Http404("No national analysis")
        _valid_period_or_404(period)
        result = analysis.national_view(period, approved_only=analysis.approved_only_for(user))
        return Response(serializers.AnalysisSerializer(analysis_data(result, None)).data)


# --- compliance -----------------------------------------------------------------------------------


def _group_data(group):
    return {
        "label": group.label,
        "notes": group.notes,
        "stages": [
            {
                "stage": stage,
                "on_time": figures.on_time,
                "on_time_with_extension": figures.extended,
                "late": figures.late,
                "extension_days": figures.extension_days,
                "median_working_days": figures.median,
            }
            for stage, figures in group.stages.items()
        ],
    }


class ComplianceView(ReadOnlyView):
    @extend_schema(
        summary="Note-deadline compliance",
        description="The 5-working-day figures of the meeting notes you may see, in total and by provider, "
        "as on the compliance page. National analysts and administrators may name a region.",
        parameters=[OpenApiParameter("region", OpenApiTypes.STR, description="A region's slug (national and admin).")],
        responses=serializers.ComplianceSerializer,
        tags=["compliance"],
    )
    def get(self, request):
        user = request.user
        require(user, "meetings.view_compliance")
        region = None
        slug = request.query_params.get("region")
        if slug and (user.is_superuser or analysis.can_see_national(user)):
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                raise Http404("No such region")
        figures = meeting_queries.compliance(user, region)
        data = {
            "today": figures["today"],
            "region": region.slug if region else None,
            "total": _group_data(figures["total"]),
            "by_provider": [_group_data(g) for g in figures["by_provider"]],
            "overdue": len(figures["overdue"]),
        }
        return Response(serializers.ComplianceSerializer(data).data)
