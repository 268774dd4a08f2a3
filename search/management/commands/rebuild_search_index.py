"""``manage.py rebuild_search_index [--kind KIND ...]``: rewrite the search index from the current
rows (after a bulk load, a restore, or to mend it). Saves keep it current on their own."""

from time import perf_counter

from django.core.management.base import BaseCommand

from search.index import rebuild
from search.models import SearchEntry


class Command(BaseCommand):
    help = "Rewrite the search index (every kind, or those named) from the current rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=SearchEntry.Kind.values,
            help="rebuild only this kind (repeatable)",
        )

    def handle(self, *args, kind=None, **options):
        started = perf_counter()
        counts = rebuild(kind)
        for name, count in counts.items():
            self.stdout.write(f"{SearchEntry.Kind(name).label}: {count:,} entries")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt in {perf_counter() - started:.1f} s"))
