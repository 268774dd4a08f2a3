"""Pagination shared by list pages (``includes/pagination.html``)."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], per_page: int = PAGE_SIZE
) -> tuple[Page[Any], str]:
    """(page_obj, the query string of the filters without ``page``)."""
    page_obj = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page_obj, params.urlencode()
