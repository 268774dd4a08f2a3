"""Changes to the working-day calendar, and the open deadlines they move.

- ``add_closure`` / ``remove_closure``: a ``NonWorkingDay`` (an office closure beyond the bank
  holidays), by an administrator.
- ``import_bank_holidays``: GOV.UK's ``bank-holidays.json`` (the file its site publishes), kept as a
  ``BankHolidaySnapshot``; for the years it covers it is the calendar of record.

Each change recomputes, in the same transaction, the due date of every open note stage whose window
spans a changed day (``meetings.deadlines``): the note's history records the change, a
``DeadlineMove`` says why, and the people who must meet the date are emailed. Met stages and due
dates already past never change.
"""

import hashlib
import json
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_emails
from core.working_days import (
    WorkingCalendar,
    forget_bank_holidays,
    london_date,
    package_bank_holidays,
)

from .deadlines import STAGE_DUE, recomputed, stage_start
from .models import BankHolidaySnapshot, DeadlineMove, MeetingNote, NonWorkingDay, Reminder

DIVISION = "england-and-wales"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


# --- moving open deadlines ------------------------------------------------------------------------


def _open_notes(since):
    """Open notes whose current due date is on or after ``since`` (one query, with what the
    recomputation and the emails need)."""
    S = MeetingNote.Status
    return list(
        MeetingNote.objects.select_for_update(of=("self",))
        .filter(
            Q(status=S.AWAITING_DRAFT, draft_due__gte=since)
            | Q(status=S.DRAFT_CIRCULATED, response_due__gte=since)
            | Q(status__in=[S.COMMENTS_RECEIVED, S.NO_COMMENTS], final_due__gte=since)
        )
        .select_related("author", "officer_concerned", "meeting__authority__dcs", "meeting__forum__chair")
        .order_by("pk")
    )


def _responsible(note, stage):
    if stage == "response":
        meeting = note.meeting
        people = [meeting.authority.dcs if meeting.authority_id else None, note.officer_concerned]
        if not meeting.authority_id and meeting.forum_id:
            people.append(meeting.forum.chair)
        return [p for p in {p.pk: p for p in people if p}.values()]
    return [note.author]


def move_open_deadlines(*, actor, reason, days=None, snapshot=None, today=None):
    """Recompute the open due dates whose window spans any of ``days`` (all open ones when None) and
    save those that moved. Runs inside the caller's transaction. Returns the ``DeadlineMove`` rows."""
    today = today or london_date()
    since = max(today, min(days)) if days else today
    notes = _open_notes(since)
    if days:
        days = set(days)
        notes = [n for n in notes if _spans(n, days)]
    moves = recomputed(notes, today)
    if not moves:
        return []
    now = timezone.now()
    changed = []
    for note, stage, _old, new in moves:
        setattr(note, STAGE_DUE[stage], new)
        note.lock_version += 1
        note._change_reason = reason[:100]
        changed.append(note)
    bulk_update_with_history(
        changed,
        MeetingNote,
        ["draft_due", "response_due", "final_due", "lock_version"],
        default_user=actor,
        default_date=now,
    )
    rows = DeadlineMove.objects.bulk_create(
        [
            DeadlineMove(
                note=note,
                stage=stage,
                old_due=old,
                new_due=new,
                reason=reason[:300],
                snapshot=snapshot,
                moved_by=actor,
                created_at=now,
            )
            for note, stage, old, new in moves
        ]
    )
    messages = []
    for note, stage, old, new in moves:
        label = Reminder.Stage(stage).label
        for person in _responsible(note, stage):
            messages.append(
                {
                    "key": f"deadline-moved:{note.pk}:{stage}:{old:%Y%m%d}:{new:%Y%m%d}",
                    "recipient": person.email,
                    "subject": f"{label} now due {new:%d %B %Y}: {note.meeting.title}",
                    "body": (
                        f"The {label.lower()} of {note.meeting.title} was due on {old:%A %d %B %Y}. "
                        f"{reason}, so it is now due on {new:%A %d %B %Y}.\n\n"
                        f"{absolute_url(note.meeting.get_absolute_url())}\n"
                    ),
                }
            )
    queue_emails(messages)
    return rows


def _spans(note, days):
    """Whether the window of the note's current stage (after its start, up to its due date) holds one
    of ``days``: only then does counting its working days pass over them."""
    stage, due = note.current_stage
    start = stage_start(note, stage)
    return start is not None and any(start < d <= due for d in days)


# --- closures -------------------------------------------------------------------------------------


def add_closure(*, actor, day, reason, today=None):
    """Close the offices on ``day`` (not a working day any more); open deadlines after it move on."""
    reason = (reason or "").strip()
    require(actor, "meetings.manage_calendar")
    if day is None:
        raise ServiceError("Enter the date of the closure", field="date")
    if not reason:
        raise ServiceError("Enter the reason for the closure", field="reason")
    with transaction.atomic():
        if NonWorkingDay.objects.filter(date=day).exists():
            raise ServiceError(f"{day:%d %B %Y} is already a closure", field="date")
        closure = NonWorkingDay.objects.create(date=day, reason=reason[:200])
        moves = move_open_deadlines(
            actor=actor, reason=f"The offices are closed on {day:%d %B %Y} ({reason})", days=[day], today=today
        )
    return closure, moves


def remove_closure(*, actor, closure, today=None):
    """``closure``'s day is a working day again; open deadlines whose window held it come back."""
    require(actor, "meetings.manage_calendar")
    with transaction.atomic():
        closure = NonWorkingDay.objects.select_for_update().filter(pk=closure.pk).first()
        if closure is None:
            raise ServiceError("That closure has already been removed.")
        day, reason = closure.date, closure.reason
        closure.delete()
        moves = move_open_deadlines(
            actor=actor,
            reason=f"{day:%d %B %Y} is a working day again (the closure for {reason} was removed)",
            days=[day],
            today=today,
        )
    return day, moves


# --- GOV.UK's bank holidays -----------------------------------------------------------------------


def parse_bank_holidays(content):
    """The England and Wales events of GOV.UK's ``bank-holidays.json`` (bytes), checked: a list of
    {title, date, notes, bunting} with real, distinct dates. Raises ServiceError otherwise."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ServiceError("The file is too big to be GOV.UK's bank holidays (2 MB at most)", field="file")
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ServiceError("The file is not JSON: upload GOV.UK's bank-holidays.json", field="file") from None
    division = data.get(DIVISION) if isinstance(data, dict) else None
    events = division.get("events") if isinstance(division, dict) else None
    if not isinstance(events, list) or not events:
        raise ServiceError(
            "The file has no England and Wales bank holidays: upload GOV.UK's bank-holidays.json", field="file"
        )
    clean, seen = [], set()
    for event in events:
        try:
            day = date.fromisoformat(event["date"])
            title = str(event["title"]).strip()
        except (KeyError, TypeError, ValueError):
            raise ServiceError(
                "An England and Wales event has no title or no real date (YYYY-MM-DD)", field="file"
            ) from None
        if not title or day in seen:
            raise ServiceError(f"The event on {event.get('date')} is listed twice or has no title", field="file")
        seen.add(day)
        clean.append(
            {
                "title": title[:200],
                "date": day.isoformat(),
                "notes": str(event.get("notes") or "")[:200],
                "bunting": bool(event.get("bunting")),
            }
        )
    return sorted(clean, key=lambda e: e["date"])


def import_bank_holidays(*, actor, content, today=None):
    """Keep GOV.UK's file as the latest snapshot and move the open deadlines its changes affect.
    ``actor`` may be None (the management command run by the operator). Refused when the latest
    snapshot is the same file."""
    if actor is not None:
        require(actor, "meetings.manage_calendar")
    events = parse_bank_holidays(content)
    sha = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        latest = BankHolidaySnapshot.objects.select_for_update().order_by("-pk").first()
        if latest and latest.sha256 == sha:
            raise ServiceError(
                f"This file is already the calendar of record (imported on {timezone.localtime(latest.imported_at):%d %B %Y}).",
                field="file",
            )
        before = _holidays_of_record(latest)
        snapshot = BankHolidaySnapshot.objects.create(sha256=sha, imported_by=actor, events=events)
        forget_bank_holidays()
        after = _holidays_of_record(snapshot)
        changed = sorted(before ^ after)
        moves = []
        if changed:
            moves = move_open_deadlines(
                actor=actor, reason="GOV.UK's bank holidays were updated", days=changed, snapshot=snapshot, today=today
            )
        transaction.on_commit(forget_bank_holidays)
    return snapshot, moves


def _holidays_of_record(snapshot, years=None):
    """The weekday bank holidays a snapshot makes (package days outside its years), over the years
    from 2 before today's to the snapshot's last (deadlines lie within them)."""
    today = london_date()
    span = snapshot.years if snapshot else None
    first = today.year - 2
    last = max(today.year + 2, span[1] if span else today.year)
    covered = range(span[0], span[1] + 1) if span else range(0)
    snap_days = {date.fromisoformat(e["date"]) for e in snapshot.events} if snapshot else set()
    out = set()
    for year in range(first, last + 1):
        days = {d for d in snap_days if d.year == year} if year in covered else set(package_bank_holidays(year))
        out |= {d for d in days if d.weekday() < 5}
    return out


def snapshot_diff(snapshot):
    """What the snapshot says that the ``holidays`` package does not, over the years it covers
    (weekdays only: a weekend is never a working day): ``added`` (in GOV.UK's file only — a day
    added by royal proclamation shows here first) and ``missing`` (in the package only), each a list
    of (date, title)."""
    if snapshot is None or not snapshot.years:
        return {"added": [], "missing": []}
    first, last = snapshot.years
    ours = {date.fromisoformat(e["date"]): e["title"] for e in snapshot.events}
    theirs = {}
    for year in range(first, last + 1):
        theirs.update(package_bank_holidays(year))
    return {
        "added": sorted((d, t) for d, t in ours.items() if d not in theirs and d.weekday() < 5),
        "missing": sorted((d, t) for d, t in theirs.items() if d not in ours and d.weekday() < 5),
    }


def closures_calendar(start, end):
    """A calendar over a window, for pages that label many dates."""
    return WorkingCalendar(start, end)


__all__ = [
    "add_closure",
    "import_bank_holidays",
    "move_open_deadlines",
    "parse_bank_holidays",
    "remove_closure",
    "snapshot_diff",
]
