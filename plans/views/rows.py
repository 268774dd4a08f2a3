"""Plan views: the rows of the Annex 2 table — priorities and their needs. Plain form pages, with htmx
partials on top for adding and changing rows inline (the saved row comes back in place)."""

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, require
from core.actions import post_only, posted, reopen, submit

from ..forms.drafting import NeedForm, PriorityForm
from ..models import Need, Priority
from ..queries import annex2
from ..queries import drafting as q
from ..services import drafting as services
from .annex2_rows import rows_html
from .common import confirm_removal, drafting_action, drafting_page, get_part, get_plan, is_htmx, row_url

PRIORITIES = Priority.objects.select_related("jisp__authority__region")
NEEDS = Need.objects.select_related("priority__jisp__authority__region")


def _priority(request, pk):
    return get_part(PRIORITIES, request, pk, "jisp")


def _row_context(request, priority_id, **extra):
    priority = q.priority_row(request.user, priority_id)
    jisp = priority.jisp
    ids = list(Priority.objects.filter(jisp=jisp).order_by("order", "pk").values_list("pk", flat=True))
    may = q.page_permissions(request.user, jisp)
    first, last = ids[:1] == [priority.pk], ids[-1:] == [priority.pk]
    row = annex2.table_row(request.user, jisp, priority, may, first=first, last=last)
    return {
        "row_html": rows_html(request, jisp, [row], may),
        "jisp": jisp,
        "may": may,
        **extra,
    }


def _htmx_row(request, *, priority_id=None, with_placeholder=False):
    """For ``submit(respond=...)``: with htmx, answer a saved row with the row itself (the priority
    saved, or ``priority_id``); without, None (the usual banner and redirect)."""
    if not is_htmx(request):
        return None

    def respond(saved):
        context = _row_context(request, priority_id or saved.pk, with_placeholder=with_placeholder)
        return render(request, "plans/drafting/_priority_row_response.html", context)

    return respond


def _htmx_attrs(request, action, target, swap="outerHTML"):
    return {"hx-post": action, "hx-target": target, "hx-swap": swap} if is_htmx(request) else None


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


@require_http_methods(["GET", "POST"])
def priority_add(request, pk):
    jisp = get_plan(request, pk, "plans.change_jisp")
    action = reverse("plans:priority_add", kwargs={"pk": jisp.pk})
    attrs = _htmx_attrs(request, action, "#new-priority")
    form = PriorityForm(posted(request), button="Add priority", action=action, attrs=attrs)
    return drafting_action(
        request,
        form,
        lambda data: services.add_priority(actor=request.user, jisp=jisp, **_priority_values(form)),
        success=lambda priority: f"The priority “{priority.title}” has been added",
        then=lambda priority: row_url(jisp, f"priority-{priority.pk}"),
        respond=_htmx_row(request, with_placeholder=True),
        jisp=jisp,
        title="Add a priority",
        cancel_url=jisp.get_absolute_url(),
        allowed=jisp.is_editable,
        partial=_priority_partial("new-priority"),
    )


def _latest_priority(priority):
    return [
        ("Priority", priority.title),
        ("Description", priority.description),
        ("National Indicators", ", ".join(str(ni) for ni in priority.indicators.all())),
        ("Workforce development", "Yes" if priority.is_workforce else "No"),
    ]


@require_http_methods(["GET", "POST"])
def priority_edit(request, pk):
    priority = _priority(request, pk)
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
    return drafting_action(
        request,
        form,
        lambda data: services.edit_priority(
            actor=request.user, priority=priority, lock_version=data["lock_version"], **_priority_values(form)
        ),
        success=lambda _: f"The priority “{form.cleaned_data['title']}” has been changed",
        then=row_url(jisp, row_id),
        respond=_htmx_row(request, priority_id=priority.pk),
        on_stale=reopen(PriorityForm, request, priority, latest=_latest_priority, **kwargs),
        jisp=jisp,
        title="Change a priority",
        cancel_url=row_url(jisp, row_id),
        allowed=jisp.is_editable,
        partial=_priority_partial(row_id, priority),
    )


@require_POST
def priority_move(request, pk):
    priority = _priority(request, pk)
    jisp = priority.jisp
    require(request.user, "plans.change_jisp", jisp)
    return post_only(
        request,
        lambda: services.move_priority(actor=request.user, priority=priority, direction=request.POST.get("direction")),
        then=row_url(jisp, f"priority-{priority.pk}"),
    )


@require_http_methods(["GET", "POST"])
def priority_remove(request, pk):
    priority = _priority(request, pk)
    jisp = priority.jisp
    return confirm_removal(
        request,
        jisp=jisp,
        button="Remove the priority",
        remove=lambda: services.remove_priority(actor=request.user, priority=priority),
        done=f"The priority “{priority.title}” has been removed",
        done_url=jisp.get_absolute_url(),
        title=f"Remove the priority “{priority.title}”",
        lead="The priority and its needs will be removed from the plan. Its history is kept.",
        allowed=jisp.is_editable,
        cancel_url=row_url(jisp, f"priority-{priority.pk}"),
    )


# --- needs ----------------------------------------------------------------------------------------


def _need_page(request, outcome, priority, *, title, lead):
    """The need form page; with htmx, a form with errors goes back into the row's form slot, not over
    the whole row."""
    jisp = priority.jisp
    response = drafting_page(
        request,
        outcome.form,
        jisp=jisp,
        title=title,
        lead=lead,
        cancel_url=row_url(jisp, f"priority-{priority.pk}"),
        latest=outcome.latest,
        allowed=jisp.is_editable,
        partial=("plans/drafting/_need_form.html", {"priority": priority}),
    )
    if is_htmx(request) and request.method == "POST":
        response["HX-Retarget"] = f"#need-slot-{priority.pk}"
        response["HX-Reswap"] = "innerHTML"
    return response


def _need_values(data):
    return {"description": data["description"], "from_workforce_tool": data["from_workforce_tool"]}


@require_http_methods(["GET", "POST"])
def need_add(request, pk):
    priority = _priority(request, pk)
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
    outcome = submit(
        request,
        form,
        lambda data: services.propose_need(actor=request.user, priority=priority, **_need_values(data)),
        success="Your proposed need has been added to the plan" if by_authority else "The need has been added",
        then=row_url(jisp, f"priority-{priority.pk}"),
        respond=_htmx_row(request, priority_id=priority.pk),
    )
    adviser_sees = " Your Children's Services Adviser will see it marked as proposed by the authority."
    return outcome.response or _need_page(
        request,
        outcome,
        priority,
        title="Propose a need" if by_authority else "Add a need",
        lead=f"For the priority “{priority.title}”." + (adviser_sees if by_authority else ""),
    )


def _latest_need(need):
    return [
        ("Need", need.description),
        ("From the One Children's Workforce Tool", "Yes" if need.from_workforce_tool else "No"),
    ]


@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    need = get_part(NEEDS, request, pk, "priority__jisp")
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
    outcome = submit(
        request,
        NeedForm(posted(request), initial=initial, **kwargs),
        lambda data: services.edit_need(
            actor=request.user, need=need, lock_version=data["lock_version"], **_need_values(data)
        ),
        success="The need has been changed",
        then=row_url(jisp, f"priority-{priority.pk}"),
        respond=_htmx_row(request, priority_id=priority.pk),
        on_stale=reopen(NeedForm, request, need, latest=_latest_need, **kwargs),
    )
    return outcome.response or _need_page(
        request, outcome, priority, title="Change a need", lead=f"For the priority “{priority.title}”."
    )


@require_http_methods(["GET", "POST"])
def need_remove(request, pk):
    need = get_part(NEEDS, request, pk, "priority__jisp")
    jisp = need.priority.jisp
    return confirm_removal(
        request,
        jisp=jisp,
        button="Remove the need",
        remove=lambda: services.remove_need(actor=request.user, need=need),
        done="The need has been removed",
        done_url=row_url(jisp, f"priority-{need.priority_id}"),
        title="Remove a need",
        lead=f"“{need.description[:200]}” will be removed from the priority “{need.priority.title}”. "
        "Offers that answered it stay on the priority.",
        allowed=jisp.is_editable,
        cancel_url=row_url(jisp, f"priority-{need.priority_id}"),
    )


urlpatterns = [
    path("<int:pk>/priorities/add/", priority_add, name="priority_add"),
    path("priorities/<int:pk>/edit/", priority_edit, name="priority_edit"),
    path("priorities/<int:pk>/move/", priority_move, name="priority_move"),
    path("priorities/<int:pk>/remove/", priority_remove, name="priority_remove"),
    path("priorities/<int:pk>/needs/add/", need_add, name="need_add"),
    path("needs/<int:pk>/edit/", need_edit, name="need_edit"),
    path("needs/<int:pk>/remove/", need_remove, name="need_remove"),
]
