"""``python manage.py import_bank_holidays PATH``: make GOV.UK's ``bank-holidays.json`` the calendar
of record (a new ``BankHolidaySnapshot``) and move the open deadlines it changes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.errors import ServiceError
from meetings.closures import import_bank_holidays, snapshot_diff


class Command(BaseCommand):
    help = "Import GOV.UK's bank-holidays.json (England and Wales) as the calendar of record."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the bank-holidays.json file GOV.UK publishes")
        parser.add_argument("--as", dest="email", help="the administrator recorded as importing it")

    def handle(self, *args, path, email=None, **options):
        try:
            content = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        actor = None
        if email:
            actor = User.objects.filter(email__iexact=email, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {email}")
        try:
            snapshot, moves = import_bank_holidays(actor=actor, content=content)
        except ServiceError as error:
            raise CommandError(error.message) from None
        first, last = snapshot.years
        self.stdout.write(
            f"Imported {len(snapshot.events)} England and Wales bank holidays, {first} to {last} "
            f"(SHA-256 {snapshot.sha256})."
        )
        diff = snapshot_diff(snapshot)
        for day, title in diff["added"]:
            self.stdout.write(f"  Not in the holidays package: {day:%d %B %Y} {title}")
        for day, title in diff["missing"]:
            self.stdout.write(f"  Only in the holidays package: {day:%d %B %Y} {title}")
        self.stdout.write(f"{len(moves)} open deadline{'s' if len(moves) != 1 else ''} moved.")
