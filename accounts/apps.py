"""People: the custom User (email login), roles, organisation membership and the shared permission rules."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connect the signal receivers: the audit log, 2FA, credential-change emails, sessions.
        from . import audit, credentials, sessions, two_factor  # noqa: F401
