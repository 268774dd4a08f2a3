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


def _region(request):
    """The region asked for, for an account that sees every region; else None."""
    slug = request.GET.get("region")
    if slug and _sees_all_regions(request.user):
        return get_object_or_404(Region, slug=slug)
    return None


def _compliance_context(request):
    require(request.user, "meetings.view_compliance")
    region = _region(request)
    return queries.compliance(request.user, region), region


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
    require(request.user, "meetings.view_compliance")
    region = _region(request)
    scope = queries.compliance_notes(request.user, region)
    return exports.compliance_csv(queries.compliance_rows(scope))
