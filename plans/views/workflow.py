"""Plan views: workflow — a confirmation page per transition, the authority's comments, the PDF
status and download, the comparison of two versions and the XLSX export.

Thin: fetch the plan among those the user may see (404), check the permission (403), and let
``core.actions.submit`` call the service and show the outcome."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import require
from accounts.sessions import recent_password_required
from core.actions import posted, submit
from core.errors import ServiceError

from .. import exports
from ..forms.workflow import ApproveForm, CommentForm, ConfirmForm, RequestChangesForm
from ..models import JISP, Need, Offer, PlanComment, Priority
from ..queries import workflow as q
from ..services import workflow as services
from ..services.workflow import open_offers_of
from .common import confirm_action, confirm_page, get_plan, plan_crumbs

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
        "A new version will be created in draft with this plan's priorities, needs, accepted offers, good "
        "practice, deployment plans and the authority's own support; open change requests are linked to it. "
        "This approved version will be marked as superseded; its signed-off PDF is kept.",
        "Version {version} has been created in draft",
    ),
}


def _transition(request, pk, name):
    perm, from_status, title, button, lead, success = TRANSITIONS[name]
    jisp = get_plan(request, pk, perm)
    outcome = submit(
        request,
        ConfirmForm(posted(request), button=button),
        lambda data: getattr(services, name)(actor=request.user, jisp=jisp),
        success=lambda result: success.format(version=getattr(_changed(result, jisp), "version", "")),
        then=lambda result: _changed(result, jisp),
    )
    if outcome.response:
        return outcome.response
    approval = name == "send_for_approval"
    details = outcome.details
    if outcome.error is None and approval:
        details = open_offers_of(jisp) if jisp.status == from_status else []
    return confirm_page(
        request,
        outcome.form,
        jisp=jisp,
        title=title,
        lead=lead,
        allowed=jisp.status == from_status,
        open_offers=details,
        open_comments=PlanComment.objects.filter(jisp=jisp, resolved_at__isnull=True).count() if approval else 0,
    )


def _changed(result, jisp):
    """The plan a transition leaves the user on: the new version after a revision, else the plan."""
    return result if isinstance(result, JISP) else jisp


def _transition_view(name):
    """The confirmation page of the transition ``name`` (one of ``TRANSITIONS``)."""

    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        return _transition(request, pk, name)

    view.__name__ = view.__qualname__ = name
    return view


send_to_authority = _transition_view("send_to_authority")
return_to_draft = _transition_view("return_to_draft")
send_for_approval = _transition_view("send_for_approval")
revise = _transition_view("revise")


@require_http_methods(["GET", "POST"])
def request_changes(request, pk):
    jisp = get_plan(request, pk, "plans.decide_jisp")
    return confirm_action(
        request,
        RequestChangesForm(posted(request)),
        lambda data: services.request_changes(actor=request.user, jisp=jisp, comments=data["comments"]),
        success="You have asked for changes. The Children's Services Adviser has been told.",
        jisp=jisp,
        title="Request changes to the plan",
        lead="The plan goes back to your Children's Services Adviser, who revises it with the providers "
        "and sends it to you again.",
        allowed=jisp.status == JISP.Status.AWAITING_APPROVAL,
    )


@recent_password_required  # approving signs the plan off: the password again after 15 minutes
@require_http_methods(["GET", "POST"])
def approve(request, pk):
    jisp = get_plan(request, pk, "plans.decide_jisp")
    outcome = submit(
        request,
        ApproveForm(posted(request), jisp=jisp),
        lambda data: services.approve(
            actor=request.user, jisp=jisp, version=data["version"], lock_version=data.get("lock_version")
        ),
        success=f"You have approved version {jisp.version} of the plan. The signed-off PDF is being prepared "
        "and will be copied to the partners.",
        then=jisp,
    )
    if outcome.response:
        return outcome.response
    rows = q.annex2_rows(jisp, accepted_only=True)
    totals, overall = q.provider_totals(rows)
    return confirm_page(
        request,
        outcome.form,
        template="plans/workflow/approve.html",
        jisp=jisp,
        title=f"Approve version {jisp.version} of the plan",
        crumb="Approve",
        rows=rows,
        totals=totals,
        overall=overall,
        allowed=jisp.status == JISP.Status.AWAITING_APPROVAL,
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
    jisp = get_plan(request, pk, "plans.comment_jisp")
    initial = {}
    for kind in ("priority", "need", "offer"):
        if request.GET.get(kind):
            initial["target"] = f"{kind}-{request.GET[kind]}"
    return confirm_action(
        request,
        CommentForm(posted(request), choices=_comment_choices(jisp, request.user), initial=initial),
        lambda data: services.add_plan_comment(
            actor=request.user, jisp=jisp, body=data["body"], **_target(jisp, data["target"])
        ),
        success="Your comment has been added. The Children's Services Adviser has been told.",
        jisp=jisp,
        title="Comment on the plan",
        lead="Comment on a priority, a need or an offer, or on the plan as a whole. Your Children's "
        "Services Adviser sees every open comment and resolves it when it has been dealt with.",
        allowed=jisp.status == JISP.Status.WITH_AUTHORITY,
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
    return confirm_action(
        request,
        ConfirmForm(posted(request), button="Mark as resolved"),
        lambda data: services.resolve_plan_comment(actor=request.user, comment=comment),
        success=f"The comment by {comment.author} has been marked as resolved",
        jisp=jisp,
        title="Resolve a comment",
        comment=comment,
        allowed=comment.resolved_at is None,
    )


# --- the plan's review page, PDF status and download -----------------------------------------------


@require_GET
def workflow(request, pk):
    """Review and approval of one plan: the workflow buttons, decisions, comments, PDF and copies."""
    jisp = get_plan(request, pk)
    return render(
        request,
        "plans/workflow/plan.html",
        {"jisp": jisp, "crumbs": plan_crumbs(jisp, "Review and approval")},
    )


@require_GET
def pdf_status(request, pk):
    jisp = get_plan(request, pk)
    return render(request, "plans/workflow/_pdf_status.html", {"jisp": jisp, "pdf_state": q.pdf_state(jisp)})


@require_GET
def pdf_download(request, pk):
    jisp = get_plan(request, pk)
    if not jisp.pdf:
        raise Http404("The signed-off PDF is not ready yet")
    try:
        handle = jisp.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404("The signed-off PDF file is missing") from error
    return FileResponse(
        handle, as_attachment=True, filename=f"{exports.download_name(jisp)}.pdf", content_type="application/pdf"
    )


@require_GET
def export_xlsx(request, pk):
    jisp = get_plan(request, pk, "plans.export_jisp")
    return exports.plan_xlsx(jisp, request.user)


@require_GET
def compare(request, pk, other_pk):
    """Two versions of one authority's plan for one period, side by side."""
    left = get_plan(request, pk)
    right = get_plan(request, other_pk)
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
            "crumbs": plan_crumbs(right, f"Compare versions {left.version} and {right.version}"),
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
