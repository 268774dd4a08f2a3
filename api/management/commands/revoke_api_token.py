"""``manage.py revoke_api_token PREFIX`` (the first characters shown when it was issued) or
``--email EMAIL`` (every token of that person): the tokens stop working at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.models import ApiToken
from api.services import revoke_api_token


class Command(BaseCommand):
    help = "Revoke an API token by its prefix, or every token of a person with --email."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", nargs="?", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, prefix: str, email: str, **options: Any) -> None:
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if prefix:
            tokens = tokens.filter(prefix=prefix)
        elif email:
            tokens = tokens.filter(user__email__iexact=email.strip())
        else:
            raise CommandError("Name the token's prefix, or a person with --email")
        revoked = [revoke_api_token(actor=None, token=token) for token in tokens]
        if not revoked:
            raise CommandError("No unrevoked token matches")
        for token in revoked:
            self.stdout.write(f"Revoked {token.prefix}… of {token.user.email}")
