"""Keeping the search index current: a save or delete of an indexed row (or of a row whose text an
entry carries) marks the object for ``search.index``, which writes its entries when the transaction
commits (docs/architecture.md, Search).

Signals rather than a call in each service: the rows are written by some thirty services in four
apps below this one (which may not import it), by the Annex 2 import, the meeting series, the admin
and the demo; one receiver here sees every one of those writes. A write made with ``bulk_create``
sends no signal: those made by the apps either follow a save of the object indexed (a plan's good
practice when it is revised, a note's judgements) or send simple-history's signal for each row (the
Annex 2 import), which is listened to as well; the benchmark's bulk load rebuilds the index.
"""

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from simple_history.signals import post_create_historical_record

from authorities.models import LocalAuthority
from meetings.models import Meeting, MeetingNote, MeetingSeries, NoteJudgement
from plans.models import JISP, GoodPractice, Need, Offer, OfferEvent, Priority
from providers.models import Provider

from . import index
from .models import SearchEntry

K = SearchEntry.Kind


#: model → the objects whose entries carry one of its rows: (kind, pk) of an entry, or a relation
#: that ``search.index.RESOLVE`` turns into entries when the transaction commits.
KEYS: dict[type, Callable[[Any], list[tuple[str, int]]]] = {
    JISP: lambda row: [(K.PLAN, row.pk)],
    Priority: lambda row: [(K.PLAN, row.jisp_id), ("priority", row.pk)],
    Need: lambda row: [("priority", row.priority_id)],
    GoodPractice: lambda row: [(K.PLAN, row.jisp_id)],
    Offer: lambda row: [(K.OFFER, row.pk)],
    OfferEvent: lambda row: [(K.OFFER, row.offer_id)],
    Meeting: lambda row: [(K.MEETING, row.pk), ("meeting_note", row.pk)],
    MeetingNote: lambda row: [(K.NOTE, row.pk)],
    NoteJudgement: lambda row: [(K.NOTE, row.note_id)],
    MeetingSeries: lambda row: [("series", row.pk)],
    LocalAuthority: lambda row: [(K.AUTHORITY, row.pk)],
    Provider: lambda row: [(K.PROVIDER, row.pk)],
}


def keys_for(instance: Any) -> list[tuple[str, int]]:
    """The objects whose entries carry this row."""
    keys = KEYS.get(type(instance))
    return keys(instance) if keys else []


SENDERS = tuple(KEYS)


def changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the index is rebuilt after a load
        return
    index.mark(*keys_for(instance))


def recorded(sender: Any, instance: Any, **kwargs: Any) -> None:
    """simple-history's signal, sent for each row of a bulk insert with history as well."""
    if isinstance(instance, SENDERS):
        index.mark(*keys_for(instance))


def connect() -> None:
    for model in SENDERS:
        post_save.connect(changed, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"search-delete-{model._meta.label}")
    post_create_historical_record.connect(recorded, dispatch_uid="search-history")
