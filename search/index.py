"""Writing the search index (docs/architecture.md, Search).

``reindex(kind, ids)`` rewrites the entries of some objects from their current rows (an object that
no longer exists loses its entries); ``rebuild()`` rewrites the whole index (``manage.py
rebuild_search_index``, and the benchmark after its bulk load). ``search.signals`` calls ``mark``
when an indexed row (or a row whose text an entry carries) is saved or deleted, and the marked
objects are reindexed once each when the transaction commits.

What each kind carries:

- a plan: its title, its priorities (title and description), needs and good practice;
- an offer: the provider, the priority it answers, its description and notes; while the provider
  revises a challenged offer (or after withdrawing one), a second entry with the text as last
  submitted, which is all the authority may find;
- a meeting note: the draft with its judgements, and the final note once it is sent (who may find
  a draft not yet circulated is decided at query time);
- a meeting: title, purpose and agenda; an authority or a provider: its name and description.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from authorities.models import LocalAuthority
from meetings.models import Meeting, MeetingNote
from plans.models import JISP, Offer, OfferEvent, Priority
from providers.models import Provider

from .models import SearchEntry

K = SearchEntry.Kind
BATCH = 1000
#: Marks around the matched words of a snippet (PostgreSQL's ``ts_headline`` puts them in; the
#: ``highlight`` filter escapes the text and turns them into ``<mark>``). Private-use characters,
#: removed from the indexed text so that nobody can type one.
START, STOP = "\ue000", "\ue001"


def postgres() -> bool:
    return connection.vendor == "postgresql"


def vector() -> Any:
    """The stored ``tsvector``: English stemming, the title weighted above the body."""
    return SearchVector("title", weight="A", config="english") + SearchVector("body", weight="B", config="english")


def _text(*parts: str | None) -> str:
    text = "\n".join(p.strip() for p in parts if p and p.strip())
    return text.replace(START, "").replace(STOP, "")


def financial_year(day: date) -> str:
    """The period (financial year, April to March) a day falls in: 2010-03-31 is in "2009-10"."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


# --- what each kind carries ------------------------------------------------------------------------


def _plans() -> QuerySet[JISP]:
    return JISP.objects.select_related("authority").prefetch_related(
        Prefetch("priorities", queryset=Priority.objects.order_by("order", "pk").prefetch_related("needs")),
        "good_practice",
    )


def _plan_entries(jisp: JISP) -> list[SearchEntry]:
    parts: list[str] = []
    for priority in jisp.priorities.all():
        parts += [priority.title, priority.description, *(n.description for n in priority.needs.all())]
    for practice in jisp.good_practice.all():
        parts += [practice.area, practice.description]
    return [
        SearchEntry(
            kind=K.PLAN,
            object_id=jisp.pk,
            title=_text(str(jisp)),
            body=_text(*parts),
            url=jisp.get_absolute_url(),
            authority_id=jisp.authority_id,
            period=jisp.period,
            status=jisp.status,
            status_label=jisp.get_status_display(),
        )
    ]


SUBMISSIONS = (OfferEvent.Kind.SUBMITTED, OfferEvent.Kind.RESUBMITTED)
#: The states in which an offer's current text is what the authority was sent.
AS_SUBMITTED = (Offer.Status.SUBMITTED, Offer.Status.ACCEPTED)


def _offers() -> QuerySet[Offer]:
    return Offer.objects.select_related("provider", "priority__jisp__authority").prefetch_related(
        Prefetch(
            "events",
            queryset=OfferEvent.objects.filter(kind__in=SUBMISSIONS).order_by("-created_at", "-pk"),
            to_attr="submissions",
        )
    )


def _offer_entries(offer: Offer) -> list[SearchEntry]:
    jisp = offer.priority.jisp
    common = {
        "kind": K.OFFER,
        "object_id": offer.pk,
        "title": _text(f"{offer.provider} offer on {offer.priority.title}"),
        "url": offer.get_absolute_url(),
        "authority_id": jisp.authority_id,
        "period": jisp.period,
        "status": offer.status,
        "status_label": offer.get_status_display(),
    }
    provider = f"{offer.provider.name} ({offer.provider.abbreviation})"
    submissions: list[OfferEvent] = getattr(offer, "submissions", [])
    # The offer's page shows its timeline (each submission's text) to those who see it as it is now.
    submitted = submissions[0].description if submissions else ""
    current = _text(provider, offer.description, offer.notes, "" if submitted == offer.description else submitted)
    entries = [SearchEntry(body=current, **common)]
    if offer.status not in AS_SUBMITTED and submissions:
        entries.append(
            SearchEntry(
                audience=SearchEntry.Audience.SUBMITTED, body=_text(provider, submissions[0].description), **common
            )
        )
    return entries


def _notes() -> QuerySet[MeetingNote]:
    return MeetingNote.objects.select_related("meeting__authority").prefetch_related("judgements")


def _note_entries(note: MeetingNote) -> list[SearchEntry]:
    meeting = note.meeting
    judgements = [
        f"{j.area}: {j.get_performance_rating_display()}, {j.get_risk_display()} risk" for j in note.judgements.all()
    ]
    final = note.final if note.status == MeetingNote.Status.FINAL_SENT else ""
    return [
        SearchEntry(
            kind=K.NOTE,
            object_id=note.pk,
            title=_text(f"Note of {meeting.title}"),
            body=_text(final, note.draft, *judgements),
            url=note.get_absolute_url(),
            authority_id=meeting.authority_id,
            period=financial_year(meeting.starts_at.date()),
            status=note.status,
            status_label=note.get_status_display(),
        )
    ]


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.all()


def _meeting_entries(meeting: Meeting) -> list[SearchEntry]:
    return [
        SearchEntry(
            kind=K.MEETING,
            object_id=meeting.pk,
            title=_text(meeting.title),
            body=_text(meeting.get_kind_display(), meeting.purpose, meeting.agenda, meeting.priority_theme),
            url=meeting.get_absolute_url(),
            authority_id=meeting.authority_id,
            period=financial_year(meeting.starts_at.date()),
            status=meeting.status,
            status_label=meeting.get_status_display(),
        )
    ]


def _authorities() -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.select_related("region")


def _authority_entries(authority: LocalAuthority) -> list[SearchEntry]:
    return [
        SearchEntry(
            kind=K.AUTHORITY,
            object_id=authority.pk,
            title=_text(authority.name),
            body=_text(authority.get_la_type_display(), authority.region.name, authority.gss_code),
            url=authority.get_absolute_url(),
            authority_id=authority.pk,
            status=authority.support_status,
            status_label=authority.get_support_status_display(),
        )
    ]


def _providers() -> QuerySet[Provider]:
    return Provider.objects.all()


def _provider_entries(provider: Provider) -> list[SearchEntry]:
    return [
        SearchEntry(
            kind=K.PROVIDER,
            object_id=provider.pk,
            title=_text(f"{provider.name} ({provider.abbreviation})"),
            body=_text(provider.get_kind_display(), provider.remit),
            url=provider.get_absolute_url(),
        )
    ]


KINDS: dict[str, tuple[Callable[[], QuerySet[Any]], Callable[[Any], list[SearchEntry]]]] = {
    K.PLAN: (_plans, _plan_entries),
    K.OFFER: (_offers, _offer_entries),
    K.NOTE: (_notes, _note_entries),
    K.MEETING: (_meetings, _meeting_entries),
    K.AUTHORITY: (_authorities, _authority_entries),
    K.PROVIDER: (_providers, _provider_entries),
}


# --- writing ---------------------------------------------------------------------------------------


def _write(kind: str, ids: list[int]) -> int:
    """Replace the entries of ``ids`` (of ``kind``) by those built from their current rows."""
    load, build = KINDS[kind]
    entries = [entry for obj in load().filter(pk__in=ids) for entry in build(obj)]
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    if postgres() and entries:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).update(vector=vector())
    return len(entries)


def reindex(kind: str, ids: Iterable[int]) -> int:
    """Rewrite the entries of some objects of one kind, in batches; returns how many were written."""
    ids = sorted(set(ids))
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            written += _write(kind, ids[start : start + BATCH])
    return written


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rewrite the whole index (or that of some kinds): entries per kind."""
    counts = {}
    with transaction.atomic():
        for kind in kinds or KINDS:
            SearchEntry.objects.filter(kind=kind).delete()
            load, build = KINDS[kind]
            ids = list(load().order_by().values_list("pk", flat=True))
            counts[kind] = reindex(kind, ids)
    if postgres():  # fresh statistics, or the planner guesses one row and skips the GIN index
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    return counts


# --- keeping it current: marked in the transaction, written when it commits ------------------------

#: Keys marked in the current transaction: (kind, pk) of an entry, or (relation, pk) resolved at
#: commit (``RESOLVE``), so that the objects a service saves several times are reindexed once.
_state = threading.local()


def _plans_of_priorities(ids: list[int]) -> list[tuple[str, int]]:
    plans = Priority.objects.filter(pk__in=ids).values_list("jisp_id", flat=True)
    offers = Offer.objects.filter(priority_id__in=ids).values_list("pk", flat=True)
    return [(K.PLAN.value, pk) for pk in plans] + [(K.OFFER.value, pk) for pk in offers]


def _notes_of_meetings(ids: list[int]) -> list[tuple[str, int]]:
    return [(K.NOTE.value, pk) for pk in MeetingNote.objects.filter(meeting_id__in=ids).values_list("pk", flat=True)]


def _meetings_of_series(ids: list[int]) -> list[tuple[str, int]]:
    return [(K.MEETING.value, pk) for pk in Meeting.objects.filter(series_id__in=ids).values_list("pk", flat=True)]


RESOLVE: dict[str, Callable[[list[int]], list[tuple[str, int]]]] = {
    "priority": _plans_of_priorities,
    "meeting_note": _notes_of_meetings,
    "series": _meetings_of_series,
}


def _pending() -> set[tuple[str, int]]:
    if not hasattr(_state, "keys"):
        _state.keys = set()
    keys: set[tuple[str, int]] = _state.keys
    return keys


@contextmanager
def suspended() -> Iterator[None]:
    """Mark nothing inside the block (for a bulk load that rebuilds the index after it)."""
    previous = getattr(_state, "suspended", False)
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = previous


def mark(*keys: tuple[str, int]) -> None:
    """Reindex these objects when the current transaction commits (at once outside one).

    Each mark asks for a flush after the commit, and the first flush does the work of all: a
    callback registered earlier may belong to an outer block that commits later (or, in a test,
    before a capture of the callbacks began)."""
    if getattr(_state, "suspended", False):
        return
    pending = _pending()
    if connection.in_atomic_block:
        if not any(item[1] is flush for item in connection.run_on_commit):
            pending.clear()  # marked in a transaction that was rolled back: nothing of it was kept
        pending.update(keys)
        transaction.on_commit(flush, robust=True)
    else:
        pending.update(keys)
        flush()


def flush() -> None:
    """Reindex every marked object (those deleted lose their entries); nothing if none is marked."""
    pending = _pending()
    keys = set(pending)
    pending.clear()
    by_kind: dict[str, set[int]] = {}
    relations: dict[str, list[int]] = {}
    for name, pk in keys:
        if name in KINDS:
            by_kind.setdefault(name, set()).add(pk)
        else:
            relations.setdefault(name, []).append(pk)
    for name, ids in relations.items():
        for kind, pk in RESOLVE[name](ids):
            by_kind.setdefault(kind, set()).add(pk)
    for kind, pks in by_kind.items():
        reindex(kind, pks)
