"""Reading the search index: ``search(user, query, kinds=…)`` (docs/architecture.md, Search).

PostgreSQL: the stored ``tsvector`` against ``websearch_to_tsquery('english', query)`` (quotes for a
phrase, ``or``, ``-word``), ranked, with a highlighted snippet (``ts_headline``) for the rows of the
page shown. SQLite (the embedded default): every word or quoted phrase of the query, ``icontains``,
in the title or the text (and none after a ``-``), and a snippet cut around the first word found.

Either way an entry is found only if its object is in that kind's ``visible_to(user)`` and in a
state the user may see it in (the same rules as the pages): a draft note before it is circulated
only by those who may write it; an offer the provider is revising only as it was last submitted by
the authority; another provider's offer never.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from accounts.models import Role
from authorities.models import LocalAuthority
from meetings.models import Meeting, MeetingNote
from plans.models import JISP, Offer
from providers.models import Provider

from .index import START, STOP, postgres
from .models import SearchEntry

if TYPE_CHECKING:
    from accounts.models import User

K = SearchEntry.Kind
A = SearchEntry.Audience
SNIPPET = 220  # characters of a snippet cut on SQLite
MAX_QUERY = 200


@dataclass
class Results:
    query: str
    #: What was found, ranked, filtered by kind too: a queryset for whoever wants one.
    entries: QuerySet[SearchEntry]
    #: kind → entries found (with the other filters, whatever the kind chosen)
    counts: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    #: (pk, kind) of every entry found, ranked: the one pass over the index and the visibility rules
    ranked: list[tuple[int, str]] = field(default_factory=list)
    #: the entries of a page are read by pk from here (with their snippets on PostgreSQL)
    rows: QuerySet[SearchEntry] = field(default_factory=SearchEntry.objects.none)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def pages(self, kinds: Sequence[str] | None = None) -> Counted:
        """The entries for a paginator: the ranked pks of the kinds chosen, and for the page shown
        one query for their rows (the search is not run again to count or to slice it)."""
        return Counted([pk for pk, kind in self.ranked if not kinds or kind in kinds], self.rows)


class Counted:
    """Ranked pks for a paginator: counted already, each page's rows read by pk, in rank order."""

    ordered = True

    def __init__(self, ids: list[int], rows: QuerySet[SearchEntry]):
        self.ids, self.rows = ids, rows

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: slice) -> list[SearchEntry]:
        ids = self.ids[index]
        by_pk = {entry.pk: entry for entry in self.rows.filter(pk__in=ids)}
        return [by_pk[pk] for pk in ids if pk in by_pk]


def _signed_in(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _ids(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.order_by().values("pk")


def _writable_notes(user: User) -> Q:
    """The notes ``user`` may write (``meetings.write_note``): the author, the meeting's organiser,
    the lead CSA of its authority, an administrator for a forum's own meeting."""
    q = Q(author=user) | Q(meeting__organiser=user)
    if user.role == Role.CSA:
        q |= Q(meeting__authority__csa=user)
    if user.role == Role.ADMIN or user.is_superuser:
        q |= Q(meeting__forum__isnull=False, meeting__authority__isnull=True)
    return q


def visible_entries(user: User) -> QuerySet[SearchEntry]:
    """The entries ``user`` may find, whatever the query."""
    if not _signed_in(user):
        return SearchEntry.objects.none()
    offers = Q(kind=K.OFFER, object_id__in=_ids(Offer.objects.visible_to(user)))
    if user.role in (Role.DCS, Role.LA_OFFICER):
        # The authority finds an offer by what it was sent: while the provider revises it, the text
        # as last submitted.
        offers &= Q(audience=A.SUBMITTED) | Q(
            audience=A.CURRENT, status__in=[Offer.Status.SUBMITTED, Offer.Status.ACCEPTED]
        )
    else:
        offers &= Q(audience=A.CURRENT)
    notes = MeetingNote.objects.visible_to(user).filter(
        ~Q(status=MeetingNote.Status.AWAITING_DRAFT) | _writable_notes(user)
    )
    q = (
        Q(kind=K.PLAN, object_id__in=_ids(JISP.objects.visible_to(user)))
        | offers
        | Q(kind=K.NOTE, object_id__in=_ids(notes))
        | Q(kind=K.MEETING, object_id__in=_ids(Meeting.objects.visible_to(user)))
        | Q(kind=K.AUTHORITY, object_id__in=_ids(LocalAuthority.objects.visible_to(user)))
        | Q(kind=K.PROVIDER, object_id__in=_ids(Provider.objects.visible_to(user)))
    )
    return SearchEntry.objects.filter(q)


TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def terms_of(query: str) -> tuple[list[str], list[str]]:
    """The SQLite fallback's reading of a query, like ``websearch_to_tsquery`` without stemming:
    (the words or quoted phrases an entry must contain, those it must not, after a ``-``).
    ``or`` is read as a word left out: every other term must be there."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for minus, phrase, word_minus, word in TOKEN.findall(query.lower()):
        term = " ".join(phrase.split()) if phrase else word.strip("'’")
        if not term or term in ("or", "and", "-"):
            continue
        (unwanted if (minus or word_minus) else wanted).append(term)
    return wanted[:10], unwanted[:10]


def _matching(entries: QuerySet[SearchEntry], query: str) -> tuple[QuerySet[SearchEntry], list[str]]:
    if postgres():
        tsquery = SearchQuery(query, search_type="websearch", config="english")
        found = entries.filter(vector=tsquery).annotate(rank=SearchRank(F("vector"), tsquery))
        return found.order_by("-rank", "kind", "title", "pk"), []
    wanted, unwanted = terms_of(query)
    if not wanted:
        return entries.none(), []
    for term in wanted:
        entries = entries.filter(Q(title__icontains=term) | Q(body__icontains=term))
    for term in unwanted:
        entries = entries.exclude(Q(title__icontains=term) | Q(body__icontains=term))
    return entries.order_by("kind", "title", "pk"), wanted


def search(
    user: User,
    query: str,
    kinds: Sequence[str] | None = None,
    *,
    authority: LocalAuthority | None = None,
    period: str = "",
    status: str = "",
) -> Results:
    """What ``user`` may find for ``query``: the entries (ranked; filtered by kind, authority,
    period and status) and how many of each kind (with the same filters but the kind)."""
    query = (query or "").strip()[:MAX_QUERY]
    entries = visible_entries(user)
    if authority is not None:
        entries = entries.filter(authority=authority)
    if period:
        entries = entries.filter(period=period)
    if status:
        entries = entries.filter(status=status)
    if not query:
        return Results(query=query, entries=SearchEntry.objects.none())
    found, terms = _matching(entries, query)
    ranked = [(pk, kind) for pk, kind in found.values_list("pk", "kind")]
    counts = Counter(kind for _, kind in ranked)
    if kinds:
        found = found.filter(kind__in=kinds)
    rows = SearchEntry.objects.all()
    if postgres():
        headline = SearchHeadline(
            "body",
            SearchQuery(query, search_type="websearch", config="english"),
            config="english",
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        found, rows = found.annotate(headline=headline), rows.annotate(headline=headline)
    return Results(
        query=query,
        entries=found,
        counts={k: counts.get(k, 0) for k in K.values},
        terms=terms,
        ranked=ranked,
        rows=rows,
    )


def add_snippets(entries: Iterable[Any], terms: list[str]) -> None:
    """SQLite: a snippet of each entry's text around the first word found, the words marked (the
    rows of one page, in Python: no query). PostgreSQL's rows have theirs (``headline``) already."""
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    for entry in entries:
        if hasattr(entry, "headline"):
            continue
        body = entry.body
        match = pattern.search(body) if pattern else None
        start = max(0, match.start() - SNIPPET // 3) if match else 0
        cut = body[start : start + SNIPPET]
        if pattern:
            cut = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", cut)
        entry.headline = ("… " if start else "") + cut + (" …" if start + SNIPPET < len(body) else "")


def periods() -> list[str]:
    """The periods the index holds, latest first (the period filter's choices)."""
    return sorted(
        SearchEntry.objects.exclude(period="").order_by().values_list("period", flat=True).distinct(), reverse=True
    )
