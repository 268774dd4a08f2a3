"""Helpers for the tests of the protocol's clocks: notes taken through the real services."""

from datetime import datetime

from core.working_days import LONDON
from meetings import services
from meetings.models import Meeting

STARTS = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


def schedule(world, actor=None, **overrides):
    data = {
        "authority": world.newcastle,
        "kind": Meeting.Kind.KIT,
        "title": "KIT with Newcastle",
        "purpose": "Agree the pattern of support",
        "starts_at": STARTS,
        "location": "Civic Centre",
        "agenda": "1. Priorities",
    }
    data.update(overrides)
    return services.schedule_meeting(actor=actor or world.csa, **data)


def held_note(world, held, officer=None, **overrides):
    meeting = schedule(world, **overrides)
    return services.mark_held(actor=world.csa, meeting=meeting, held_on=held, officer_concerned=officer)


def drafted(world, held, **kwargs):
    note = held_note(world, held, **kwargs)
    return services.save_draft(
        actor=world.csa,
        note=note,
        draft="We discussed the priorities.",
        lock_version=note.lock_version,
        judgements=[("Safeguarding", "adequate", "high")],
    )


def circulated(world, held, on, **kwargs):
    return services.circulate_draft(actor=world.csa, note=drafted(world, held, **kwargs), on=on)
