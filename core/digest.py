"""The daily digest: one email a day per person listing everything due, overdue or waiting on them,
made of items that each app contributes.

Reminders go out as the person chooses (``User.reminder_emails``): ``IMMEDIATE`` (one email per
reminder, as it happens) or ``DIGEST`` (the default: nothing as it happens, one digest at 07:00
Europe/London on working days). Sweeps ask ``sends_immediately(user)`` before emailing a reminder.
Escalations to a GO director are always immediate.

The contract, for any app that has something waiting on people:

    # <app>/queries.py (a module or a package)
    def digest_items(users, today) -> Iterable[DigestItem]:
        ...

``users`` maps user id -> User (active, and wanting the digest); ``today`` is the Europe/London date.
A source returns an item per thing waiting on one of those users, and runs a fixed number of
queries however many users and items there are (the digest goes to thousands of people at once). A
source that is not there (the app is not installed, or has nothing to add) is skipped. Sources are
asked in the order of ``DIGEST_SOURCES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

IMMEDIATE = "immediate"
DIGEST = "digest"
CHOICES = [(DIGEST, "One email a day (a digest at 7am on working days)"), (IMMEDIATE, "An email for each reminder")]

#: The apps whose ``queries.digest_items`` contribute, in this order.
DIGEST_SOURCES = ("meetings", "plans", "improvement")

#: What an item's ``state`` may be, most pressing first (the digest lists them in this order).
OVERDUE, DUE, WAITING = "overdue", "due", "waiting"
STATES = (OVERDUE, DUE, WAITING)


@dataclass(frozen=True)
class DigestItem:
    """One thing waiting on one person.

    ``group``: what it is grouped under (the authority's name; "" for none). ``kind``: a short word
    for what it is ("Meeting note", "Offer"). ``title``: what to do, e.g. "Write the draft note of
    KIT with Newcastle". ``state``: OVERDUE, DUE (today or on the next working day) or WAITING.
    ``due``: the due date, if any. ``when``: the due date in words ("due today", "2 working days
    overdue"). ``link``: an absolute URL.
    """

    user_id: int
    group: str
    kind: str
    title: str
    state: str
    link: str
    due: date | None = None
    when: str = ""


def sends_immediately(user: Any) -> bool:
    """Whether ``user`` wants each reminder emailed as it happens (otherwise it waits for the digest)."""
    return getattr(user, "reminder_emails", DIGEST) == IMMEDIATE


def _sources() -> Iterator[Callable[[Mapping[int, Any], date], Iterable[DigestItem]]]:
    for app in DIGEST_SOURCES:
        try:
            queries = import_module(f"{app}.queries")
        except ModuleNotFoundError as missing:
            if missing.name in (app, f"{app}.queries"):
                continue
            raise
        source = getattr(queries, "digest_items", None)
        if source:
            yield source


def collect(users: Mapping[int, Any], today: date) -> dict[int, list[DigestItem]]:
    """Every source's items for ``users``, per user id, most pressing first, then by due date."""
    found: dict[int, list[DigestItem]] = {}
    for source in _sources():
        for item in source(users, today):
            if item.user_id in users:
                found.setdefault(item.user_id, []).append(item)
    rank = {state: i for i, state in enumerate(STATES)}
    for items in found.values():
        items.sort(key=lambda i: (rank.get(i.state, len(STATES)), i.due or date.max, i.group, i.title))
    return found


def grouped(items: Iterable[DigestItem]) -> list[tuple[str, list[DigestItem]]]:
    """``items`` grouped by ``group`` (named groups in alphabetical order, then the ungrouped)."""
    groups: dict[str, list[DigestItem]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    return sorted(groups.items(), key=lambda g: (g[0] == "", g[0]))


__all__ = [
    "CHOICES",
    "DIGEST",
    "DIGEST_SOURCES",
    "DUE",
    "DigestItem",
    "IMMEDIATE",
    "OVERDUE",
    "WAITING",
    "collect",
    "grouped",
    "sends_immediately",
]
