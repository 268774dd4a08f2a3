"""Server-rendered, accessible SVG bar charts for the analysis pages (and PDFs).

A chart is plain SVG markup: ``role="img"`` named by its ``<title>`` and described by its ``<desc>``
(which lists every value, so a screen reader gets the data); each bar carries its label and value as
text, so nothing depends on colour; no script, no inline style, so it prints and passes the CSP.
"""

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

BAR_COLOUR = "#1d70b8"  # GOV.UK blue; meaning is carried by the text labels, never the colour
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"


def _attr(value):
    return escape(str(value), {'"': "&quot;"})


def _number(value):
    value = Decimal(value or 0)
    return f"{int(value):,}" if value == value.to_integral() else f"{value:,.1f}"


def _truncate(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(chart_id, title, rows, *, unit="", prefix="", description="", width=640, label_width=260, limit=12):
    """A horizontal bar chart of ``rows`` [(label, value)], largest first as given.

    ``chart_id`` must be unique on the page (it names the title and desc ids). Only the first
    ``limit`` rows are drawn; the description says so, and the data table beside it has them all.
    """
    shown = [(str(label), Decimal(value or 0)) for label, value in rows[:limit]]
    bar_height, gap, top, bottom = 22, 8, 10, 10
    height = top + bottom + max(len(shown), 1) * (bar_height + gap)
    value_width = 110
    plot_width = width - label_width - value_width
    peak = max((v for _, v in shown), default=Decimal(0)) or Decimal(1)

    def fmt(v):
        return f"{prefix}{_number(v)}{(' ' + unit) if unit else ''}"

    parts = [f"{label}: {fmt(v)}" for label, v in shown]
    desc = description or f"Bar chart of {title.lower()}."
    if shown:
        desc += " " + "; ".join(parts) + "."
    else:
        desc += " There is no data to show."
    if len(rows) > limit:
        desc += f" The chart shows the first {limit} of {len(rows)}; the table has them all."

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{_attr(chart_id)}" role="img" '
        f'aria-labelledby="{_attr(title_id)} {_attr(desc_id)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" font-family="arial, sans-serif" font-size="14">',
        f'<title id="{_attr(title_id)}">{escape(title)}</title>',
        f'<desc id="{_attr(desc_id)}">{escape(desc)}</desc>',
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - bottom + 4}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    if not shown:
        out.append(
            f'<text x="{label_width + 8}" y="{top + bar_height - 6}" fill="{TEXT_COLOUR}">No data for this period</text>'
        )
    for i, (label, value) in enumerate(shown):
        y = top + i * (bar_height + gap)
        bar = int(plot_width * value / peak) if value > 0 else 0
        out.append("<g>")
        out.append(
            f'<text x="{label_width - 8}" y="{y + bar_height - 6}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(_truncate(label, 34))}</text>"
        )
        out.append(f'<rect x="{label_width}" y="{y}" width="{max(bar, 1)}" height="{bar_height}" fill="{BAR_COLOUR}"/>')
        out.append(
            f'<text x="{label_width + max(bar, 1) + 6}" y="{y + bar_height - 6}" fill="{TEXT_COLOUR}" '
            f'font-weight="bold">{escape(fmt(value))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped
