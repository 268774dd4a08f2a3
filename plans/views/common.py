"""What the plan pages share: the breadcrumbs of a page inside a plan."""

from django.urls import reverse


def plan_crumbs(jisp, *labels):
    """Plans › <the plan> › labels…: every label but the last is a (text, url) pair or a text."""
    crumbs = [("Plans", reverse("plans:list")), (str(jisp), jisp.get_absolute_url() if labels else None)]
    return crumbs + [(label, None) if isinstance(label, str) else label for label in labels]
