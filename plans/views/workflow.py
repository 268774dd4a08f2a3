"""Plan views: workflow — a confirmation page per transition, the authority's comments, the PDF
status and download, the comparison of two versions and the XLSX export.

Thin: fetch the plan among those the user may see (404), check the permission (403), call a service,
show its ServiceError in the error summary, redirect to the plan with a banner."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_visible_or_404, require
from accounts.sessions import recent_password_required
from core.errors import ServiceError, posted, show_on_form

from ..forms.workflow import ApproveForm, CommentForm, ConfirmForm, RequestChangesForm
from ..models import JISP, Need, Offer, PlanComment, Priority
from ..queries import workflow as q
from ..services import workflow as services
from ..services.workflow import open_offers_of
from .common import plan_crumbs

PLAN_QS = JISP.objects.select_related("authority", "authority__region", "authority__dcs", "authority__csa", "csa")


def _plan(request, pk):
    return get_visible_or_404(PLAN_QS, request.user, pk=pk)


def _crumbs(jisp, label):
    return plan_crumbs(jisp, label)


#: name → (permission, the state it starts from, page title, button, lead text, success banner)
TRANSITIONS = {
    "send_to_authority": (
        "plans.send_jisp",
        JISP.Status.DRAFT,
        "Send the plan to the authority for review",
        "Send to the authority",
        "The Director of Children's Services and the authority's officers will be emailed. While the plan "
        "is with them they can comment on any priority, need or offer, and you can keep revising it.",
        "The plan has been sent to the authority for review",
    ),
    "return_to_draft": (
        "plans.send_jisp",
        JISP.Status.WITH_AUTHORITY,
        "Return the plan to draft",
        "Return to draft",
        "The authority will no longer be able to comment until you send the plan to them again.",
        "The plan is back in draft",
    ),
    "send_for_approval": (
        "plans.send_jisp",
        JISP.Status.WITH_AUTHORITY,
        "Send the plan for approval",
        "Send for approval",
        "The Director of Children's Services will be emailed and asked to approve the plan or request "
        "changes. Every offer must be accepted or withdrawn first: only accepted offers appear in the "
        "approved plan.",
        "The plan has been sent to the Director of Children's Services for approval",
    ),
    "revise": (
        "plans.send_jisp",
        JISP.Status.APPROVED,
        "Start an in-year revision",
        "Create the new version",
        "A new version will be created in draft with this plan's priorities, needs, accepted offers and "
        "good practice. This approved version will be marked as superseded; its signed-off PDF is kept.",
        "Version {version} has been created in draft",
    ),
}


def _transition(request, pk, name):
    perm, from_status, title, button, lead, success = TRANSITIONS[name]
    jisp = _plan(request, pk)
    require(request.user, perm, jisp)
    form = ConfirmForm(posted(request), button=button)
    details = []
    if request.method == "POST" and form.is_valid():
        service = getattr(services, name)
        try:
            result = service(actor=request.user, jisp=jisp)
        except ServiceError as error:
            show_on_form(form, error)
            details = error.details
        else:
            target = result if isinstance(result, JISP) else jisp
            messages.success(request, success.format(version=getattr(target, "version", "")))
            return redirect(target.get_absolute_url())
    elif name == "send_for_approval":
        details = open_offers_of(jisp) if jisp.status == from_status else []
    open_comments = (
        PlanComment.objects.filter(jisp=jisp, resolved_at__isnull=True).count() if name == "send_for_approval" else 0
    )
    return render(
        request,
        "plans/workflow/confirm.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "lead": lead,
            "allowed": jisp.status == from_status,
            "open_offers": details,
            "open_comments": open_comments,
            "crumbs": _crumbs(jisp, title),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def send_to_authority(request, pk):
    return _transition(request, pk, "send_to_authority")


@require_http_methods(["GET", "POST"])
def return_to_draft(request, pk):
    return _transition(request, pk, "return_to_draft")


@require_http_methods(["GET", "POST"])
def send_for_approval(request, pk):
    return _transition(request, pk, "send_for_approval")


@require_http_methods(["GET", "POST"])
def revise(request, pk):
    return _transition(request, pk, "revise")


@require_http_methods(["GET", "POST"])
def request_changes(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.decide_jisp", jisp)
    form = RequestChangesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_changes(actor=request.user, jisp=jisp, comments=form.cleaned_data["comments"])
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "You have asked for changes. The Children's Services Adviser has been told.")
            return redirect(jisp.get_absolute_url())
    title = "Request changes to the plan"
    return render(
        request,
        "plans/workflow/confirm.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "lead": "The plan goes back to your Children's Services Adviser, who revises it with the providers "
            "and sends it to you again.",
            "allowed": jisp.status == JISP.Status.AWAITING_APPROVAL,
            "crumbs": _crumbs(jisp, title),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


@recent_password_required  # approving signs the plan off: the password again after 15 minutes
@require_http_methods(["GET", "POST"])
def approve(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.decide_jisp", jisp)
    form = ApproveForm(posted(request), jisp=jisp)
    if request.method == "POST" and form.is_valid():
        try:
            services.approve(
                actor=request.user,
                jisp=jisp,
                version=form.cleaned_data["version"],
                lock_version=form.cleaned_data.get("lock_version"),
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                f"You have approved version {jisp.version} of the plan. The signed-off PDF is being prepared "
                "and will be copied to the partners.",
            )
            return redirect(jisp.get_absolute_url())
    rows = q.annex2_rows(jisp, accepted_only=True)
    totals, overall = q.provider_totals(rows)
    title = f"Approve version {jisp.version} of the plan"
    return render(
        request,
        "plans/workflow/approve.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "rows": rows,
            "totals": totals,
            "overall": overall,
            "allowed": jisp.status == JISP.Status.AWAITING_APPROVAL,
            "crumbs": _crumbs(jisp, "Approve"),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


# --- the authority's comments ---------------------------------------------------------------------


def _comment_choices(jisp, user):
    choices = []
    offers_seen = Offer.objects.visible_to(user).exclude(status__in=[Offer.Status.INVITED, Offer.Status.WITHDRAWN])
    for row in q.annex2_rows(jisp, offers=offers_seen):
        p = row.priority
        choices.append((f"priority-{p.pk}", f"Priority: {p.title}"))
        for n in row.needs:
            choices.append((f"need-{n.pk}", f"Need under “{p.title}”: {n.description[:90]}"))
        for o in row.offers:
            choices.append((f"offer-{o.pk}", f"Offer from {o.provider.name} on “{p.title}”"))
    return choices


def _target(jisp, value):
    kind, _, pk = (value or "").partition("-")
    models = {"priority": (Priority, "jisp"), "need": (Need, "priority__jisp"), "offer": (Offer, "priority__jisp")}
    if kind not in models:
        return {}
    model, path_to_plan = models[kind]
    obj = model.objects.filter(pk=pk, **{path_to_plan: jisp}).first()
    if obj is None:
        raise ServiceError("Select a row of this plan", field="target")
    return {kind: obj}


@require_http_methods(["GET", "POST"])
def comment_add(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.comment_jisp", jisp)
    choices = _comment_choices(jisp, request.user)
    initial = {}
    for kind in ("priority", "need", "offer"):
        if request.GET.get(kind):
            initial["target"] = f"{kind}-{request.GET[kind]}"
    form = CommentForm(posted(request), choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target = _target(jisp, form.cleaned_data["target"])
            services.add_plan_comment(actor=request.user, jisp=jisp, body=form.cleaned_data["body"], **target)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Your comment has been added. The Children's Services Adviser has been told.")
            return redirect(jisp.get_absolute_url())
    title = "Comment on the plan"
    return render(
        request,
        "plans/workflow/confirm.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "lead": "Comment on a priority, a need or an offer, or on the plan as a whole. Your Children's "
            "Services Adviser sees every open comment and resolves it when it has been dealt with.",
            "allowed": jisp.status == JISP.Status.WITH_AUTHORITY,
            "crumbs": _crumbs(jisp, title),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def comment_resolve(request, pk):
    comment = get_object_or_404(
        PlanComment.objects.visible_to(request.user).select_related(
            "jisp__authority__region", "author", "priority", "need", "offer__provider", "offer__priority"
        ),
        pk=pk,
    )
    jisp = comment.jisp
    if not q.sees_review(request.user, jisp):
        raise Http404
    require(request.user, "plans.send_jisp", jisp)
    form = ConfirmForm(posted(request), button="Mark as resolved")
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_plan_comment(actor=request.user, comment=comment)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"The comment by {comment.author} has been marked as resolved")
            return redirect(jisp.get_absolute_url())
    title = "Resolve a comment"
    return render(
        request,
        "plans/workflow/confirm.html",
        {
            "jisp": jisp,
            "form": form,
            "title": title,
            "comment": comment,
            "allowed": comment.resolved_at is None,
            "crumbs": _crumbs(jisp, title),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


# --- the plan's review page, PDF status and download -----------------------------------------------


@require_GET
def workflow(request, pk):
    """Review and approval of one plan: the workflow buttons, decisions, comments, PDF and copies."""
    jisp = _plan(request, pk)
    return render(
        request,
        "plans/workflow/plan.html",
        {"jisp": jisp, "crumbs": _crumbs(jisp, "Review and approval")},
    )


@require_GET
def pdf_status(request, pk):
    jisp = _plan(request, pk)
    return render(request, "plans/workflow/_pdf_status.html", {"jisp": jisp, "pdf_state": q.pdf_state(jisp)})


def _download_name(jisp):
    return f"{slugify(jisp.authority.name)}-jisp-{jisp.period}-version-{jisp.version}"


@require_GET
def pdf_download(request, pk):
    jisp = _plan(request, pk)
    if not jisp.pdf:
        raise Http404("The signed-off PDF is not ready yet")
    try:
        handle = jisp.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404("The signed-off PDF file is missing") from error
    return FileResponse(
        handle, as_attachment=True, filename=f"{_download_name(jisp)}.pdf", content_type="application/pdf"
    )


@require_GET
def export_xlsx(request, pk):
    jisp = _plan(request, pk)
    require(request.user, "plans.export_jisp", jisp)
    response = HttpResponse(
        q.build_xlsx(jisp, request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(jisp)}.xlsx"'
    return response


@require_GET
def compare(request, pk, other_pk):
    """Two versions of one authority's plan for one period, side by side."""
    left = _plan(request, pk)
    right = _plan(request, other_pk)
    if (left.authority_id, left.period) != (right.authority_id, right.period) or left.pk == right.pk:
        raise Http404("Only two versions of the same plan can be compared")
    if left.version > right.version:
        left, right = right, left
    rows, summary = q.compare_plans(left, right, request.user)
    return render(
        request,
        "plans/workflow/compare.html",
        {
            "left": left,
            "right": right,
            "rows": rows,
            "summary": summary,
            "crumbs": _crumbs(right, f"Compare versions {left.version} and {right.version}"),
        },
    )


urlpatterns = [
    path("<int:pk>/review/", workflow, name="workflow"),
    path("<int:pk>/send-to-authority/", send_to_authority, name="send_to_authority"),
    path("<int:pk>/return-to-draft/", return_to_draft, name="return_to_draft"),
    path("<int:pk>/send-for-approval/", send_for_approval, name="send_for_approval"),
    path("<int:pk>/request-changes/", request_changes, name="request_changes"),
    path("<int:pk>/approve/", approve, name="approve"),
    path("<int:pk>/revise/", revise, name="revise"),
    path("<int:pk>/comments/add/", comment_add, name="comment_add"),
    path("comments/<int:pk>/resolve/", comment_resolve, name="comment_resolve"),
    path("<int:pk>/pdf/status/", pdf_status, name="pdf_status"),
    path("<int:pk>/pdf/", pdf_download, name="pdf_download"),
    path("<int:pk>/export.xlsx", export_xlsx, name="export_xlsx"),
    path("<int:pk>/compare/<int:other_pk>/", compare, name="compare"),
]
