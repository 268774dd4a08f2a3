"""Plan queries: the rows of the Annex 2 table as the page shows them, with every link and action
worked out here once per page rather than by template tags in every cell.

``table_rows(user, jisp, priorities, may)`` turns the prefetched priorities (``drafting.prefetch_rows``)
into ``Row`` objects that ``plans/drafting/_priority_row.html`` prints without a tag or an include:
a 200-row draft page renders in a fraction of the time the per-cell tags took. Permissions are
evaluated once per page: the offer rules (``plans.rules``) depend only on the plan's authority, which
is the same on every row, and the offer's provider, so each answer is kept per provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.utils.text import Truncator

from accounts.permissions import can
from core.working_days import london_date

from ..urls_cache import pk_reverser
from .offers import is_overdue, offer_actions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from accounts.models import User

    from ..models import JISP, Need, Offer, Priority

#: The colour of an offer's status tag (``plans/offers/_status_tag.html`` on the other pages).
STATUS_TAG_CLASS = {
    "invited": "govuk-tag--blue",
    "submitted": "govuk-tag--yellow",
    "challenged": "govuk-tag--orange",
    "accepted": "govuk-tag--green",
}


@dataclass
class NeedRow:
    need: Need
    short: str  # the description cut to 60 characters, for the links' hidden text
    edit_url: str = ""
    remove_url: str = ""
    comment_url: str = ""


@dataclass
class OfferRow:
    offer: Offer
    url: str  # the offer's page
    tag_class: str
    need_short: str  # the need's description cut to 80 characters
    overdue: bool
    actions: list[dict[str, str]]
    status_label: str  # offer.get_status_display(), from the page's table of labels
    delivery_label: str  # offer.get_delivery_status_display(), likewise
    comment_url: str = ""
    delivery_url: str = ""  # an approved or superseded plan's: the offer's delivery page


@dataclass
class Row:
    priority: Priority
    first: bool
    last: bool
    needs: list[NeedRow]
    offers: list[OfferRow]
    indicators: list[Any]
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def span(self) -> int:
        return len(self.offers)

    @property
    def cells(self) -> list[OfferRow | None]:
        """The offers, or one empty cell ("No offers of support yet") for a row without any."""
        return list(self.offers) or [None]

    @property
    def moves(self) -> bool:
        return not (self.first and self.last)


@lru_cache(maxsize=4096)
def _short(text: str, length: int) -> str:
    """``text|truncatechars:length`` (remembered: a need's text is cut for each of its offers)."""
    return Truncator(text).chars(length)


def _labels(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """A field's ``get_FOO_display`` for the page, each label turned into text once."""
    return {value: str(label) for value, label in choices}


class _Allowed:
    """``can(user, perm, offer)`` remembered per permission and provider for one plan's page."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.seen: dict[tuple[str, int | None], bool] = {}

    def __call__(self, perm: str, offer: Offer) -> bool:
        key = (perm, offer.provider_id)
        if key not in self.seen:
            self.seen[key] = can(self.user, perm, offer)
        return self.seen[key]


def _prime(priority: Priority, jisp: JISP) -> None:
    """Point the priority at the plan in hand, so the rules find the authority without a query."""
    if priority.jisp_id == jisp.pk:
        priority._state.fields_cache["jisp"] = jisp


def table_rows(user: User, jisp: JISP, priorities: Sequence[Priority], may: dict[str, bool]) -> list[Row]:
    """The rows of the Annex 2 table; ``priorities`` as ``drafting.prefetch_rows`` loads them. For the
    htmx row partial, pass the one priority with ``bounds=(first, last)`` through ``table_row``."""
    page = _Page(user, jisp, may, invite=_invite_check(user, jisp, priorities))
    count = len(priorities)
    return [_row(page, p, first=i == 0, last=i == count - 1) for i, p in enumerate(priorities)]


def table_row(user: User, jisp: JISP, priority: Priority, may: dict[str, bool], *, first: bool, last: bool) -> Row:
    """One row (the htmx partial after a priority is saved)."""
    return _row(_Page(user, jisp, may, invite=_invite_check(user, jisp, [priority])), priority, first=first, last=last)


def _invite_check(user: User, jisp: JISP, priorities: Sequence[Priority]) -> bool:
    """Whether the user may invite providers on this plan's rows (one check for the page)."""
    if not jisp.is_editable or not priorities:
        return False
    _prime(priorities[0], jisp)
    return can(user, "plans.invite_offer", priorities[0])


class _Page:
    """What every row of one page shares: the user, the plan, the page's permissions, today, the
    remembered offer rules and the status labels."""

    def __init__(self, user: User, jisp: JISP, may: dict[str, bool], *, invite: bool) -> None:
        from ..models import Offer

        self.user, self.jisp, self.may, self.invite = user, jisp, may, invite
        self.today = london_date()
        self.url = pk_reverser()
        self.allowed = _Allowed(user)
        self.status_labels = _labels(Offer.Status.choices)
        self.delivery_labels = _labels(Offer.DeliveryStatus.choices)


def _priority_urls(page: _Page, pk: int, comment: str) -> dict[str, str]:
    """The priority cell's links the user may follow (``comment``: the plan's comment page, or "")."""
    may, jisp = page.may, page.jisp
    urls = {}
    if may["can_edit"]:
        urls["edit"] = page.url("plans:priority_edit", pk)
        urls["remove"] = page.url("plans:priority_remove", pk)
        urls["move"] = page.url("plans:priority_move", pk)
        if jisp.version > 1 and jisp.status == "draft":
            urls["remove_accepted"] = page.url("plans:priority_remove_accepted", pk)
    if comment:
        urls["comment"] = f"{comment}?priority={pk}"
    if may["can_propose"]:
        urls["need_add"] = page.url("plans:need_add", pk)
    if page.invite:
        urls["invite"] = page.url("plans:invite", pk)
    if may["can_write_notes"]:
        urls["notes"] = page.url("plans:priority_notes", pk)
    return urls


def _row(page: _Page, priority: Priority, *, first: bool, last: bool) -> Row:
    user, jisp, may = page.user, page.jisp, page.may
    _prime(priority, jisp)
    comment = page.url("plans:comment_add", jisp.pk) if may["can_comment"] else ""
    urls = _priority_urls(page, priority.pk, comment)
    published = jisp.status in ("approved", "superseded")
    needs = []
    for need in priority.need_list:  # type: ignore[attr-defined]
        row = NeedRow(need=need, short=_short(need.description, 60))
        if may["can_edit"]:
            row.edit_url = page.url("plans:need_edit", need.pk)
            row.remove_url = page.url("plans:need_remove", need.pk)
        if comment:
            row.comment_url = f"{comment}?need={need.pk}"
        needs.append(row)
    offers = []
    for offer in priority.offer_list:  # type: ignore[attr-defined]
        offer._state.fields_cache["priority"] = priority
        offers.append(
            OfferRow(
                offer=offer,
                url=page.url("plans:offer_detail", offer.pk),
                tag_class=STATUS_TAG_CLASS.get(offer.status, "govuk-tag--grey"),
                need_short=_short(offer.need.description, 80) if offer.need is not None else "",
                overdue=is_overdue(offer, page.today),
                actions=offer_actions(offer, user, allowed=page.allowed),
                status_label=page.status_labels.get(offer.status, offer.status),
                delivery_label=page.delivery_labels.get(offer.delivery_status, offer.delivery_status),
                comment_url=f"{comment}?offer={offer.pk}" if comment else "",
                delivery_url=page.url("plans:offer_delivery", offer.pk) if published else "",
            )
        )
    return Row(
        priority=priority,
        first=first,
        last=last,
        needs=needs,
        offers=offers,
        indicators=priority.indicator_list,  # type: ignore[attr-defined]
        urls=urls,
    )
