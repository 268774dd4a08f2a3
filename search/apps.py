"""Search: one box in the header over plans, offers, meeting notes, meetings, authorities and
providers, filtered by what each user may see (docs/architecture.md, Search)."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from . import signals

        signals.connect()
