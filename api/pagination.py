"""Cursor pagination: stable pages however rows are added while a caller walks them."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
