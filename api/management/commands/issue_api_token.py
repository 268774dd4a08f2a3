"""``manage.py issue_api_token EMAIL --name NAME [--days N]``: issue an API token to a person and print
it once (only its SHA-256 is stored). Administrators can do the same in the admin (API tokens)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.services import issue_api_token
from core.errors import ServiceError


class Command(BaseCommand):
    help = "Issue an API token to the person with EMAIL and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", required=True, help="What the token is for (the system or analysis using it).")
        parser.add_argument("--days", type=int, default=None, help="How many days it works (default 90).")

    def handle(self, *args: Any, email: str, name: str, days: int | None, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email address {email}")
        try:
            token, key = issue_api_token(actor=None, user=user, name=name, days=days)
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Token {token.prefix}… for {user.email}, until {token.expires_at:%d %B %Y}. "
            "Copy it now: it is not stored and will not be shown again.\n" + key
        )
