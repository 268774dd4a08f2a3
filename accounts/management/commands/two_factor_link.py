"""``manage.py two_factor_link EMAIL``: email (and print) a one-time link to set up two-factor
sign-in — for the first administrator of a new installation, who has nobody to send them one, or
for anyone whose administrator cannot reach the People pages. Any device they had is removed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import send_two_factor_link
from core.errors import ServiceError


class Command(BaseCommand):
    help = "Email and print a one-time link to set up two-factor sign-in for EMAIL (removes any device they had)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}")
        try:
            link = send_two_factor_link(actor=None, user=user)
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Sent to {user.email}. The link works once, for 72 hours:\n{link}")
