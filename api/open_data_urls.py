"""``/open-data/``: the national analyst's page of the open data export."""

from django.urls import path

from . import pages

app_name = "open_data"

urlpatterns = [
    path("", pages.index, name="index"),
    path(pages.ZIP_NAME, pages.download, name="download"),
]
