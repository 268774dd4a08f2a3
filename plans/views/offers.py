"""Plan views: offers — the CSA's invitation page on a priority, the offers list (the provider's
"Offers"), the offer page with its timeline, the provider's offer form, and the CSA's challenge and
acceptance and the withdrawal.

Thin: fetch the offer among those the user may see (404), check the permission (403), and let
``core.actions.submit`` call the service and show the outcome."""

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.permissions import get_visible_or_404, require
from core.actions import form_page, posted, reopen, submit
from core.pagination import paginate
from core.working_days import add_working_days, london_date

from ..forms.offers import ChallengeForm, InviteForm, OfferFilterForm, OfferForm, WithdrawForm
from ..forms.workflow import ConfirmForm
from ..models import JISP, Offer, Priority
from ..queries import offers as q
from ..services import offers as services
from .common import confirm_action, get_part, plan_crumbs


def _offer(request, pk, *, page=False):
    qs = q.offer_page_queryset() if page else Offer.objects.select_related(*q.OFFER_RELATED)
    return get_visible_or_404(qs, request.user, pk=pk)


def _offer_crumbs(request, offer, label=None):
    crumbs = [("Offers", _list_url())]
    jisp = offer.priority.jisp
    if JISP.objects.visible_to(request.user).filter(pk=jisp.pk).exists():
        crumbs = plan_crumbs(jisp)[:1] + [(str(jisp), jisp.get_absolute_url())]
    title = f"{offer.provider} offer"
    crumbs.append((title, offer.get_absolute_url() if label else None))
    if label:
        crumbs.append((label, None))
    return crumbs


def _list_url():
    return reverse("plans:offer_list")


# --- the CSA's invitation -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invite(request, pk):
    priority = get_part(Priority.objects.select_related("jisp__authority__region", "jisp__csa"), request, pk, "jisp")
    jisp = priority.jisp
    require(request.user, "plans.invite_offer", priority)
    form = InviteForm(posted(request), priority=priority, initial={"respond_by": services.default_respond_by()})
    return confirm_action(
        request,
        form,
        lambda data: services.invite_providers(
            actor=request.user,
            priority=priority,
            providers=list(data["providers"]),
            need=data["need"],
            message=data["message"],
            respond_by=data["respond_by"],
        ),
        success=_invited,
        jisp=jisp,
        title="Invite providers to offer support",
        allowed=jisp.is_editable,
        template="plans/offers/invite.html",
        priority=priority,
    )


def _invited(offers):
    names = " and ".join(o.provider.name for o in offers)
    return f"{names} {'has' if len(offers) == 1 else 'have'} been invited to offer support"


# --- the offers list and the offer page -----------------------------------------------------------


@require_GET
def offer_list(request):
    filters = OfferFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page_obj, query_string = paginate(request, q.offers_for_list(request.user, status))
    return render(
        request,
        "plans/offers/list.html",
        {
            "filters": filters,
            "status": status,
            "page_obj": page_obj,
            "query_string": query_string,
            "counts": q.status_counts(request.user),
            "today": london_date(),
            "crumbs": [("Offers", None)],
        },
    )


@require_GET
def offer_detail(request, pk):
    offer = _offer(request, pk, page=True)
    context = q.offer_context(offer, request.user)
    context["crumbs"] = _offer_crumbs(request, offer)
    return render(request, "plans/offers/detail.html", context)


# --- the provider's offer -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    offer = _offer(request, pk, page=True)
    require(request.user, "plans.write_offer", offer)
    resubmit = offer.status == Offer.Status.CHALLENGED
    # A challenged offer's saved revision is edited in place of the submitted text it will replace.
    source = (q.unsubmitted_revision(offer, request.user) if resubmit else None) or offer
    initial = {
        "lock_version": offer.lock_version,
        "description": source.description,
        "deliver_by": source.deliver_by,
        "days": source.days,
        "funding": source.funding,
        "notes": source.notes,
    }
    draft = "save_draft" in request.POST
    if draft:
        service, banner = (
            services.save_offer_draft,
            "Your revision has been saved as a draft. It has not been submitted: everyone else still sees "
            "the offer you submitted."
            if resubmit
            else "Your offer has been saved as a draft. It has not been submitted yet.",
        )
    else:
        service = services.submit_offer
        banner = "Your revised offer has been resubmitted" if resubmit else "Your offer has been submitted"
    form = OfferForm(posted(request), initial=initial, resubmit=resubmit)
    outcome = submit(
        request,
        form,
        lambda data: service(
            actor=request.user, offer=offer, data=form.service_data(), lock_version=data["lock_version"]
        ),
        success=banner,
        then=offer,
        on_stale=reopen(OfferForm, request, offer, fields=["lock_version"], initial=initial, resubmit=resubmit),
    )
    if outcome.response:
        return outcome.response
    title = "Revise your offer" if resubmit else "Write your offer"
    return form_page(
        request,
        outcome.form,
        template="plans/offers/edit.html",
        title=title,
        crumbs=_offer_crumbs(request, offer, title),
        cancel_url=offer.get_absolute_url(),
        allowed=offer.status in q.ANSWER_STATUSES and offer.priority.jisp.is_editable,
        **q.offer_context(offer, request.user),
    )


# --- the CSA's decisions and withdrawal -----------------------------------------------------------


def _decision(request, offer, form, perform, *, success, title, lead, allowed):
    """A decision on an offer (``plans/offers/confirm.html``): the offer, what the decision does, and
    the button; done, back to the offer with ``success``."""
    outcome = submit(request, form, perform, success=success, then=offer)
    return outcome.response or form_page(
        request,
        outcome.form,
        template="plans/offers/confirm.html",
        title=title,
        lead=lead,
        crumbs=_offer_crumbs(request, offer, title),
        cancel_url=offer.get_absolute_url(),
        offer=offer,
        priority=offer.priority,
        jisp=offer.priority.jisp,
        allowed=allowed,
    )


def _deciding(offer):
    return offer.status == Offer.Status.SUBMITTED and offer.priority.jisp.is_editable


@require_http_methods(["GET", "POST"])
def offer_challenge(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    respond_by = add_working_days(london_date(), services.REVISE_WORKING_DAYS)
    return _decision(
        request,
        offer,
        # The authority's own "not tailored" reason, if it gave one, as a start for the CSA's.
        ChallengeForm(posted(request), initial={"respond_by": respond_by, "reason": offer.authority_concern}),
        lambda data: services.challenge_offer(
            actor=request.user, offer=offer, reason=data["reason"], respond_by=data["respond_by"]
        ),
        success=f"You have challenged the offer. {offer.provider} has been asked to revise it.",
        title="Challenge the offer",
        lead="Challenge an offer that is not differentiated: a generic programme, or support that does not "
        "address this authority's priority and needs. The provider is emailed your reason and asked to revise it.",
        allowed=_deciding(offer),
    )


@require_http_methods(["GET", "POST"])
def offer_accept(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    return _decision(
        request,
        offer,
        ConfirmForm(posted(request), button="Accept the offer"),
        lambda data: services.accept_offer(actor=request.user, offer=offer),
        success=f"You have accepted the offer from {offer.provider}",
        title="Accept the offer",
        lead="The offer becomes part of the package of support in the plan. The provider is told.",
        allowed=_deciding(offer),
    )


@require_http_methods(["GET", "POST"])
def offer_withdraw(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.withdraw_offer", offer)
    mine = request.user.role == Role.PROVIDER_ADVISER
    declining = mine and offer.status == Offer.Status.INVITED
    title = "Decline the invitation" if declining else "Withdraw the offer"
    lead = (
        "The Children's Services Adviser is told. A withdrawn offer cannot be reopened: the adviser can invite "
        "you again."
        if mine
        else f"{offer.provider} is told. A withdrawn offer cannot be reopened: you can invite the provider again."
    )
    return _decision(
        request,
        offer,
        WithdrawForm(posted(request), button=title),
        lambda data: services.withdraw_offer(actor=request.user, offer=offer, reason=data["reason"]),
        success="You have declined the invitation" if declining else "The offer has been withdrawn",
        title=title,
        lead=lead,
        allowed=offer.is_open and offer.priority.jisp.is_editable,
    )


urlpatterns = [
    path("priorities/<int:pk>/invite/", invite, name="invite"),
    path("offers/", offer_list, name="offer_list"),
    path("offers/<int:pk>/", offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", offer_edit, name="offer_edit"),
    path("offers/<int:pk>/challenge/", offer_challenge, name="offer_challenge"),
    path("offers/<int:pk>/accept/", offer_accept, name="offer_accept"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer_withdraw"),
]
