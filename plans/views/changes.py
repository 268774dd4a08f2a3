"""Plan views: in-year change — the authority's change requests and the CSA's answers; what a
revision may do to accepted support (vary or withdraw an offer, remove a priority); the authority's
"not tailored" mark on an offer; a provider's deployment plan for its offer; the notes of a row; the
authority's own support.

Thin: find the object among those the user may see (404), check the permission (403), and let
``core.actions.submit`` call the service and show the outcome."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import get_visible_or_404, require
from core.actions import form_page, posted, reopen, submit
from core.working_days import add_working_days, london_date

from ..forms.changes import (
    ChangeRequestForm,
    OfferDeploymentPlanForm,
    OwnSupportForm,
    ReasonForm,
    RowNotesForm,
    StartRevisionForm,
    VaryOfferForm,
)
from ..forms.workflow import ConfirmForm
from ..models import JISP, ChangeRequest, Offer, OwnSupport, Priority
from ..queries import changes as q
from ..services import changes as services
from ..services.offers import REVISE_WORKING_DAYS
from .common import confirm_action, get_part, get_plan, plan_crumbs, row_url
from .offers import _decision, _offer

# --- change requests ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def change_request_add(request, pk):
    jisp = get_plan(request, pk, "plans.raise_change_request")
    priorities, offers = q.request_choices(jisp)
    form = ChangeRequestForm(posted(request), priorities=priorities, offers=offers)
    outcome = submit(
        request,
        form,
        lambda data: services.raise_change_request(actor=request.user, jisp=jisp, body=data["body"], **form.chosen()),
        success=lambda cr: (
            "Your change request has been sent to your Children's Services Adviser"
            if cr.status == ChangeRequest.Status.OPEN
            else "Your change request has been sent to the Director of Children's Services to confirm"
        ),
        then=lambda cr: cr,
    )
    if outcome.response:
        return outcome.response
    return form_page(
        request,
        outcome.form,
        template="plans/drafting/form.html",
        title="Ask for an in-year change",
        caption=str(jisp),
        lead="Ask your Children's Services Adviser to change the support in the approved plan. They start a "
        "revision of the plan with the providers, or explain why not.",
        crumbs=plan_crumbs(jisp, "Ask for a change"),
        cancel_url=jisp.get_absolute_url(),
        jisp=jisp,
        allowed=jisp.status == JISP.Status.APPROVED,
    )


def _change_request(request, pk):
    return get_visible_or_404(q.change_request_queryset(), request.user, pk=pk)


@require_GET
def change_request_detail(request, pk):
    change_request = _change_request(request, pk)
    jisp = change_request.jisp
    return render(
        request,
        "plans/changes/request.html",
        {
            "change_request": change_request,
            "jisp": jisp,
            "actions": q.request_actions(change_request, request.user),
            "crumbs": plan_crumbs(jisp, "Change request"),
        },
    )


def _request_action(request, change_request, form, perform, *, success, then, title, lead, allowed):
    jisp = change_request.jisp
    return confirm_action(
        request,
        form,
        perform,
        success=success,
        then=then,
        jisp=jisp,
        title=title,
        lead=lead,
        crumb=title,
        cancel_url=change_request.get_absolute_url(),
        template="plans/changes/request_confirm.html",
        change_request=change_request,
        allowed=allowed,
    )


@require_http_methods(["GET", "POST"])
def change_request_confirm(request, pk):
    change_request = _change_request(request, pk)
    require(request.user, "plans.confirm_change_request", change_request)
    return _request_action(
        request,
        change_request,
        ConfirmForm(posted(request), button="Confirm and send to the adviser"),
        lambda data: services.confirm_change_request(actor=request.user, change_request=change_request),
        success="You have confirmed the change request. Your Children's Services Adviser has been told.",
        then=change_request,
        title="Confirm the change request",
        lead=f"{change_request.raised_by} asked for this change. Once you confirm it, it goes to your Children's "
        "Services Adviser.",
        allowed=change_request.status == ChangeRequest.Status.AWAITING_DCS,
    )


@require_http_methods(["GET", "POST"])
def change_request_revise(request, pk):
    change_request = _change_request(request, pk)
    require(request.user, "plans.answer_change_request", change_request)
    return _request_action(
        request,
        change_request,
        StartRevisionForm(posted(request)),
        lambda data: services.start_revision(
            actor=request.user, change_request=change_request, answer=data.get("answer", "")
        ),
        success=lambda new: (
            f"Version {new.version} has been created in draft to make the change. The authority has been told."
        ),
        then=lambda new: new,
        title="Start a revision for this request",
        lead="A new version of the plan is created in draft with the approved plan's priorities, needs, accepted "
        "offers and deployment plans; the request is linked to it. In the revision you can ask providers to vary "
        "their accepted offers, withdraw offers and remove priorities.",
        allowed=change_request.status == ChangeRequest.Status.OPEN
        and change_request.jisp.status == JISP.Status.APPROVED,
    )


@require_http_methods(["GET", "POST"])
def change_request_decline(request, pk):
    change_request = _change_request(request, pk)
    require(request.user, "plans.answer_change_request", change_request)
    return _request_action(
        request,
        change_request,
        ReasonForm(
            posted(request),
            label="Why are you declining the request?",
            required_message="Enter why you are declining the request",
            button="Decline the request",
            warning=True,
        ),
        lambda data: services.decline_change_request(
            actor=request.user, change_request=change_request, reason=data["reason"]
        ),
        success="You have declined the change request. The authority has been told your reason.",
        then=change_request,
        title="Decline the change request",
        lead="The Director of Children's Services and the authority's officers are emailed your reason.",
        allowed=change_request.is_waiting,
    )


# --- a revision changes accepted support ----------------------------------------------------------


def _in_revision(offer):
    jisp = offer.priority.jisp
    return offer.status == Offer.Status.ACCEPTED and jisp.status == JISP.Status.DRAFT and jisp.version > 1


@require_http_methods(["GET", "POST"])
def offer_vary(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    due = add_working_days(london_date(), REVISE_WORKING_DAYS)
    return _decision(
        request,
        offer,
        VaryOfferForm(posted(request), initial={"respond_by": due}),
        lambda data: services.vary_offer(
            actor=request.user, offer=offer, reason=data["reason"], respond_by=data["respond_by"]
        ),
        success=f"You have asked {offer.provider} to vary the offer. It is back with them as an invitation.",
        title="Ask the provider to vary the offer",
        lead="The offer goes back to the provider as an invitation, with the accepted text shown to them. They "
        "write the varied offer and submit it; you accept or challenge it as before.",
        allowed=offer.status == Offer.Status.ACCEPTED and offer.priority.jisp.status == JISP.Status.DRAFT,
    )


@require_http_methods(["GET", "POST"])
def offer_withdraw_accepted(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    return _decision(
        request,
        offer,
        ReasonForm(
            posted(request),
            label="Why is the offer withdrawn from the plan?",
            required_message="Enter why the offer is withdrawn from the plan",
            button="Withdraw the offer",
            warning=True,
        ),
        lambda data: services.withdraw_accepted_offer(actor=request.user, offer=offer, reason=data["reason"]),
        success="The accepted offer has been withdrawn from this version",
        title="Withdraw the accepted offer",
        lead=f"{offer.provider} is told. The reason is kept in the offer's history and shown when the versions "
        "are compared.",
        allowed=_in_revision(offer),
    )


@require_http_methods(["GET", "POST"])
def offer_flag(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.flag_offer", offer)
    return _decision(
        request,
        offer,
        ReasonForm(
            posted(request),
            label="Why is the offer not tailored to the authority?",
            required_message="Enter why the offer is not tailored to the authority",
            button="Mark as not tailored",
        ),
        lambda data: services.flag_offer_not_tailored(actor=request.user, offer=offer, reason=data["reason"]),
        success="You have marked the offer as not tailored. Your Children's Services Adviser has been told.",
        title="Mark the offer as not tailored",
        lead="Your Children's Services Adviser sees your reason and decides whether to challenge the provider or "
        "accept the offer.",
        allowed=offer.status == Offer.Status.SUBMITTED and offer.priority.jisp.status == JISP.Status.WITH_AUTHORITY,
    )


@require_http_methods(["GET", "POST"])
def offer_deployment_plan(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.upload_offer_deployment_plan", offer)
    jisp = offer.priority.jisp
    return _decision(
        request,
        offer,
        OfferDeploymentPlanForm(posted(request), request.FILES if request.method == "POST" else None),
        lambda data: services.upload_offer_deployment_plan(actor=request.user, offer=offer, upload=data["file"]),
        success=lambda plan: f"The deployment plan “{plan.original_name}” has been uploaded",
        title="Upload the deployment plan for this offer",
        lead="Part 2 of the plan: how you will deploy the support, held with the plan so that the Children's "
        "Services Adviser and the authority can monitor delivery.",
        allowed=offer.status != Offer.Status.WITHDRAWN and (jisp.is_editable or jisp.status == JISP.Status.APPROVED),
    )


PRIORITIES = Priority.objects.select_related("jisp__authority__region", "jisp__authority__csa")


@require_http_methods(["GET", "POST"])
def priority_remove_accepted(request, pk):
    priority = get_part(PRIORITIES, request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.change_jisp", jisp)
    return confirm_action(
        request,
        ReasonForm(
            posted(request),
            label="Why is the priority removed?",
            required_message="Enter why the priority is removed from the plan",
            button="Remove the priority",
            warning=True,
        ),
        lambda data: services.remove_accepted_priority(actor=request.user, priority=priority, reason=data["reason"]),
        success=f"The priority “{priority.title}” has been removed from this version",
        then=row_url(jisp, "improvement-support"),
        jisp=jisp,
        title=f"Remove the priority “{priority.title}”",
        crumb="Remove a priority",
        lead="Its needs and accepted offers leave this version with it; the providers' offers stay in the approved "
        "version, and the reason is kept in the history and shown when the versions are compared.",
        allowed=jisp.status == JISP.Status.DRAFT and jisp.version > 1,
    )


# --- the notes of a row ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def priority_notes(request, pk):
    priority = get_part(PRIORITIES, request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.write_row_notes", priority)
    initial = {"lock_version": priority.lock_version, "notes": priority.notes}
    outcome = submit(
        request,
        RowNotesForm(posted(request), initial=initial),
        lambda data: services.write_row_notes(
            actor=request.user, priority=priority, notes=data["notes"], lock_version=data["lock_version"]
        ),
        success="The notes have been saved",
        then=row_url(jisp, f"priority-{priority.pk}"),
        on_stale=reopen(
            RowNotesForm,
            request,
            priority,
            fields=["lock_version", "notes"],
            latest=lambda p: [("Notes", p.notes)],
            initial=initial,
        ),
    )
    if outcome.response:
        return outcome.response
    return form_page(
        request,
        outcome.form,
        template="plans/drafting/form.html",
        title=f"Notes on “{priority.title}”",
        caption=str(jisp),
        crumbs=plan_crumbs(jisp, "Notes"),
        cancel_url=row_url(jisp, f"priority-{priority.pk}"),
        jisp=jisp,
        latest=outcome.latest,
        allowed=jisp.is_editable,
    )


# --- the authority's own support ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def own_support_add(request, pk):
    jisp = get_plan(request, pk, "plans.record_own_support")
    outcome = submit(
        request,
        OwnSupportForm(posted(request)),
        lambda data: services.add_own_support(
            actor=request.user,
            jisp=jisp,
            source=data["source"],
            description=data["description"],
            cost=data.get("cost"),
        ),
        success="The authority's own support has been recorded",
        then=row_url(jisp, "own-support"),
    )
    if outcome.response:
        return outcome.response
    return form_page(
        request,
        outcome.form,
        template="plans/drafting/form.html",
        title="Record support the authority takes up itself",
        caption=str(jisp),
        lead="Optional support the authority takes up or buys itself, such as C4EO or the Commissioning Support "
        "Programme. It is shown in its own section of the plan and the signed-off PDF.",
        crumbs=plan_crumbs(jisp, "Own support"),
        cancel_url=row_url(jisp, "own-support"),
        jisp=jisp,
        allowed=jisp.status not in (JISP.Status.APPROVED, JISP.Status.SUPERSEDED),
    )


@require_http_methods(["GET", "POST"])
def own_support_remove(request, pk):
    own = get_part(OwnSupport.objects.select_related("jisp__authority"), request, pk, "jisp")
    jisp = own.jisp
    require(request.user, "plans.record_own_support", jisp)
    return confirm_action(
        request,
        ConfirmForm(posted(request), button="Remove", warning=True),
        lambda data: services.remove_own_support(actor=request.user, own_support=own),
        success="The authority's own support has been removed",
        then=row_url(jisp, "own-support"),
        jisp=jisp,
        title=f"Remove “{own.description[:60]}”",
        crumb="Remove own support",
        allowed=jisp.status not in (JISP.Status.APPROVED, JISP.Status.SUPERSEDED),
    )


urlpatterns = [
    path("<int:pk>/change-requests/new/", change_request_add, name="change_request_add"),
    path("change-requests/<int:pk>/", change_request_detail, name="change_request"),
    path("change-requests/<int:pk>/confirm/", change_request_confirm, name="change_request_confirm"),
    path("change-requests/<int:pk>/revise/", change_request_revise, name="change_request_revise"),
    path("change-requests/<int:pk>/decline/", change_request_decline, name="change_request_decline"),
    path("offers/<int:pk>/vary/", offer_vary, name="offer_vary"),
    path("offers/<int:pk>/withdraw-accepted/", offer_withdraw_accepted, name="offer_withdraw_accepted"),
    path("offers/<int:pk>/not-tailored/", offer_flag, name="offer_flag"),
    path("offers/<int:pk>/deployment-plan/", offer_deployment_plan, name="offer_deployment_plan"),
    path("priorities/<int:pk>/remove-with-offers/", priority_remove_accepted, name="priority_remove_accepted"),
    path("priorities/<int:pk>/notes/", priority_notes, name="priority_notes"),
    path("<int:pk>/own-support/add/", own_support_add, name="own_support_add"),
    path("own-support/<int:pk>/remove/", own_support_remove, name="own_support_remove"),
]
