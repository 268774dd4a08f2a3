"""``/api/v1/``: the read-only API, its OpenAPI 3 schema and its rendered documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from . import views
from .authentication import BearerTokenAuthentication
from .permissions import ReadOnlyForActiveUsers

app_name = "api"

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("authorities", views.AuthorityViewSet, basename="authority")
router.register("providers", views.ProviderViewSet, basename="provider")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("plans", views.PlanViewSet, basename="plan")

# The schema and the documentation describe the API and hold no data: a signed-in person reads them
# with their portal session in every environment (the documentation page fetches the schema so).
schema = SpectacularAPIView.as_view(
    authentication_classes=[BearerTokenAuthentication, SessionAuthentication],
    permission_classes=[ReadOnlyForActiveUsers],
)
swagger = SpectacularSwaggerSplitView.as_view(
    url_name="api:schema",
    template_name="api/swagger_ui.html",
    title="JISP portal API",
    authentication_classes=[SessionAuthentication],
    permission_classes=[IsAuthenticated],
)


def docs(request):
    """The rendered documentation (Swagger UI, served from the portal's static files): signed-in
    people only (anyone else is sent to sign in, as on every page)."""
    return swagger(request)


urlpatterns = [
    path("", include(router.urls)),
    path("analysis/", views.AnalysisPeriodsView.as_view(), name="analysis"),
    path("analysis/regions/<slug:slug>/<str:period>/", views.RegionalAnalysisView.as_view(), name="analysis-region"),
    path("analysis/national/<str:period>/", views.NationalAnalysisView.as_view(), name="analysis-national"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("schema/", schema, name="schema"),
    path("docs/", docs, name="docs"),
]
