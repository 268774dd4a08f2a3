"""Print the current two-factor code of a demo user's authenticator (refused in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.two_factor import confirmed_device, current_code


class Command(BaseCommand):
    help = "Print the current 6-digit two-factor code for a user (demo and development only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp is refused when DJANGO_ENV=production: codes come from the user's phone.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {email}")
        device = confirmed_device(user)
        if device is None:
            raise CommandError(f"{user.email} has not set up two-factor sign-in")
        self.stdout.write(current_code(device))
