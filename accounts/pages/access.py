"""Access requests from providers with nobody on the portal.

The email to a provider's contact address (an invitation to offer, the approved plan's copy) links
to ``access_request_form`` (``accounts.services.access_request_link``): a public page whose link
names the provider (signed, so nobody can make one up; it works for ``ACCESS_LINK_DAYS``). A CSA who invited the provider, or an administrator of a region
it serves, approves the request — which sends the person an invitation — or declines it.
"""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.actions import posted, submit
from core.errors import ServiceError
from core.pagination import paginate

from .. import audit, people, services, throttling
from ..context_processors import people_links
from ..models import AccessRequest, User
from .forms import AccessRequestForm, ConfirmForm

PER_ADDRESS_PER_HOUR = 10


def _provider_from(token):
    try:
        data = signing.loads(token, salt=services.ACCESS_LINK_SALT, max_age=services.ACCESS_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    return people.PROVIDER.objects.filter(pk=data.get("provider")).first()


@login_not_required
@require_http_methods(["GET", "POST"])
def access_request_form(request, token):
    provider = _provider_from(token)
    if provider is None:
        return render(request, "accounts/access/invalid.html", {"title": "This link does not work"}, status=404)
    form = AccessRequestForm(posted(request))

    def perform(data):
        ip = audit.client_ip(request) or "unknown"
        if not throttling.allow("access-request-address", ip, PER_ADDRESS_PER_HOUR, 3600):
            raise ServiceError("There have been too many requests from your network. Wait an hour, then try again.")
        return services.request_access(provider=provider, request=request, **data)

    outcome = submit(request, form, perform, then=reverse("accounts:access_request_sent"))
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/access/request.html",
        {"form": outcome.form, "provider": provider, "title": f"Ask for access for {provider}"},
    )


@login_not_required
@require_GET
def access_request_sent(request):
    return render(request, "accounts/access/sent.html", {"title": "Your request has been sent"})


def _deciders_only(request):
    if not people.may_decide_access_requests(request.user):
        raise Http404


@require_GET
def access_request_list(request):
    _deciders_only(request)
    status = request.GET.get("status", AccessRequest.Status.PENDING)
    if status not in AccessRequest.Status.values:
        status = AccessRequest.Status.PENDING
    requests_ = people.visible_access_requests(request.user).filter(status=status).order_by("-created_at", "-pk")
    page_obj, query_string = paginate(request, requests_)
    return render(
        request,
        "accounts/access/list.html",
        {
            "page_obj": page_obj,
            "access_requests": page_obj.object_list,
            "query_string": query_string,
            "status": status,
            "statuses": AccessRequest.Status.choices,
            **people_links(request.user),
            "crumbs": [("Access requests", None)],
        },
    )


@require_http_methods(["GET", "POST"])
def access_request_detail(request, pk):
    _deciders_only(request)
    access = people.visible_access_requests(request.user).filter(pk=pk).first()
    if access is None:
        raise Http404
    decision = request.POST.get("decision")
    form = ConfirmForm(posted(request), button="Approve and send an invitation")
    perform = services.decline_access_request if decision == "decline" else services.approve_access_request
    outcome = submit(
        request,
        form,
        lambda data: perform(actor=request.user, access_request=access),
        success=lambda a: (
            f"Invitation sent to {a.email}."
            if a.status == AccessRequest.Status.APPROVED
            else f"The request of {a.email} is declined; they have been told."
        ),
        then=reverse("accounts:access_requests"),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "accounts/access/detail.html",
        {
            "access": access,
            "form": outcome.form,
            "existing": User.objects.filter(email__iexact=access.email).exists(),
            "title": f"Access request from {access.full_name}",
            "crumbs": [("Access requests", reverse("accounts:access_requests")), (access.full_name, None)],
        },
    )
