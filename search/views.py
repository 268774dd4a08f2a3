"""The search results page (docs/architecture.md, Search). Read-only: a GET form."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import paginate

from . import queries
from .forms import SearchForm
from .models import SearchEntry


@require_GET
def results(request):
    form = SearchForm(request.GET or None, user=request.user)
    form.is_valid()
    filters = form.filters() if form.is_bound else {}
    query = filters.get("q") or ""
    kind = filters.get("kind") or ""
    found = queries.search(
        request.user,
        query,
        kinds=[kind] if kind else None,
        authority=filters.get("authority"),
        period=filters.get("period") or "",
        status=filters.get("status") or "",
    )
    page_obj, query_string = paginate(request, found.pages([kind] if kind else None))
    queries.add_snippets(page_obj.object_list, found.terms)
    params = request.GET.copy()
    for name in ("page", "kind"):
        params.pop(name, None)
    kinds = [
        {"value": value, "label": label, "count": found.counts.get(value, 0), "current": value == kind}
        for value, label in SearchEntry.Kind.choices
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "kinds": kinds,
            "total": found.total,
            "kind_query": params.urlencode(),
            "page_obj": page_obj,
            "query_string": query_string,
            "crumbs": [("Search", None)],
        },
    )
