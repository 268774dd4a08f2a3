"""Plan views: the plans list, starting a plan, the Annex 2 page and the plan's history."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from authorities.models import LocalAuthority
from core.actions import form_page, posted, submit

from ..filters import PlanFilter
from ..forms.drafting import CreatePlanForm
from ..queries import annex2
from ..queries import changes as changes_q
from ..queries import drafting as q
from ..services import drafting as services
from .annex2_rows import rows_html
from .common import get_plan, plan_crumbs

PAGE_SIZE = 25
TABLE_CACHE_SECONDS = 24 * 60 * 60


@require_GET
def plan_list(request):
    filterset = PlanFilter(request.GET or None, queryset=q.plan_list(request.user), request=request)
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    leads = LocalAuthority.objects.filter(csa=request.user) if request.user.role == Role.CSA else None
    return render(
        request,
        "plans/drafting/list.html",
        {
            "filter_form": filterset.form,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "query_string": params.urlencode(),
            "filtered": bool(params),
            "can_create": bool(leads is not None and leads.exists()),
            "crumbs": [("Plans", None)],
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request):
    authorities = LocalAuthority.objects.filter(csa=request.user).order_by("name")
    if request.user.role != Role.CSA or not authorities.exists():
        raise PermissionDenied("Only a Children's Services Adviser can start a plan for an authority they lead.")
    chosen = authorities.filter(gss_code=request.GET.get("authority", "")).first()
    form = CreatePlanForm(posted(request), authorities=authorities, initial={"authority": chosen} if chosen else {})
    outcome = submit(
        request,
        form,
        lambda data: services.create_jisp(actor=request.user, authority=data["authority"], period=data["period"]),
        success=lambda jisp: f"The {jisp.authority} plan for {jisp.period} has been started in draft",
        then=lambda jisp: jisp,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        template="plans/drafting/create.html",
        title="Start a plan",
        lead="Start the Joint Improvement Support Plan of an authority you lead for a financial year. "
        "You then add its priorities and needs and invite offers of support.",
        existing=outcome.details[0] if outcome.details else None,
        crumbs=[("Plans", reverse("plans:list")), ("Start a plan", None)],
        cancel_url=reverse("plans:list"),
    )


def _annex2_table(request, jisp, may):
    """The Improvement Support table with the resources by provider. An approved plan's table never
    changes and carries no actions, so it is rendered once and served from the cache after."""
    key = q.published_table_key(jisp)
    html = cache.get(key) if key else None
    if html is None:
        priorities = q.prefetch_rows(request.user, jisp)
        rows = annex2.table_rows(request.user, jisp, priorities, may)
        html = render_to_string(
            "plans/drafting/_annex2_table.html",
            {
                "jisp": jisp,
                "rows": rows,
                "rows_html": rows_html(request, jisp, rows, may),
                "totals": q.totals(priorities),
                "may": may,
            },
            request=request,
        )
        if key:
            cache.set(key, str(html), TABLE_CACHE_SECONDS)
    return mark_safe(html)  # rendered by our own template, escaped there


@require_GET
def plan_detail(request, pk):
    jisp = q.annex2_plan(request.user, pk, rows=False)
    if jisp is None:
        raise Http404("No plan found")
    may = q.page_permissions(request.user, jisp)
    return render(
        request,
        "plans/drafting/detail.html",
        {
            "jisp": jisp,
            "annex2_table": _annex2_table(request, jisp, may),
            "may": may,
            "published": jisp.status in q.PUBLISHED,
            "crumbs": plan_crumbs(jisp),
            **changes_q.plan_context(jisp, request.user),
        },
    )


@require_GET
def plan_history(request, pk):
    jisp = get_plan(request, pk)
    if not q.page_permissions(request.user, jisp)["can_see_history"]:
        raise PermissionDenied("The history of a plan is for the Government Office and the authority.")
    entries = q.plan_history(jisp, request.user)
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/drafting/history.html",
        {"jisp": jisp, "page_obj": page_obj, "entries": page_obj.object_list, "crumbs": plan_crumbs(jisp, "History")},
    )


urlpatterns = [
    path("", plan_list, name="list"),
    path("new/", plan_create, name="create"),
    path("<int:pk>/", plan_detail, name="detail"),
    path("<int:pk>/history/", plan_history, name="history"),
]
