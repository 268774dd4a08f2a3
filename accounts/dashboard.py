"""Each role's dashboard is made of panels that the apps contribute.

An app contributes by defining ``dashboard_panels(user) -> list[Panel]`` in its ``queries.py``; the
panels are shown in the order of ``PANEL_SOURCES``. A panel names the template that renders it and
the context it needs, so each app keeps its own reads and its own markup.
"""

from dataclasses import dataclass, field
from importlib import import_module

PANEL_SOURCES = ("plans", "meetings", "providers", "authorities")


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def panels_for(user):
    panels = []
    for app in PANEL_SOURCES:
        try:
            queries = import_module(f"{app}.queries")
        except ModuleNotFoundError:
            continue
        source = getattr(queries, "dashboard_panels", None)
        if source:
            panels.extend(source(user))
    return sorted(panels, key=lambda p: p.order)
