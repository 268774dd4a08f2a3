"""Add the demo cast and sample data (refused when DJANGO_ENV=production); idempotent.

Each app may contribute a ``demo.py`` with ``seed(users, stdout)``; they run in dependency order
after the cast. Run ``seed_reference`` first.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from authorities.models import LocalAuthority
from demo import onboarding
from demo.cast import CAST, DEMO_TWO_FACTOR_EMAILS, seed_cast, seed_two_factor
from search.index import rebuild as rebuild_search_index
from search.index import suspended as search_index_suspended

DEMO_SOURCES = ("authorities", "providers", "plans", "meetings", "improvement")


class Command(BaseCommand):
    help = "Add the demo users, plans and meetings (not in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo is refused when DJANGO_ENV=production: demo users have a known password.")
        if not LocalAuthority.objects.filter(name="Newcastle upon Tyne").exists():
            raise CommandError("Load the reference data first: python manage.py seed_reference")
        # The search index is rebuilt once at the end (some of the demo is inserted in bulk, which
        # sends no signals), rather than kept current row by row.
        with transaction.atomic(), search_index_suspended():
            users = seed_cast()
            seed_two_factor(users)
            for app in DEMO_SOURCES:
                try:
                    demo = import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                demo.seed(users, self.stdout)
            onboarding.seed(users, self.stdout)
            rebuild_search_index()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000 with:"))
        width = max(len(p.email) for p in CAST)
        for person in CAST:
            self.stdout.write(f"  {person.email:<{width}}  {person.role:<16}  password: {settings.DEMO_PASSWORD}")
        self.stdout.write(
            f"  {' and '.join(DEMO_TWO_FACTOR_EMAILS)} also need a two-factor code: python manage.py demo_totp <email>"
        )
