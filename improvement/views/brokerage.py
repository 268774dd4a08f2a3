"""Brokered support, inspection records and regional leads."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.permissions import can, require
from core.actions import posted, submit
from core.errors import ServiceError
from plans.forms.workflow import ConfirmForm

from .. import queries as q
from .. import services
from ..forms import BrokerageForm, InspectionForm, LeadForm
from ..models import Finding, InspectionRecord, PeerChallenge
from .common import crumbs, form_page

#: A service's field → the form's field on the brokerage form
BROKERAGE_FIELDS = {"findings": "choices", "points": "choices"}


def _source(request):
    """The peer challenge (``?challenge=``) or inspection (``?inspection=``) support is brokered after."""
    challenge_id, inspection_id = request.GET.get("challenge"), request.GET.get("inspection")
    if challenge_id and challenge_id.isdigit():
        challenge = get_object_or_404(
            PeerChallenge.objects.visible_to(request.user).select_related("authority__region"), pk=challenge_id
        )
        return challenge, None
    if inspection_id and inspection_id.isdigit():
        inspection = get_object_or_404(
            InspectionRecord.objects.visible_to(request.user).select_related("authority__region"), pk=inspection_id
        )
        return None, inspection
    raise Http404("Broker support after a peer challenge or an inspection")


def _choices(challenge, inspection):
    if challenge is not None:
        findings = Finding.objects.filter(peer_challenge=challenge).select_related("area", "judgement")
        return [
            (str(f.pk), f"{f.area} ({f.judgement}): {'; '.join(f.improvement_points)}")
            for f in findings.order_by("area__order")
            if f.improvement_points
        ]
    return [(str(i), point) for i, point in enumerate(inspection.improvement_points)]


@require_http_methods(["GET", "POST"])
def brokerage_create(request):
    challenge, inspection = _source(request)
    source = challenge or inspection
    authority = source.authority
    require(request.user, "improvement.add_brokerage", authority)
    choices = _choices(challenge, inspection)
    form = BrokerageForm(
        posted(request),
        choices=choices,
        providers=q.framework_providers(),
        initial={"period": q.this_year(), "choices": [value for value, _ in choices]},
    )

    def perform(data):
        try:
            return services.broker_support(
                actor=request.user,
                period=data["period"],
                peer_challenge=challenge,
                inspection=inspection,
                findings=data["choices"] if challenge else (),
                points=data["choices"] if inspection else (),
                providers=data["providers"],
                summary=data["summary"],
                respond_by=data["respond_by"],
            )
        except ServiceError as error:
            if error.field in BROKERAGE_FIELDS:
                raise ServiceError(error.message, field=BROKERAGE_FIELDS[error.field]) from error
            raise

    outcome = submit(
        request,
        form,
        perform,
        success=lambda b: (
            f"The support package has been brokered: the support plan {b.support_plan.period} is in "
            "draft and the framework providers have been invited to offer."
        ),
        then=lambda b: b.get_absolute_url(),
    )
    allowed = challenge is None or challenge.status == PeerChallenge.Status.LETTER_ISSUED
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Broker a support package",
        caption=str(authority),
        crumbs=crumbs((str(authority), authority.get_absolute_url()), "Broker a support package"),
        cancel_url=source.get_absolute_url(),
        lead=f"After {'the peer challenge of ' + challenge.starts_on.strftime('%B %Y') if challenge else inspection}: "
        "the areas for improvement you select become the priorities of a new support plan for "
        f"{authority}, and the providers you select are invited to offer on each. The plan then follows the "
        "usual drafting, offers and approval by the DCS.",
        allowed=allowed and bool(choices),
        not_allowed="Support is brokered once the peer challenge's letter is issued."
        if not allowed
        else "There are no areas for improvement to broker support for.",
    )


@require_GET
def brokerage_detail(request, pk):
    brokerage = get_object_or_404(q.brokerage_detail(request.user), pk=pk)
    plan = brokerage.support_plan
    return render(
        request,
        "improvement/brokerage.html",
        {
            "brokerage": brokerage,
            "plan": plan,
            "priorities": list(plan.priorities.prefetch_related("needs").order_by("order", "pk")),
            "may_see_plan": can(request.user, "plans.view_jisp", plan),
            "crumbs": crumbs(
                (str(brokerage.authority), brokerage.authority.get_absolute_url()), "Brokered support package"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def inspection_create(request):
    require(request.user, "improvement.record_inspection")
    form = InspectionForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.record_inspection(actor=request.user, **data),
        success="The inspection has been recorded",
        then=lambda inspection: inspection.get_absolute_url(),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Record an inspection",
        crumbs=crumbs("Record an inspection"),
        cancel_url=reverse("improvement:index"),
        lead="An inspection's areas for improvement can be brokered into a support package by the authority's "
        "Children's Services Adviser.",
    )


@require_GET
def inspection_detail(request, pk):
    inspection = get_object_or_404(q.inspections_for(request.user), pk=pk)
    return render(
        request,
        "improvement/inspection.html",
        {
            "inspection": inspection,
            "brokerages": list(inspection.brokerages.select_related("support_plan")),
            "may_broker": can(request.user, "improvement.add_brokerage", inspection.authority),
            "crumbs": crumbs((str(inspection.authority), inspection.authority.get_absolute_url()), "Inspection"),
        },
    )


def _admin_region(user):
    return user.region if user.region_id else None


@require_http_methods(["GET", "POST"])
def regional_leads(request):
    user = request.user
    require(user, "improvement.view_ledger")
    may_appoint = can(user, "improvement.appoint_regional_lead")
    if request.method == "POST" and not may_appoint:
        raise PermissionDenied("Only an administrator appoints regional leads.")
    region = _admin_region(user) if may_appoint else None
    form = LeadForm(posted(request), people=q.lead_candidates(region)) if may_appoint else None
    if form is not None:
        outcome = submit(
            request,
            form,
            lambda data: services.appoint_regional_lead(actor=user, user=data["user"]),
            success=lambda lead: f"{lead} is now a regional lead",
            then=reverse("improvement:regional_leads"),
        )
        if outcome.response:
            return outcome.response
        form = outcome.form
    leads = list(q.regional_leads_list())
    return render(
        request,
        "improvement/regional_leads.html",
        {
            "form": form,
            "leads": leads,
            "may_appoint": may_appoint,
            "title": "Regional leads",
            "crumbs": crumbs("Regional leads"),
        },
    )


@require_http_methods(["GET", "POST"])
def regional_lead_stand_down(request, pk):
    require(request.user, "improvement.view_ledger")
    lead = get_object_or_404(User.objects.select_related("authority"), pk=pk, is_regional_lead=True)
    require(request.user, "improvement.appoint_regional_lead", lead)
    form = ConfirmForm(posted(request), button="Stand them down", warning=True)
    outcome = submit(
        request,
        form,
        lambda data: services.stand_down_regional_lead(actor=request.user, user=lead),
        success=f"{lead} is no longer a regional lead",
        then=reverse("improvement:regional_leads"),
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=f"Stand {lead} down as a regional lead?",
        crumbs=crumbs(("Regional leads", reverse("improvement:regional_leads")), "Stand down"),
        cancel_url=reverse("improvement:regional_leads"),
        lead="Peer challenges they set up carry on under the region's other regional leads.",
    )


urlpatterns = [
    path("brokerage/new/", brokerage_create, name="brokerage_create"),
    path("brokerage/<int:pk>/", brokerage_detail, name="brokerage"),
    path("inspections/new/", inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspection_detail, name="inspection"),
    path("regional-leads/", regional_leads, name="regional_leads"),
    path("regional-leads/<int:pk>/stand-down/", regional_lead_stand_down, name="regional_lead_stand_down"),
]
