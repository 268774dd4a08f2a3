"""Joint Improvement Support Plans: the Annex 2 rows, offers, decisions, versions and the signed-off PDF."""

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self):
        from . import table_cache

        table_cache.connect()
