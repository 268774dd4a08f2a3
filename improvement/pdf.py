"""The final letter of a peer challenge as a PDF (WeasyPrint): A4 portrait, addressed to the DCS, the
letter itself, the team's findings area by area beside the authority's own judgement, the
authority's response, the team and the days each gave.

All user text goes through Django's autoescaping; the footer string is escaped for CSS."""

import logging

from django.template.loader import render_to_string
from django.utils import timezone

from plans.pdf import css_string

from .models import PeerChallengeMember
from .queries import finding_rows

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def letter_context(challenge):
    authority = challenge.authority
    return {
        "challenge": challenge,
        "authority": authority,
        "region": authority.region,
        "dcs": authority.dcs,
        "rows": finding_rows(challenge),
        "team": list(
            challenge.members.filter(status=PeerChallengeMember.Status.ACCEPTED)
            .select_related("user", "authority")
            .order_by("invited_at", "pk")
        ),
        "issued_on": timezone.localtime(challenge.letter_issued_at).date() if challenge.letter_issued_at else None,
        "footer": css_string(f"Peer challenge of {authority}, {challenge.starts_on:%B %Y}"),
    }


def render_letter_html(challenge):
    return render_to_string("improvement/pdf/letter.html", letter_context(challenge))


def render_letter_pdf_bytes(challenge):
    from weasyprint import HTML

    return HTML(string=render_letter_html(challenge), base_url=None).write_pdf()
