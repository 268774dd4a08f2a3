"""Plan views: offers — the CSA's invitation page on a priority, the offers list (the provider's
"Offers"), the offer page with its timeline, the provider's offer form, and the CSA's challenge and
acceptance and the withdrawal.

Thin: fetch the offer among those the user may see (404), check the permission (403), call a
service, show its ServiceError in the error summary, redirect to the offer with a banner."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from accounts.permissions import get_visible_or_404, require
from core.errors import ServiceError, StaleEditError, posted, show_on_form
from core.pagination import paginate
from core.working_days import add_working_days, london_date

from ..forms.offers import ChallengeForm, InviteForm, OfferFilterForm, OfferForm, WithdrawForm
from ..forms.workflow import ConfirmForm
from ..models import JISP, Offer, Priority
from ..queries import offers as q
from ..services import offers as services
from .common import plan_crumbs


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
    priority = get_object_or_404(
        Priority.objects.select_related("jisp__authority__region", "jisp__csa").filter(
            jisp__in=JISP.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    jisp = priority.jisp
    require(request.user, "plans.invite_offer", priority)
    form = InviteForm(posted(request), priority=priority, initial={"respond_by": services.default_respond_by()})
    if request.method == "POST" and form.is_valid():
        try:
            offers = services.invite_providers(
                actor=request.user,
                priority=priority,
                providers=list(form.cleaned_data["providers"]),
                need=form.cleaned_data["need"],
                message=form.cleaned_data["message"],
                respond_by=form.cleaned_data["respond_by"],
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            names = " and ".join(o.provider.name for o in offers)
            messages.success(request, f"{names} {'has' if len(offers) == 1 else 'have'} been invited to offer support")
            return redirect(jisp.get_absolute_url())
    title = "Invite providers to offer support"
    return render(
        request,
        "plans/offers/invite.html",
        {
            "form": form,
            "priority": priority,
            "jisp": jisp,
            "title": title,
            "allowed": jisp.is_editable,
            "crumbs": plan_crumbs(jisp, title),
            "cancel_url": jisp.get_absolute_url(),
        },
    )


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
    initial = {
        "lock_version": offer.lock_version,
        "description": offer.description,
        "deliver_by": offer.deliver_by,
        "days": offer.days,
        "funding": offer.funding,
        "notes": offer.notes,
    }
    form = OfferForm(posted(request), initial=initial, resubmit=resubmit)
    if request.method == "POST" and form.is_valid():
        draft = "save_draft" in request.POST
        service = services.save_offer_draft if draft else services.submit_offer
        try:
            service(
                actor=request.user,
                offer=offer,
                data=form.service_data(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except StaleEditError as error:
            show_on_form(form, error)
            offer.refresh_from_db(fields=["lock_version"])
            form.data = form.data.copy()
            form.data["lock_version"] = offer.lock_version
        except ServiceError as error:
            show_on_form(form, error)
        else:
            if draft:
                messages.success(request, "Your offer has been saved as a draft. It has not been submitted yet.")
            else:
                messages.success(
                    request,
                    "Your revised offer has been resubmitted" if resubmit else "Your offer has been submitted",
                )
            return redirect(offer.get_absolute_url())
    context = q.offer_context(offer, request.user)
    title = "Revise your offer" if resubmit else "Write your offer"
    context.update(
        {
            "form": form,
            "title": title,
            "allowed": offer.status in q.ANSWER_STATUSES and offer.priority.jisp.is_editable,
            "crumbs": _offer_crumbs(request, offer, title),
            "cancel_url": offer.get_absolute_url(),
        }
    )
    return render(request, "plans/offers/edit.html", context)


# --- the CSA's decisions and withdrawal -----------------------------------------------------------


def _decision_page(request, offer, form, *, title, lead, allowed):
    return render(
        request,
        "plans/offers/confirm.html",
        {
            "offer": offer,
            "priority": offer.priority,
            "jisp": offer.priority.jisp,
            "form": form,
            "title": title,
            "lead": lead,
            "allowed": allowed,
            "crumbs": _offer_crumbs(request, offer, title),
            "cancel_url": offer.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def offer_challenge(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    form = ChallengeForm(
        posted(request), initial={"respond_by": add_working_days(london_date(), services.REVISE_WORKING_DAYS)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_offer(
                actor=request.user,
                offer=offer,
                reason=form.cleaned_data["reason"],
                respond_by=form.cleaned_data["respond_by"],
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"You have challenged the offer. {offer.provider} has been asked to revise it.")
            return redirect(offer.get_absolute_url())
    return _decision_page(
        request,
        offer,
        form,
        title="Challenge the offer",
        lead="Challenge an offer that is not differentiated: a generic programme, or support that does not "
        "address this authority's priority and needs. The provider is emailed your reason and asked to revise it.",
        allowed=offer.status == Offer.Status.SUBMITTED and offer.priority.jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def offer_accept(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.decide_offer", offer)
    form = ConfirmForm(posted(request), button="Accept the offer")
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_offer(actor=request.user, offer=offer)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, f"You have accepted the offer from {offer.provider}")
            return redirect(offer.get_absolute_url())
    return _decision_page(
        request,
        offer,
        form,
        title="Accept the offer",
        lead="The offer becomes part of the package of support in the plan. The provider is told.",
        allowed=offer.status == Offer.Status.SUBMITTED and offer.priority.jisp.is_editable,
    )


@require_http_methods(["GET", "POST"])
def offer_withdraw(request, pk):
    offer = _offer(request, pk)
    require(request.user, "plans.withdraw_offer", offer)
    mine = request.user.role == Role.PROVIDER_ADVISER
    declining = mine and offer.status == Offer.Status.INVITED
    title = "Decline the invitation" if declining else "Withdraw the offer"
    form = WithdrawForm(posted(request), button=title)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_offer(actor=request.user, offer=offer, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, "You have declined the invitation" if declining else "The offer has been withdrawn"
            )
            return redirect(offer.get_absolute_url())
    lead = (
        "The Children's Services Adviser is told. A withdrawn offer cannot be reopened: the adviser can invite "
        "you again."
        if mine
        else f"{offer.provider} is told. A withdrawn offer cannot be reopened: you can invite the provider again."
    )
    return _decision_page(
        request, offer, form, title=title, lead=lead, allowed=offer.is_open and offer.priority.jisp.is_editable
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
