"""What the improvement pages share: breadcrumbs and the form page."""

from django.shortcuts import render
from django.urls import reverse


def crumbs(*labels):
    """Sector-led improvement › labels…: (text, url) pairs or texts (the last without a link)."""
    items = [("Sector-led improvement", reverse("improvement:index"))]
    return items + [(label, None) if isinstance(label, str) else label for label in labels]


def sa_crumbs(self_assessment, *labels):
    label = f"Self-assessment {self_assessment.year}"
    return crumbs(
        (str(self_assessment.authority), self_assessment.authority.get_absolute_url()),
        (label, self_assessment.get_absolute_url()) if labels else label,
        *labels,
    )


def challenge_crumbs(challenge, *labels):
    label = f"Peer challenge, {challenge.starts_on:%B %Y}"
    return crumbs(
        (str(challenge.authority), challenge.authority.get_absolute_url()),
        (label, challenge.get_absolute_url()) if labels else label,
        *labels,
    )


def form_page(request, form, *, title, caption="", crumbs, cancel_url, lead="", allowed=True, not_allowed="", **extra):
    """A one-form page: caption, title, what it does, the form (or why it cannot be used now), and a
    way back."""
    return render(
        request,
        extra.pop("template", "improvement/form.html"),
        {
            "form": form,
            "title": title,
            "caption": caption,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "lead": lead,
            "allowed": allowed,
            "not_allowed": not_allowed,
            **extra,
        },
    )
