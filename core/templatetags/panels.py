"""``{% render_panel panel %}``: a panel of ``core.panels`` rendered with its own context."""

from django import template
from django.template import Context
from django.template.loader import render_to_string

from core.panels import Panel

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: Context, panel: Panel) -> str:
    return render_to_string(panel.template, {"panel": panel, **panel.context}, request=context.get("request"))
