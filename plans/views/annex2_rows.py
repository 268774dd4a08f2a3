"""The Annex 2 table's rows as HTML: ``templates-jinja2/plans/annex2_rows.html``, rendered by the Jinja2 engine
(core.jinja2) because the Django template language's cost per row made a 200-row draft several times
slower than the admin's list of the same offers (docs/benchmark.md, docs/decisions/0010). The output is
what the Django template printed; the rows come worked out by ``plans.queries.annex2``."""

from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "plans/annex2_rows.html"


def rows_html(request, jisp, rows, may) -> SafeString:
    """The ``<tbody>`` of each row, in order (empty for no rows)."""
    template = engines["jinja2"].get_template(TEMPLATE)
    context = {
        "rows": rows,
        "jisp": jisp,
        "may": may,
        "csrf_input": csrf_input(request),  # one token for the page's forms, as {% csrf_token %} gives
        "language": get_language(),
    }
    return mark_safe(template.template.render(context))  # noqa: S308 - escaped by core.jinja2's finalize
