"""The due date of each stage of a note, worked out from what happened (docs/architecture.md,
Deadline arithmetic).

Each stage has 5 working days from its start, plus the working days of the extensions agreed for it:

- draft: from the day the meeting was held;
- response: from the day the draft was circulated;
- final: from the day the authority's response counts as received (submitted, or the last day of
  the lapsed window when it holds comments), or from the response's due date when there were none.

``stage_due`` is the reference: services set due dates with it, closures and new bank-holiday data
recompute open ones with it, and the tests check every due date against it. A stage that is met, or
whose due date has passed, keeps the due date it had.
"""

from django.db.models import Sum
from django.utils import timezone

from core.working_days import WorkingCalendar, london_date

from .models import DeadlineExtension, MeetingNote

NOTE_DAYS = 5
STAGE_DUE = {"draft": "draft_due", "response": "response_due", "final": "final_due"}


def stage_start(note, stage):
    """The day ``stage`` of ``note`` started, or None if it has not (its meeting must be loaded for
    the draft stage)."""
    if stage == "draft":
        return note.meeting.held_on
    if stage == "response":
        return london_date(note.draft_circulated_at) if note.draft_circulated_at else None
    if stage == "final":
        if note.comments_received_at:
            return london_date(note.comments_received_at)
        if note.status in (MeetingNote.Status.NO_COMMENTS, MeetingNote.Status.FINAL_SENT):
            return note.response_due
    return None


def stage_due(start, extension_days=0, calendar=None):
    """5 working days after ``start``, plus the agreed extensions' working days."""
    from core.working_days import add_working_days

    days = NOTE_DAYS + extension_days
    return calendar.add(start, days) if calendar else add_working_days(start, days)


def extension_days(note_ids):
    """{(note id, stage): working days of the agreed extensions} for the notes (one query)."""
    rows = (
        DeadlineExtension.objects.filter(note_id__in=note_ids, status=DeadlineExtension.Status.AGREED)
        .values("note_id", "stage")
        .annotate(days=Sum("working_days"))
        .order_by()
    )
    return {(r["note_id"], r["stage"]): r["days"] for r in rows}


def close_open_requests(note, stage, reason="The stage was completed before the request was answered."):
    """Extension requests still open for a stage that has ended are closed (declined, with the reason)."""
    DeadlineExtension.objects.filter(note=note, stage=stage, status=DeadlineExtension.Status.REQUESTED).update(
        status=DeadlineExtension.Status.DECLINED, answer=reason, decided_at=timezone.now()
    )


def recomputed(notes, today, extensions=None, calendar=None):
    """The open stages of ``notes`` whose due date the current calendar moves: a list of
    (note, stage, old due, new due). Met stages and due dates already past (before ``today``) are
    left alone; so is a due date that would move before today. ``notes`` need their meeting."""
    notes = [n for n in notes if n.current_stage[0]]
    if not notes:
        return []
    extensions = extension_days([n.pk for n in notes]) if extensions is None else extensions
    if calendar is None:
        starts = [stage_start(n, n.current_stage[0]) for n in notes]
        starts = [s for s in starts if s]
        calendar = WorkingCalendar(min([*starts, today]), max(n.current_stage[1] for n in notes))
    moves = []
    for note in notes:
        stage, due = note.current_stage
        start = stage_start(note, stage)
        if start is None or due is None or due < today:
            continue
        new = stage_due(start, extensions.get((note.pk, stage), 0), calendar)
        if new != due and new >= today:
            moves.append((note, stage, due, new))
    return moves
