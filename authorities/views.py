"""Authority, National Indicator and regional forum pages: thin views over queries and services."""

from django.shortcuts import render
from django.urls import reverse

from accounts.permissions import can, get_visible_or_404, require
from core.actions import form_page, submit
from core.pagination import paginate
from core.panels import collect

from . import queries, services
from .filters import LocalAuthorityFilter, NationalIndicatorFilter, RegionalForumFilter
from .forms import ForumForm, ReassignCsaForm


def _filtered_list(request, filterset_class, queryset, template, extra=None):
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    page_obj, query_string = paginate(request, filterset.qs)
    context = {
        "filter": filterset,
        "form": None,
        "filter_form": filterset.form,
        "page_obj": page_obj,
        "rows": page_obj.object_list,
        "query_string": query_string,
        "filtered": bool(query_string),
    }
    context.update(extra or {})
    return render(request, template, context)


def authority_list(request):
    return _filtered_list(
        request,
        LocalAuthorityFilter,
        queries.authority_list(request.user),
        "authorities/list.html",
        {"crumbs": [("Local authorities", None)]},
    )


def authority_detail(request, gss_code):
    authority = get_visible_or_404(queries.authority_detail(request.user), request.user, gss_code=gss_code)
    return render(
        request,
        "authorities/detail.html",
        {
            "authority": authority,
            "panels": collect("authority_panels", request.user, authority),
            "can_reassign": can(request.user, "authorities.reassign_csa", authority),
            "crumbs": [("Local authorities", reverse("authorities:list")), (authority.name, None)],
        },
    )


def reassign_csa(request, gss_code):
    authority = get_visible_or_404(queries.authority_detail(request.user), request.user, gss_code=gss_code)
    require(request.user, "authorities.reassign_csa", authority)
    form = ReassignCsaForm(request.POST or None, authority=authority)
    outcome = submit(
        request,
        form,
        lambda data: services.reassign_csa(actor=request.user, authority=authority, csa=data["csa"]),
        success=lambda _: f"{form.cleaned_data['csa']} is now the lead adviser for {authority}.",
        then=authority,
    )
    return outcome.response or form_page(
        request,
        outcome.form,
        title="Reassign the Children's Services Adviser",
        caption=authority.name,
        lead=f"The current lead adviser is {authority.csa or 'not set'}. The new adviser is told by email.",
        cancel_url=authority.get_absolute_url(),
        crumbs=[
            ("Authorities", reverse("authorities:list")),
            (authority.name, authority.get_absolute_url()),
            ("Reassign adviser", None),
        ],
    )


def indicator_list(request):
    return _filtered_list(
        request,
        NationalIndicatorFilter,
        queries.indicator_list(request.user),
        "authorities/indicator_list.html",
        {"crumbs": [("National Indicators", None)]},
    )


def forum_list(request):
    return _filtered_list(
        request,
        RegionalForumFilter,
        queries.forum_list(request.user),
        "authorities/forum_list.html",
        {"can_create": can(request.user, "authorities.add_regionalforum"), "crumbs": [("Regional forums", None)]},
    )


def forum_detail(request, pk):
    forum = get_visible_or_404(queries.forum_detail(request.user), request.user, pk=pk)
    return render(
        request,
        "authorities/forum_detail.html",
        {
            "forum": forum,
            "can_edit": can(request.user, "authorities.change_regionalforum", forum),
            "panels": collect("forum_panels", request.user, forum),
            "crumbs": [("Regional forums", reverse("authorities:forum_list")), (forum.name, None)],
        },
    )


def _forum_page(request, form, perform, *, success, title, cancel_url, crumbs):
    """Create or change a forum: done, on to the forum's page with ``success``."""
    outcome = submit(request, form, lambda data: perform(**data), success=success, then=lambda forum: forum)
    return outcome.response or form_page(
        request, outcome.form, title=title, caption="Regional forums", cancel_url=cancel_url, crumbs=crumbs
    )


def forum_create(request):
    require(request.user, "authorities.add_regionalforum")
    forums_url = reverse("authorities:forum_list")
    return _forum_page(
        request,
        ForumForm(request.POST or None, actor=request.user),
        lambda **data: services.create_forum(actor=request.user, **data),
        success=lambda forum: f"{forum.name} has been created.",
        title="Create a regional forum",
        cancel_url=forums_url,
        crumbs=[("Regional forums", forums_url), ("Create", None)],
    )


def forum_edit(request, pk):
    forum = get_visible_or_404(queries.forum_detail(request.user), request.user, pk=pk)
    require(request.user, "authorities.change_regionalforum", forum)
    initial = {
        "region": forum.region_id,
        "name": forum.name,
        "chair": forum.chair_id,
        "members": [m.pk for m in forum.members.all()],
        "partners": [p.pk for p in forum.partners.all()],
    }
    return _forum_page(
        request,
        ForumForm(request.POST or None, actor=request.user, initial=initial),
        lambda **data: services.update_forum(actor=request.user, forum=forum, **data),
        success=lambda saved: f"{saved.name} has been updated.",
        title=f"Edit {forum.name}",
        cancel_url=forum.get_absolute_url(),
        crumbs=[
            ("Regional forums", reverse("authorities:forum_list")),
            (forum.name, forum.get_absolute_url()),
            ("Edit", None),
        ],
    )
