"""People: the custom User (email login), roles, organisation membership and the shared permission rules."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import audit, two_factor  # noqa: F401  (connect the audit log's and 2FA's signal receivers)
