"""Meeting views: delivery reviews — at a strategic engagement or keep-in-touch meeting with an
authority, the lead CSA records a review of each offer of the authority's current approved plan: a
``DeliveryUpdate`` linked to the meeting (``plans.services.delivery.report_delivery``). The meeting
page shows the delivery table (``plans.queries.delivery``)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from accounts.permissions import get_visible_or_404, require
from core.actions import form_page, posted, submit
from plans.forms.delivery import DeliveryUpdateForm
from plans.queries import delivery as delivery_q
from plans.services.delivery import report_delivery

from .. import queries
from .common import crumbs


@require_http_methods(["GET", "POST"])
def delivery_review(request, pk, offer_pk):
    user = request.user
    meeting = get_visible_or_404(queries.meeting_detail(user), user, pk=pk)
    offer = get_object_or_404(
        delivery_q.delivery_page_queryset().filter(priority__jisp__authority_id=meeting.authority_id or 0),
        pk=offer_pk,
    )
    require(user, "plans.review_delivery", offer)
    form = DeliveryUpdateForm(posted(request), current=offer.delivery_status, button="Record the review")
    outcome = submit(
        request,
        form,
        lambda data: report_delivery(
            actor=user,
            offer=offer,
            status=data["status"],
            note=data["note"],
            days_given=data["days_given"],
            meeting=meeting,
        ),
        success=f"The review of {offer.provider}'s support has been recorded",
        then=meeting.get_absolute_url() + "#delivery",
    )
    title = f"Review the delivery of {offer.provider}'s support"
    return outcome.response or form_page(
        request,
        outcome.form,
        title=title,
        caption=meeting.title,
        lead=f"“{offer.priority.title}”: {offer.description}",
        crumbs=crumbs((meeting.title, meeting.get_absolute_url()), ("Delivery review", None)),
        cancel_url=meeting.get_absolute_url() + "#delivery",
    )
