"""``{% pk_url "plans:need_edit" need.pk %}``: the ``{% url %}`` of a one-pk URL, cheap enough for
every row of a 200-row Annex 2 page (see plans.urls_cache)."""

from django import template

from plans.urls_cache import pk_reverse

register = template.Library()


@register.simple_tag
def pk_url(name, pk):
    return pk_reverse(name, pk)
