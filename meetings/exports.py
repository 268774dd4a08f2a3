"""Meeting exports, built from the meeting queries: the compliance of notes with the protocol's
deadlines as a CSV, and a user's meetings and note deadlines as an iCalendar feed."""

import csv
from datetime import timedelta

import icalendar
from django.http import HttpResponse
from django.utils import timezone

from core.notify import absolute_url
from core.sanitise import spreadsheet_cell
from core.working_days import LONDON

from . import queries
from .models import Meeting, MeetingNote

COMPLIANCE_COLUMNS = [
    "meeting",
    "authority",
    "forum",
    "kind",
    "held_on",
    "status",
    "draft_due",
    "draft_circulated_on",
    "draft_on_time",
    "draft_working_days",
    "response_due",
    "comments_received_on",
    "response_on_time",
    "final_due",
    "final_sent_on",
    "final_on_time",
    "final_working_days",
    "overdue_now",
]
STAGE_NAMES = {"draft": "Draft note due", "response": "Response to draft note due", "final": "Final note due"}


# --- compliance -----------------------------------------------------------------------------------


def _day(value):
    return value.isoformat() if value else ""


def _flag(outcomes, stage, i):
    """A stage's outcome: on time ("yes"/"no") for i == 0, the working days taken for i == 1."""
    if stage not in outcomes:
        return ""
    v = outcomes[stage][i]
    return ("yes" if v else "no") if i == 0 else v


def compliance_csv(rows):
    """``queries.compliance(..., rows=True)["rows"]`` — (note, outcomes, overdue) — as a CSV download."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting-notes-compliance.csv"'
    writer = csv.writer(response)
    writer.writerow(COMPLIANCE_COLUMNS)
    kinds, statuses = dict(Meeting.Kind.choices), dict(MeetingNote.Status.choices)
    for note, outcomes, is_overdue in rows:
        writer.writerow(
            [
                spreadsheet_cell(note.meeting_title),
                note.authority_name or "",
                spreadsheet_cell(note.forum_name) if note.forum_name is not None else "",
                kinds.get(note.meeting_kind, note.meeting_kind),
                _day(note.held_on),
                statuses.get(note.status, note.status),
                note.draft_due.isoformat(),
                _day(note.circulated_on),
                _flag(outcomes, "draft", 0),
                _flag(outcomes, "draft", 1),
                _day(note.response_due),
                _day(note.comments_on),
                _flag(outcomes, "response", 0),
                _day(note.final_due),
                _day(note.final_on),
                _flag(outcomes, "final", 0),
                _flag(outcomes, "final", 1),
                "yes" if is_overdue else "no",
            ]
        )
    return response


# --- the calendar feed ----------------------------------------------------------------------------


def _meeting_event(m, stamp):
    """A meeting as an all-day event on its London date."""
    event = icalendar.Event()
    event.add("uid", f"meeting-{m.pk}@jisp-portal")
    event.add("dtstamp", stamp)
    event.add("summary", f"{m.title}" + (" (agenda not agreed)" if not m.agenda_agreed_at else ""))
    day = timezone.localtime(m.starts_at, LONDON).date()
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add(
        "description",
        f"{m.get_kind_display()} at {timezone.localtime(m.starts_at, LONDON):%H:%M}. Purpose: {m.purpose}\n{absolute_url(m.get_absolute_url())}",
    )
    if m.where:
        event.add("location", m.where)
    return event


def _deadline_event(note, stage, due, stamp):
    """A note's next deadline as an all-day event."""
    event = icalendar.Event()
    event.add("uid", f"note-{note.pk}-{stage}@jisp-portal")
    event.add("dtstamp", stamp)
    event.add("summary", f"{STAGE_NAMES[stage]}: {note.meeting.title}")
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("description", absolute_url(note.meeting.get_absolute_url()))
    return event


def ical_feed(user):
    """The user's meetings and the next deadline of each note they have a part in, as iCalendar."""
    meetings, notes = queries.ical_events(user)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//JISP portal//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "JISP meetings and note deadlines")
    stamp = timezone.now()
    for m in meetings:
        cal.add_component(_meeting_event(m, stamp))
    for note in notes:
        stage, due = note.current_stage
        if due:
            cal.add_component(_deadline_event(note, stage, due, stamp))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jisp-meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
