"""Plan views: delivery — an accepted offer's delivery page (its updates, newest first, and the form
to add one), and the regional and national delivery tables with their CSV export.

Thin: fetch the offer among those the user may see (404), check the permission (403) on a POST, and
let ``core.actions.submit`` call the service and show the outcome."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from accounts.permissions import get_visible_or_404, require
from core.actions import posted, submit

from ..forms.delivery import DeliveryUpdateForm
from ..queries import delivery as q
from ..services import delivery as services
from ..urls_cache import pk_reverse
from .offers import _offer_crumbs


def _success(update):
    if update.is_comment:
        return "Your comment has been added. The other side has been emailed."
    return f"The delivery status is now “{update.get_status_display()}”. The other side has been emailed."


@require_http_methods(["GET", "POST"])
def offer_delivery(request, pk):
    offer = get_visible_or_404(q.delivery_page_queryset(), request.user, pk=pk)
    if request.method == "POST":
        require(request.user, "plans.report_delivery", offer)
    form = DeliveryUpdateForm(posted(request), current=offer.delivery_status)
    outcome = submit(
        request,
        form,
        lambda data: services.report_delivery(
            actor=request.user,
            offer=offer,
            status=data["status"],
            note=data["note"],
            days_given=data["days_given"],
        ),
        success=_success,
        then=lambda update: pk_reverse("plans:offer_delivery", offer.pk),
    )
    if outcome.response:
        return outcome.response
    context = q.delivery_context(offer, request.user)
    return render(
        request,
        "plans/delivery/offer.html",
        {**context, "form": outcome.form, "crumbs": _offer_crumbs(request, offer, "Delivery")},
    )


urlpatterns = [
    path("offers/<int:pk>/delivery/", offer_delivery, name="offer_delivery"),
]
