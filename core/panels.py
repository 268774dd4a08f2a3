"""Panel registries: pages made of parts that other apps contribute.

A page that shows a sibling app's data (each role's dashboard, an authority's page, a forum's page)
asks the registry instead of importing the sibling, so ``authorities`` and ``providers`` never import
``plans`` or ``meetings``. An app contributes by defining, in its ``queries`` module (a module or a
package), a function named after the page:

- ``dashboard_panels(user) -> list[Panel]``
- ``authority_panels(user, authority) -> list[Panel]``
- ``forum_panels(user, forum) -> list[Panel]``

Panels are shown in ``order``, then in the order of ``PANEL_SOURCES``. A panel names the template
that renders it and the context it needs, so each app keeps its own reads and its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

PANEL_SOURCES = ("plans", "meetings", "improvement", "providers", "authorities")


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def collect(hook: str, *args: Any) -> list[Panel]:
    """Every app's panels for the page ``hook`` (e.g. ``"authority_panels"``), in order."""
    panels: list[Panel] = []
    for app in PANEL_SOURCES:
        try:
            queries = import_module(f"{app}.queries")
        except ModuleNotFoundError as missing:
            if missing.name in (app, f"{app}.queries"):
                continue  # the app is not installed, or contributes no panels
            raise
        source = getattr(queries, hook, None)
        if source:
            panels.extend(source(*args))
    return sorted(panels, key=lambda p: p.order)


def panels_for(user: AbstractBaseUser | AnonymousUser) -> list[Panel]:
    """The signed-in user's dashboard."""
    return collect("dashboard_panels", user)
