"""Meeting views: compliance with the protocol's note deadlines, on a page and as a CSV."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts.models import Role
from accounts.permissions import require
from authorities.models import Region

from .. import exports, queries
from .common import crumbs, query_string

OVERDUE_PER_PAGE = 50  # on the compliance page; the CSV has them all


def _sees_all_regions(user):
    return user.role in (Role.ADMIN, Role.NATIONAL) or user.is_superuser


def _compliance_context(request, rows=False):
    require(request.user, "meetings.view_compliance")
    region = None
    if _sees_all_regions(request.user):
        slug = request.GET.get("region")
        if slug:
            region = get_object_or_404(Region, slug=slug)
    return queries.compliance(request.user, region, rows=rows), region


def compliance(request):
    figures, region = _compliance_context(request)
    overdue = Paginator(figures["overdue"], OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/compliance.html",
        {
            "figures": figures,
            "sections": [
                ("All notes", [figures["total"]]),
                ("By Children's Services Adviser", figures["by_csa"]),
                ("By provider", figures["by_provider"]),
            ],
            "page_obj": overdue,
            "overdue": overdue.object_list,
            "query_string": query_string(request),
            "region": region,
            "regions": Region.objects.all() if _sees_all_regions(request.user) else [],
            "scope": region or request.user.region or request.user.provider or "All regions",
            "crumbs": crumbs(("Compliance", None)),
        },
    )


def compliance_csv(request):
    figures, _ = _compliance_context(request, rows=True)
    return exports.compliance_csv(figures["rows"])
