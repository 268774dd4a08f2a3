"""People pages, for administrators and GO directors: everyone they manage, filtered; a person's
page with their role, organisation, sign-ins and history; changing the role or organisation;
switching the account off and on; sending a two-factor set-up link. Everyone else: 404."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.actions import posted, submit
from core.pagination import paginate

from .. import people, services
from ..context_processors import people_links
from ..models import AuditEvent, Role, User
from ..two_factor import confirmed_device, required_for_role
from .forms import ChangeRoleForm, ConfirmForm


def _people_or_404(request):
    if not people.may_manage_people(request.user):
        raise Http404


def _crumbs(*more):
    return [("People", reverse("accounts:people")), *more]


SELECT = {"class": "govuk-select"}


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name or email", method="filter_q", widget=forms.TextInput(attrs={"class": "govuk-input"})
    )
    role = django_filters.ChoiceFilter(
        label="Role", choices=Role.choices, empty_label="Any role", widget=forms.Select(attrs=SELECT)
    )
    organisation = django_filters.CharFilter(
        label="Organisation",
        method="filter_organisation",
        help_text="A region, authority or provider",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    active = django_filters.ChoiceFilter(
        label="Account",
        choices=[("yes", "Active"), ("no", "Switched off")],
        empty_label="Active or switched off",
        method="filter_active",
        widget=forms.Select(attrs=SELECT),
    )
    signed_in = django_filters.ChoiceFilter(
        label="Last sign-in",
        choices=[("30", "In the last 30 days"), ("90", "Not in the last 90 days"), ("never", "Never")],
        empty_label="Any time",
        method="filter_signed_in",
        widget=forms.Select(attrs=SELECT),
    )

    class Meta:
        model = User
        fields = ["q", "role", "organisation", "active", "signed_in"]

    @property
    def form(self):
        from crispy_forms_gds.helper import FormHelper

        form = super().form
        if not hasattr(form, "helper"):
            form.helper = FormHelper()
        return form

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value)) if value else queryset

    def filter_organisation(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(region__name__icontains=value)
            | Q(authority__name__icontains=value)
            | Q(provider__name__icontains=value)
            | Q(provider__abbreviation__iexact=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes") if value in ("yes", "no") else queryset

    def filter_signed_in(self, queryset, name, value):
        now = timezone.now()
        if value == "never":
            return queryset.filter(last_login__isnull=True)
        if value == "30":
            return queryset.filter(last_login__gte=now - timedelta(days=30))
        if value == "90":
            return queryset.filter(Q(last_login__lt=now - timedelta(days=90)) | Q(last_login__isnull=True))
        return queryset


@require_GET
def people_list(request):
    _people_or_404(request)
    everyone = people.manageable_users(request.user).select_related("region", "authority", "provider")
    filterset = PeopleFilter(request.GET or None, queryset=everyone)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else everyone
    page_obj, query_string = paginate(request, queryset.order_by("full_name", "email"))
    return render(
        request,
        "accounts/people/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "people": page_obj.object_list,
            "query_string": query_string,
            "crumbs": [("People", None)],
            **people_links(request.user),
            "pending_access": people.visible_access_requests(request.user).filter(status="pending").count(),
        },
    )


def _person(request, pk):
    _people_or_404(request)
    person = (
        people.manageable_users(request.user).select_related("region", "authority", "provider").filter(pk=pk).first()
    )
    if person is None:
        raise Http404
    return person


@require_GET
def person_detail(request, pk):
    person = _person(request, pk)
    events = AuditEvent.objects.filter(
        Q(object_type="accounts.user", object_id=str(person.pk)) | Q(actor=person)
    ).select_related("actor")[:20]
    return render(
        request,
        "accounts/people/detail.html",
        {
            "person": person,
            "role": services.describe(person.role, person.organisation),
            "device": confirmed_device(person),
            "two_factor_required": required_for_role(person),
            "leads": list(person.csa_of.order_by("name")),
            "dcs_of": list(person.dcs_of.order_by("name")),
            "events": events,
            "crumbs": _crumbs((str(person), None)),
        },
    )


@require_http_methods(["GET", "POST"])
def person_change(request, pk):
    person = _person(request, pk)
    initial = {
        "role": person.role,
        "region": person.region_id,
        "authority": person.authority_id,
        "provider": person.provider_id,
    }
    form = ChangeRoleForm(posted(request), actor=request.user, user=person, initial=initial)
    outcome = submit(
        request,
        form,
        lambda data: services.change_role(actor=request.user, user=person, role=data["role"], **form.organisation()),
        success=lambda user: f"{user} is now {services.describe(user.role, user.organisation)}.",
        then=reverse("accounts:person_detail", args=[person.pk]),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": f"Change the role of {person}",
            "caption": person.email,
            "lead": f"Now: {services.describe(person.role, person.organisation)}.",
            "cancel_url": reverse("accounts:person_detail", args=[person.pk]),
            "crumbs": _crumbs(
                (str(person), reverse("accounts:person_detail", args=[person.pk])), ("Change role", None)
            ),
        },
    )


def _confirm_page(request, person, *, title, lead, button, perform, success, warning=False):
    form = ConfirmForm(posted(request), button=button, warning=warning)
    outcome = submit(
        request,
        form,
        lambda data: perform(),
        success=success,
        then=reverse("accounts:person_detail", args=[person.pk]),
    )
    if outcome.response:
        return outcome.response
    return render(
        request,
        "form_page.html",
        {
            "form": outcome.form,
            "title": title,
            "caption": person.email,
            "lead": lead,
            "cancel_url": reverse("accounts:person_detail", args=[person.pk]),
            "crumbs": _crumbs((str(person), reverse("accounts:person_detail", args=[person.pk])), (title, None)),
        },
    )


@require_http_methods(["GET", "POST"])
def person_deactivate(request, pk):
    person = _person(request, pk)
    return _confirm_page(
        request,
        person,
        title=f"Switch off the account of {person}",
        lead="They are signed out at once and cannot sign in; their calendar feed stops. Everything they did "
        "stays in the plans, notes and history. You can switch the account on again later.",
        button="Switch off the account",
        perform=lambda: services.deactivate_user(actor=request.user, user=person),
        success=lambda user: f"The account of {user} is switched off.",
        warning=True,
    )


@require_http_methods(["GET", "POST"])
def person_reactivate(request, pk):
    person = _person(request, pk)
    return _confirm_page(
        request,
        person,
        title=f"Switch on the account of {person}",
        lead="They can sign in again with their password (and two-factor sign-in, if they use it).",
        button="Switch on the account",
        perform=lambda: services.reactivate_user(actor=request.user, user=person),
        success=lambda user: f"The account of {user} is switched on again.",
    )


@require_http_methods(["GET", "POST"])
def person_two_factor_link(request, pk):
    person = _person(request, pk)
    has_device = confirmed_device(person) is not None
    return _confirm_page(
        request,
        person,
        title=f"Send {person} a two-factor set-up link",
        lead=("Their current authenticator app is removed and they are signed out everywhere. " if has_device else "")
        + "They get an email with a link that works once, for 72 hours: they sign in with their password and set up "
        "their authenticator app.",
        button="Send the link",
        perform=lambda: services.send_two_factor_link(actor=request.user, user=person),
        success=lambda link: f"A two-factor set-up link has been sent to {person.email}.",
        warning=has_device,
    )
