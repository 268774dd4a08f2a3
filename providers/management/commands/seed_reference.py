"""Load regions, local authorities, National Indicators and providers from the CSVs in the apps.

Idempotent (a second run updates in place) and atomic: a malformed row stops it with the file, line
and reason, and nothing is loaded.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from authorities.reference import (
    ReferenceDataError,
    load_local_authorities,
    load_national_indicators,
    load_regions,
)
from providers.reference import load_providers


class Command(BaseCommand):
    help = "Load the reference data (regions, local authorities, National Indicators, providers)."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                results = [
                    ("Regions", load_regions()),
                    ("Local authorities", load_local_authorities()),
                    ("National Indicators", load_national_indicators()),
                    ("Providers", load_providers()),
                ]
        except ReferenceDataError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for label, result in results:
            self.stdout.write(f"{label}: {result}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
