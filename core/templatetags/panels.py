"""``{% render_panel panel %}``: a panel of ``core.panels`` rendered with its own context."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context, panel):
    return render_to_string(panel.template, {"panel": panel, **panel.context}, request=context.get("request"))
