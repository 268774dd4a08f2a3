"""Provider pages and provision feedback: thin views over queries and services."""

from django.shortcuts import render
from django.urls import reverse

from accounts.permissions import can, get_visible_or_404, require
from core.actions import form_page, submit
from core.pagination import paginate

from . import queries, services
from .filters import ProviderFilter, ProvisionFeedbackFilter
from .forms import FeedbackForm


def _list_page(request, filterset, template, extra):
    page_obj, query_string = paginate(request, filterset.qs)
    context = {
        "filter_form": filterset.form,
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "query_string": query_string,
        "filtered": bool(query_string),
    }
    context.update(extra)
    return render(request, template, context)


def provider_list(request):
    filterset = ProviderFilter(request.GET or None, queryset=queries.provider_list(request.user), request=request)
    return _list_page(request, filterset, "providers/list.html", {"crumbs": [("Providers", None)]})


def provider_detail(request, abbreviation):
    user = request.user
    provider = get_visible_or_404(queries.provider_detail(user), user, abbreviation=abbreviation)
    feedback = queries.feedback_for(user, provider)
    return render(
        request,
        "providers/detail.html",
        {
            "provider": provider,
            "feedback": list(feedback[:50]),
            "summary": queries.feedback_summary(feedback),
            "can_give_feedback": can(user, "providers.give_feedback", provider),
            "crumbs": [("Providers", reverse("providers:list")), (provider.name, None)],
        },
    )


def feedback_create(request, abbreviation):
    user = request.user
    provider = get_visible_or_404(queries.provider_detail(user), user, abbreviation=abbreviation)
    require(user, "providers.give_feedback", provider)
    outcome = submit(
        request,
        FeedbackForm(request.POST or None),
        lambda data: services.give_feedback(actor=user, provider=provider, **data),
        success=f"Thank you. Your feedback on {provider.name} has been sent.",
        then=provider,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title=f"Give feedback on {provider.name}",
        caption=f"For {user.authority}",
        lead="The provider, your Children's Services Adviser and your GO director will see your rating.",
        cancel_url=provider.get_absolute_url(),
        crumbs=[
            ("Providers", reverse("providers:list")),
            (provider.name, provider.get_absolute_url()),
            ("Give feedback", None),
        ],
    )


def feedback_list(request):
    filterset = ProvisionFeedbackFilter(
        request.GET or None, queryset=queries.feedback_for(request.user), request=request
    )
    return _list_page(
        request,
        filterset,
        "providers/feedback_list.html",
        {
            "summary": queries.feedback_summary(filterset.qs),
            "crumbs": [("Providers", reverse("providers:list")), ("Provision feedback", None)],
        },
    )
