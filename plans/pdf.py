"""The signed-off JISP as a PDF (WeasyPrint): A4 landscape, the Annex 2 header block and table with
accepted offers only, totals per provider, good practice, the authority's own support, deployment plans and the approval block.

All user text goes through Django's autoescaping; the footer string is escaped for CSS."""

import gc
import logging
import re
from contextlib import contextmanager

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .queries.workflow import annex2_rows, provider_totals

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# fontTools (which subsets the embedded fonts when HarfBuzz's subsetter is not installed) logs every
# table and glyph list at INFO: dozens of long lines per PDF in the worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def css_string(text):
    """Text as the inside of a CSS string: quotes, backslashes and angle brackets escaped."""
    text = re.sub(r"\s+", " ", str(text))
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe("".join(out))  # noqa: S308 - every special character is escaped above


def pdf_context(jisp):
    rows = annex2_rows(jisp, accepted_only=True)
    totals, overall = provider_totals(rows)
    authority = jisp.authority
    return {
        "jisp": jisp,
        "authority": authority,
        "region": authority.region,
        "dcs": authority.dcs,
        "csa": jisp.csa or authority.csa,
        "rows": rows,
        "totals": totals,
        "overall": overall,
        "good_practice": list(jisp.good_practice.all()),
        "deployment_plans": list(jisp.deployment_plans.select_related("provider").order_by("provider__name")),
        "own_support": list(jisp.own_support.all()),
        "footer": css_string(f"{authority} JISP {jisp.period} version {jisp.version}"),
    }


def render_jisp_html(jisp):
    return render_to_string("plans/pdf/jisp.html", pdf_context(jisp))


@contextmanager
def cyclic_gc_paused():
    """Python's cyclic garbage collector off for the duration. WeasyPrint makes hundreds of thousands
    of long-lived objects (boxes, styles) while it lays a plan out, and each of them sets off more
    collections that walk the whole heap, to free almost nothing: about a fifth of a render's CPU.
    The few megabytes of cycles a render leaves are collected as usual once it is switched back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_jisp_pdf_bytes(jisp):
    from weasyprint import HTML

    html = render_jisp_html(jisp)
    with cyclic_gc_paused():
        return HTML(string=html, base_url=None).write_pdf()
