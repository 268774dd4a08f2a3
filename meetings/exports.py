"""Meeting exports, built from the meeting queries: the compliance of notes with the protocol's
deadlines as a CSV, and a user's meetings and note deadlines as an iCalendar feed (built in
``meetings.ical``)."""

import csv

from django.http import HttpResponse

from core.sanitise import spreadsheet_cell

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
    "draft_outcome",
    "draft_extension_working_days",
    "response_outcome",
    "response_extension_working_days",
    "final_outcome",
    "final_extension_working_days",
]


# --- compliance -----------------------------------------------------------------------------------


def _day(value):
    return value.isoformat() if value else ""


def _flag(outcomes, stage, i):
    """A stage's outcome: on time ("yes"/"no") for i == 0, the working days taken for i == 1, the working
    days of agreed extension for i == 2, "on time" / "on time with an agreed extension" / "late" for i == 3."""
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
                *[
                    v
                    for stage in ("draft", "response", "final")
                    for v in (_flag(outcomes, stage, 3), _flag(outcomes, stage, 2))
                ],
            ]
        )
    return response


# --- the calendar feed ----------------------------------------------------------------------------


def ical_feed(user):
    """The user's calendar feed (``meetings.ical``: meetings at their times, series as recurring
    events, note deadlines as all-day events) as a download."""
    from .ical import calendar_for

    response = HttpResponse(calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jisp-meetings.ics"'
    return response
