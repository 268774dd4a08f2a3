"""``highlight``: a snippet with its matched words marked, the rest escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..index import START, STOP

register = template.Library()


@register.filter
def highlight(text):
    """Escape the snippet, then turn the index's marks into ``<mark>`` (each opened one closed)."""
    html, open_mark = [], False
    for piece in str(text or "").replace(STOP, START).split(START):
        html.append(escape(piece))
        html.append("</mark>" if open_mark else '<mark class="app-search-mark">')
        open_mark = not open_mark
    html.pop()
    if not open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 - every piece is escaped
