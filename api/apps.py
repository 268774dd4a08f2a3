"""The read-only API (``/api/v1/``, Django REST framework) and the open data export."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API and open data"
