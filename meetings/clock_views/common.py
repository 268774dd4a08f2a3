"""What the pages of the protocol's clocks share."""

from django.shortcuts import render
from django.urls import reverse


def crumbs(*items):
    """Meetings › items…: each a (text, url) pair, the last with url None."""
    return [("Meetings", reverse("meetings:list")), *items]


def form_page(
    request, form, *, title, crumbs=None, caption=None, lead=None, cancel_url=None, template="form_page.html", **context
):
    """The one-form page (``form_page.html``): breadcrumbs, error summary, caption, title, lead, the
    form and a Cancel link."""
    page = {"form": form, "title": title, "crumbs": crumbs, "caption": caption, "lead": lead, "cancel_url": cancel_url}
    return render(request, template, {**page, **context})
