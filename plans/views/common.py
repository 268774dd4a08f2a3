"""What the plan pages share: finding a plan (or a row of one) among those the user may see, the
breadcrumbs of a page inside a plan, and the two pages an action on a plan is shown on — the
drafting form page and the confirmation page."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.permissions import get_visible_or_404, require
from core.actions import form_page, posted, submit

from ..forms.workflow import ConfirmForm
from ..models import JISP
from ..queries import drafting as q

PLAN_QS = q.plan_base()


def plan_crumbs(jisp, *labels):
    """Plans › <the plan> › labels…: every label but the last is a (text, url) pair or a text."""
    crumbs = [("Plans", reverse("plans:list")), (str(jisp), jisp.get_absolute_url() if labels else None)]
    return crumbs + [(label, None) if isinstance(label, str) else label for label in labels]


def get_plan(request, pk, perm=None):
    """The plan, among those the user may see (404 otherwise); with ``perm``, if the user may do that
    to it (403 otherwise)."""
    jisp = get_visible_or_404(PLAN_QS, request.user, pk=pk)
    if perm:
        require(request.user, perm, jisp)
    return jisp


def get_part(queryset, request, pk, plan_path):
    """A part of a plan (a priority, a need, an area of good practice…) whose plan the user may see,
    found through ``plan_path`` (404 otherwise)."""
    visible = JISP.objects.visible_to(request.user).values("pk")
    return get_object_or_404(queryset, pk=pk, **{f"{plan_path}__in": visible})


def row_url(jisp, anchor):
    """The Annex 2 page at one of its rows or sections."""
    return f"{jisp.get_absolute_url()}#{anchor}"


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def drafting_page(request, form, *, jisp, title, cancel_url, latest=None, lead=None, allowed=True, partial=None):
    """A drafting form page (``plans/drafting/form.html``: the latest version after a stale save, no
    form when the plan cannot change), or with htmx the ``partial`` (template, context) — a row."""
    context = {"jisp": jisp, "latest": latest, "allowed": allowed}
    template = "plans/drafting/form.html"
    if partial and is_htmx(request):
        template = partial[0]
        context.update(partial[1])
    return form_page(
        request,
        form,
        title=title,
        caption=str(jisp),
        lead=lead,
        crumbs=plan_crumbs(jisp, title),
        cancel_url=cancel_url,
        template=template,
        **context,
    )


def confirm_page(
    request,
    form,
    *,
    jisp,
    title,
    allowed,
    lead=None,
    cancel_url=None,
    crumb=None,
    template="plans/workflow/confirm.html",
    **context,
):
    """A confirmation on a plan (``plans/workflow/confirm.html``, or ``template``): the plan's status
    and people, what the action does, and the button when ``allowed``; ``crumb`` names the page in
    the breadcrumbs when its title is too long."""
    return form_page(
        request,
        form,
        title=title,
        lead=lead,
        crumbs=plan_crumbs(jisp, crumb or title),
        cancel_url=cancel_url or jisp.get_absolute_url(),
        template=template,
        jisp=jisp,
        allowed=allowed,
        **context,
    )


def confirm_action(request, form, perform, *, jisp, success, then=None, **page):
    """Perform an action on a plan from its confirmation page (``confirm_page`` with ``page``): done,
    on to ``then`` (the plan by default) with the ``success`` banner."""
    outcome = submit(request, form, perform, success=success, then=then or jisp)
    return outcome.response or confirm_page(request, outcome.form, jisp=jisp, **page)


def drafting_action(request, form, perform, *, jisp, success, then, respond=None, on_stale=None, **page):
    """Perform a drafting action from its form page (``drafting_page`` with ``page``): done, on to
    ``then`` with the ``success`` banner (or ``respond``: an htmx row); a stale save shows the form
    again with the latest version (``on_stale``)."""
    outcome = submit(request, form, perform, success=success, then=then, respond=respond, on_stale=on_stale)
    return outcome.response or drafting_page(request, outcome.form, jisp=jisp, latest=outcome.latest, **page)


def confirm_removal(request, *, jisp, button, remove, done, done_url, **page):
    """A removal's confirmation page: on a confirmed POST call ``remove()`` (a service), then show
    ``done`` on the page at ``done_url``; a refusal is shown on the form."""
    require(request.user, "plans.change_jisp", jisp)
    form = ConfirmForm(posted(request), button=button, warning=True)
    return confirm_action(request, form, lambda data: remove(), jisp=jisp, success=done, then=done_url, **page)
