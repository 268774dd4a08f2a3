"""Hooks: a lower app asks the apps above it, or tells them something happened, without importing
them (``accounts`` never imports ``plans`` or ``meetings``).

An app answers by defining, in its ``hooks`` module, a function named after the hook. ``call(hook,
**kwargs)`` calls every app's function in the order of ``HOOK_SOURCES`` and returns their answers.

Hooks in use:

- ``user_deactivated(user, actor)``: an account was switched off (``accounts.services.
  deactivate_user``); e.g. meetings revokes the user's calendar feed. Called inside the service's
  transaction, so a failure undoes the deactivation too.
- ``providers_invited_by(user) -> iterable of provider ids``: the providers a CSA has invited to
  offer support on the plans of the authorities they lead (they may invite those providers' advisers
  to the portal).
- ``csas_who_invited(provider_id) -> iterable of user ids``: who invited the provider to offer (told
  when someone from it asks for access).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

HOOK_SOURCES = ("plans", "meetings", "improvement", "search", "api")


def call(hook: str, **kwargs: Any) -> list[Any]:
    answers = []
    for app in HOOK_SOURCES:
        try:
            module = import_module(f"{app}.hooks")
        except ModuleNotFoundError as missing:
            if missing.name in (app, f"{app}.hooks"):
                continue  # the app is not installed, or answers no hooks
            raise
        function = getattr(module, hook, None)
        if function is not None:
            answers.append(function(**kwargs))
    return answers
