"""Plan views: drafting — the plans list, starting a plan, the Annex 2 page with its editing (plain
form pages, with htmx partials on top for inline add/edit of rows), the plan's history, good
practice and deployment plans.

Thin: fetch among what the user may see (404), check the permission (403), call a service, show its
ServiceError in the error summary; a stale save re-renders the form with the user's text."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import can, get_visible_or_404, require
from authorities.models import LocalAuthority
from core.actions import post_only, posted, rebind, submit
from core.errors import ServiceError, StaleEditError, show_on_form

from ..filters import PlanFilter
from ..forms.drafting import CreatePlanForm, DeploymentPlanForm, GoodPracticeForm, NeedForm, PriorityForm
from ..forms.workflow import ConfirmForm
from ..models import JISP, DeploymentPlan, GoodPractice, Need, Priority
from ..queries import drafting as q
from ..services import drafting as services
from .common import plan_crumbs

PAGE_SIZE = 25
PLAN_QS = q.plan_base()


# --- helpers --------------------------------------------------------------------------------------


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _plan(request, pk):
    return get_visible_or_404(PLAN_QS, request.user, pk=pk)


def _visible(model, request, pk, plan_path):
    related = {Priority: "jisp__authority__region", Need: "priority__jisp__authority__region"}
    qs = model.objects.select_related(related.get(model, "jisp__authority__region"))
    visible = JISP.objects.visible_to(request.user).values("pk")
    return get_object_or_404(qs, pk=pk, **{f"{plan_path}__in": visible})


def _crumbs(jisp, label):
    return plan_crumbs(jisp, label)


def _row_url(jisp, anchor):
    return f"{jisp.get_absolute_url()}#{anchor}"


def _stale(form_class, request, error, *, current_field, current_value, **kwargs):
    """The form again with the user's text, the error, and the current version number so that a
    second save (after checking the latest version) goes through."""
    data = request.POST.copy()
    data[current_field] = current_value
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, error.message)
    return form


def _form_page(request, form, *, jisp, title, cancel_url, latest=None, lead=None, allowed=True, partial=None):
    """A form page (``plans/drafting/form.html``), or with htmx the ``partial`` template (a row)."""
    context = {
        "form": form,
        "jisp": jisp,
        "title": title,
        "caption": str(jisp),
        "lead": lead,
        "latest": latest,
        "allowed": allowed,
        "crumbs": _crumbs(jisp, title),
        "cancel_url": cancel_url,
    }
    if partial and _is_htmx(request):
        context.update(partial[1])
        return render(request, partial[0], context)
    return render(request, "plans/drafting/form.html", context)


def _confirm_removal(request, *, jisp, button, remove, done, done_url, title, lead, allowed, cancel_url):
    """A removal's confirmation page: on a confirmed POST call ``remove()`` (a service), then show
    ``done`` on the page at ``done_url``; a refusal is shown on the form."""
    require(request.user, "plans.change_jisp", jisp)
    form = ConfirmForm(posted(request), button=button, warning=True)
    outcome = submit(request, form, lambda data: remove(), success=done, then=done_url)
    return outcome.response or _confirm_page(
        request, outcome.form, jisp=jisp, title=title, lead=lead, allowed=allowed, cancel_url=cancel_url
    )


def _confirm_page(request, form, *, jisp, title, lead, allowed, cancel_url):
    return render(
        request,
        "plans/workflow/confirm.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "lead": lead,
            "allowed": allowed,
            "crumbs": _crumbs(jisp, title),
            "cancel_url": cancel_url,
        },
    )


def _row_context(request, priority_id, **extra):
    priority = q.priority_row(request.user, priority_id)
    jisp = priority.jisp
    ids = list(Priority.objects.filter(jisp=jisp).order_by("order", "pk").values_list("pk", flat=True))
    return {
        "priority": priority,
        "jisp": jisp,
        "may": q.page_permissions(request.user, jisp),
        "first": ids[:1] == [priority.pk],
        "last": ids[-1:] == [priority.pk],
        **extra,
    }


def _row_response(request, priority_id, *, with_placeholder=False):
    context = _row_context(request, priority_id, with_placeholder=with_placeholder)
    return render(request, "plans/drafting/_priority_row_response.html", context)


def _htmx_row(request, *, priority_id=None, with_placeholder=False):
    """For ``submit(respond=...)``: with htmx, answer a saved row with the row itself (the priority
    saved, or ``priority_id``); without, None (the usual banner and redirect)."""
    if not _is_htmx(request):
        return None
    return lambda saved: _row_response(request, priority_id or saved.pk, with_placeholder=with_placeholder)


# --- the plans list and starting a plan -----------------------------------------------------------


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
    initial = {}
    chosen = authorities.filter(gss_code=request.GET.get("authority", "")).first()
    if chosen:
        initial["authority"] = chosen
    form = CreatePlanForm(posted(request), authorities=authorities, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            jisp = services.create_jisp(
                actor=request.user, authority=form.cleaned_data["authority"], period=form.cleaned_data["period"]
            )
        except ServiceError as error:
            show_on_form(form, error)
            existing = error.details[0] if error.details else None
        else:
            messages.success(request, f"The {jisp.authority} plan for {jisp.period} has been started in draft")
            return redirect(jisp)
    return render(
        request,
        "plans/drafting/create.html",
        {
            "form": form,
            "title": "Start a plan",
            "lead": "Start the Joint Improvement Support Plan of an authority you lead for a financial year. "
            "You then add its priorities and needs and invite offers of support.",
            "existing": existing,
            "crumbs": [("Plans", reverse("plans:list")), ("Start a plan", None)],
            "cancel_url": reverse("plans:list"),
        },
    )


# --- the Annex 2 page and the history -------------------------------------------------------------


TABLE_CACHE_SECONDS = 24 * 60 * 60


def _annex2_table(request, jisp, may):
    """The Improvement Support table with the resources by provider. An approved plan's table never
    changes and carries no actions, so it is rendered once and served from the cache after."""
    key = q.published_table_key(jisp)
    html = cache.get(key) if key else None
    if html is None:
        priorities = q.prefetch_rows(request.user, jisp)
        html = render_to_string(
            "plans/drafting/_annex2_table.html",
            {"jisp": jisp, "priorities": priorities, "totals": q.totals(priorities), "may": may},
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
        },
    )


@require_GET
def plan_history(request, pk):
    jisp = _plan(request, pk)
    if not q.page_permissions(request.user, jisp)["can_see_history"]:
        raise PermissionDenied("The history of a plan is for the Government Office and the authority.")
    entries = q.plan_history(jisp, request.user)
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/drafting/history.html",
        {"jisp": jisp, "page_obj": page_obj, "entries": page_obj.object_list, "crumbs": _crumbs(jisp, "History")},
    )


# --- priorities -----------------------------------------------------------------------------------


def _priority_values(form):
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "is_workforce": data["is_workforce"],
        "indicators": form.indicator_objects,
    }


def _priority_partial(row_id, priority=None):
    return ("plans/drafting/_priority_form_row.html", {"row_id": row_id, "priority": priority})


def _htmx_attrs(request, action, target, swap="outerHTML"):
    return {"hx-post": action, "hx-target": target, "hx-swap": swap} if _is_htmx(request) else None


@require_http_methods(["GET", "POST"])
def priority_add(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.change_jisp", jisp)
    action = reverse("plans:priority_add", kwargs={"pk": jisp.pk})
    attrs = _htmx_attrs(request, action, "#new-priority")
    form = PriorityForm(posted(request), button="Add priority", action=action, attrs=attrs)
    outcome = submit(
        request,
        form,
        lambda data: services.add_priority(actor=request.user, jisp=jisp, **_priority_values(form)),
        success=lambda priority: f"The priority “{priority.title}” has been added",
        then=lambda priority: _row_url(jisp, f"priority-{priority.pk}"),
        respond=_htmx_row(request, with_placeholder=True),
    )
    return outcome.response or _form_page(
        request,
        outcome.form,
        jisp=jisp,
        title="Add a priority",
        cancel_url=jisp.get_absolute_url(),
        allowed=jisp.is_editable,
        partial=_priority_partial("new-priority"),
    )


def _latest_priority(priority):
    priority.refresh_from_db()
    return [
        ("Priority", priority.title),
        ("Description", priority.description),
        ("National Indicators", ", ".join(str(ni) for ni in priority.indicators.all())),
        ("Workforce development", "Yes" if priority.is_workforce else "No"),
    ]


@require_http_methods(["GET", "POST"])
def priority_edit(request, pk):
    priority = _visible(Priority, request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.change_jisp", jisp)
    action = reverse("plans:priority_edit", kwargs={"pk": priority.pk})
    row_id = f"priority-{priority.pk}"
    kwargs = {"action": action, "attrs": _htmx_attrs(request, action, f"#{row_id}")}
    initial = {
        "title": priority.title,
        "description": priority.description,
        "is_workforce": priority.is_workforce,
        "indicators": list(priority.indicators.all()),
        "lock_version": priority.lock_version,
    }
    form = PriorityForm(posted(request), initial=initial, **kwargs)

    def stale(error):
        latest = _latest_priority(priority)
        return rebind(
            PriorityForm, request, error, version_field="lock_version", version=priority.lock_version, **kwargs
        ), latest

    outcome = submit(
        request,
        form,
        lambda data: services.edit_priority(
            actor=request.user, priority=priority, lock_version=data["lock_version"], **_priority_values(form)
        ),
        success=lambda _: f"The priority “{form.cleaned_data['title']}” has been changed",
        then=_row_url(jisp, row_id),
        respond=_htmx_row(request, priority_id=priority.pk),
        on_stale=stale,
    )
    return outcome.response or _form_page(
        request,
        outcome.form,
        jisp=jisp,
        title="Change a priority",
        cancel_url=_row_url(jisp, row_id),
        latest=outcome.latest,
        allowed=jisp.is_editable,
        partial=_priority_partial(row_id, priority),
    )


@require_POST
def priority_move(request, pk):
    priority = _visible(Priority, request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.change_jisp", jisp)
    return post_only(
        request,
        lambda: services.move_priority(actor=request.user, priority=priority, direction=request.POST.get("direction")),
        then=_row_url(jisp, f"priority-{priority.pk}"),
    )


@require_http_methods(["GET", "POST"])
def priority_remove(request, pk):
    priority = _visible(Priority, request, pk, "jisp")
    jisp = priority.jisp
    return _confirm_removal(
        request,
        jisp=jisp,
        button="Remove the priority",
        remove=lambda: services.remove_priority(actor=request.user, priority=priority),
        done=f"The priority “{priority.title}” has been removed",
        done_url=jisp.get_absolute_url(),
        title=f"Remove the priority “{priority.title}”",
        lead="The priority and its needs will be removed from the plan. Its history is kept.",
        allowed=jisp.is_editable,
        cancel_url=_row_url(jisp, f"priority-{priority.pk}"),
    )


# --- needs ----------------------------------------------------------------------------------------


def _need_partial(priority):
    return ("plans/drafting/_need_form.html", {"priority": priority})


def _need_error_target(response, request, priority):
    """htmx: a form with errors goes back into the row's form slot, not over the whole row."""
    if _is_htmx(request) and request.method == "POST":
        response["HX-Retarget"] = f"#need-slot-{priority.pk}"
        response["HX-Reswap"] = "innerHTML"
    return response


@require_http_methods(["GET", "POST"])
def need_add(request, pk):
    priority = _visible(Priority, request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.propose_need", jisp)
    by_authority = not can(request.user, "plans.change_jisp", jisp)
    action = reverse("plans:need_add", kwargs={"pk": priority.pk})
    form = NeedForm(
        posted(request),
        button="Propose need" if by_authority else "Add need",
        action=action,
        attrs=_htmx_attrs(request, action, f"#priority-{priority.pk}"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_need(
                actor=request.user,
                priority=priority,
                description=form.cleaned_data["description"],
                from_workforce_tool=form.cleaned_data["from_workforce_tool"],
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            if _is_htmx(request):
                return _row_response(request, priority.pk)
            messages.success(
                request,
                "Your proposed need has been added to the plan" if by_authority else "The need has been added",
            )
            return redirect(_row_url(jisp, f"priority-{priority.pk}"))
    title = "Propose a need" if by_authority else "Add a need"
    response = _form_page(
        request,
        form,
        jisp=jisp,
        title=title,
        lead=f"For the priority “{priority.title}”."
        + (
            " Your Children's Services Adviser will see it marked as proposed by the authority." if by_authority else ""
        ),
        cancel_url=_row_url(jisp, f"priority-{priority.pk}"),
        allowed=jisp.is_editable,
        partial=_need_partial(priority),
    )
    return _need_error_target(response, request, priority)


@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    need = _visible(Need, request, pk, "priority__jisp")
    priority = need.priority
    jisp = priority.jisp
    require(request.user, "plans.change_jisp", jisp)
    action = reverse("plans:need_edit", kwargs={"pk": need.pk})
    kwargs = {"action": action, "attrs": _htmx_attrs(request, action, f"#priority-{priority.pk}")}
    initial = {
        "description": need.description,
        "from_workforce_tool": need.from_workforce_tool,
        "lock_version": need.lock_version,
    }
    form = NeedForm(posted(request), initial=initial, **kwargs)
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_need(
                actor=request.user,
                need=need,
                lock_version=form.cleaned_data["lock_version"],
                description=form.cleaned_data["description"],
                from_workforce_tool=form.cleaned_data["from_workforce_tool"],
            )
        except StaleEditError as error:
            need.refresh_from_db()
            form = _stale(
                NeedForm, request, error, current_field="lock_version", current_value=need.lock_version, **kwargs
            )
            latest = [
                ("Need", need.description),
                ("From the One Children's Workforce Tool", "Yes" if need.from_workforce_tool else "No"),
            ]
        except ServiceError as error:
            show_on_form(form, error)
        else:
            if _is_htmx(request):
                return _row_response(request, priority.pk)
            messages.success(request, "The need has been changed")
            return redirect(_row_url(jisp, f"priority-{priority.pk}"))
    response = _form_page(
        request,
        form,
        jisp=jisp,
        title="Change a need",
        lead=f"For the priority “{priority.title}”.",
        cancel_url=_row_url(jisp, f"priority-{priority.pk}"),
        latest=latest,
        allowed=jisp.is_editable,
        partial=_need_partial(priority),
    )
    return _need_error_target(response, request, priority)


@require_http_methods(["GET", "POST"])
def need_remove(request, pk):
    need = _visible(Need, request, pk, "priority__jisp")
    jisp = need.priority.jisp
    return _confirm_removal(
        request,
        jisp=jisp,
        button="Remove the need",
        remove=lambda: services.remove_need(actor=request.user, need=need),
        done="The need has been removed",
        done_url=_row_url(jisp, f"priority-{need.priority_id}"),
        title="Remove a need",
        lead=f"“{need.description[:200]}” will be removed from the priority “{need.priority.title}”. "
        "Offers that answered it stay on the priority.",
        allowed=jisp.is_editable,
        cancel_url=_row_url(jisp, f"priority-{need.priority_id}"),
    )


# --- good practice --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def good_practice_add(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.change_jisp", jisp)
    form = GoodPracticeForm(posted(request), button="Add good practice")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_good_practice(
                actor=request.user,
                jisp=jisp,
                area=form.cleaned_data["area"],
                description=form.cleaned_data["description"],
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "The area of good practice has been added")
            return redirect(_row_url(jisp, "good-practice"))
    return _form_page(
        request,
        form,
        jisp=jisp,
        title="Add an area of good practice",
        lead="Areas the authority does well, for learning across authorities.",
        cancel_url=_row_url(jisp, "good-practice"),
        allowed=jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def good_practice_edit(request, pk):
    good = _visible(GoodPractice, request, pk, "jisp")
    jisp = good.jisp
    require(request.user, "plans.change_jisp", jisp)
    initial = {
        "area": good.area,
        "description": good.description,
        "fingerprint": services.good_practice_fingerprint(good),
    }
    form = GoodPracticeForm(posted(request), initial=initial)
    latest = None
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_good_practice(
                actor=request.user,
                good_practice=good,
                fingerprint=form.cleaned_data["fingerprint"],
                area=form.cleaned_data["area"],
                description=form.cleaned_data["description"],
            )
        except StaleEditError as error:
            good.refresh_from_db()
            form = _stale(
                GoodPracticeForm,
                request,
                error,
                current_field="fingerprint",
                current_value=services.good_practice_fingerprint(good),
            )
            latest = [("Area of good practice", good.area), ("Description", good.description)]
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "The area of good practice has been changed")
            return redirect(_row_url(jisp, "good-practice"))
    return _form_page(
        request,
        form,
        jisp=jisp,
        title="Change an area of good practice",
        cancel_url=_row_url(jisp, "good-practice"),
        latest=latest,
        allowed=jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def good_practice_remove(request, pk):
    good = _visible(GoodPractice, request, pk, "jisp")
    jisp = good.jisp
    return _confirm_removal(
        request,
        jisp=jisp,
        button="Remove",
        remove=lambda: services.remove_good_practice(actor=request.user, good_practice=good),
        done=f"“{good.area}” has been removed from good practice",
        done_url=_row_url(jisp, "good-practice"),
        title=f"Remove “{good.area}” from good practice",
        lead="The area of good practice will be removed from the plan.",
        allowed=jisp.is_editable,
        cancel_url=_row_url(jisp, "good-practice"),
    )


# --- deployment plans -----------------------------------------------------------------------------


def _accepts_uploads(jisp):
    return jisp.is_editable or jisp.status == JISP.Status.APPROVED


@require_http_methods(["GET", "POST"])
def deployment_plan_upload(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.change_jisp", jisp)
    form = DeploymentPlanForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.upload_deployment_plan(
                actor=request.user, jisp=jisp, provider=form.cleaned_data["provider"], upload=form.cleaned_data["file"]
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"The deployment plan “{plan.original_name}” has been uploaded")
            return redirect(_row_url(jisp, "deployment-plans"))
    return _form_page(
        request,
        form,
        jisp=jisp,
        title="Upload a deployment plan",
        lead="Part 2 of the plan: a provider's deployment plan (for example the National Strategies "
        "Deployment Plan), held with the plan so that you and the Director of Children's Services can "
        "monitor delivery.",
        cancel_url=_row_url(jisp, "deployment-plans"),
        allowed=_accepts_uploads(jisp),
    )


def _deployment_plan(request, pk):
    return get_object_or_404(
        DeploymentPlan.objects.select_related("jisp__authority__region", "provider"),
        pk=pk,
        jisp__in=JISP.objects.visible_to(request.user).values("pk"),
    )


@require_GET
def deployment_plan_download(request, pk):
    plan = _deployment_plan(request, pk)
    try:
        handle = plan.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The deployment plan file is missing") from error
    return FileResponse(handle, as_attachment=True, filename=plan.original_name, content_type=plan.content_type)


@require_http_methods(["GET", "POST"])
def deployment_plan_remove(request, pk):
    plan = _deployment_plan(request, pk)
    jisp = plan.jisp
    return _confirm_removal(
        request,
        jisp=jisp,
        button="Remove the deployment plan",
        remove=lambda: services.remove_deployment_plan(actor=request.user, deployment_plan=plan),
        done=f"The deployment plan “{plan.original_name}” has been removed",
        done_url=_row_url(jisp, "deployment-plans"),
        title=f"Remove the deployment plan “{plan.original_name}”",
        lead=f"The {plan.provider} deployment plan will no longer be held with the plan.",
        allowed=_accepts_uploads(jisp),
        cancel_url=_row_url(jisp, "deployment-plans"),
    )


urlpatterns = [
    path("", plan_list, name="list"),
    path("new/", plan_create, name="create"),
    path("<int:pk>/", plan_detail, name="detail"),
    path("<int:pk>/history/", plan_history, name="history"),
    path("<int:pk>/priorities/add/", priority_add, name="priority_add"),
    path("priorities/<int:pk>/edit/", priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/move/", priority_move, name="priority_move"),
    path("priorities/<int:pk>/remove/", priority_remove, name="priority_remove"),
    path("priorities/<int:pk>/needs/add/", need_add, name="need_add"),
    path("needs/<int:pk>/edit/", need_edit, name="need_edit"),
    path("needs/<int:pk>/remove/", need_remove, name="need_remove"),
    path("<int:pk>/good-practice/add/", good_practice_add, name="good_practice_add"),
    path("good-practice/<int:pk>/edit/", good_practice_edit, name="good_practice_edit"),
    path("good-practice/<int:pk>/remove/", good_practice_remove, name="good_practice_remove"),
    path("<int:pk>/deployment-plans/upload/", deployment_plan_upload, name="deployment_plan_upload"),
    path("deployment-plans/<int:pk>/", deployment_plan_download, name="deployment_plan_download"),
    path("deployment-plans/<int:pk>/remove/", deployment_plan_remove, name="deployment_plan_remove"),
]
