"""Meeting pages, one module per part: lists (the meetings list, the month calendar, the meeting
page), actions (scheduling, changing, agreeing the agenda, cancelling, marking as held), notes (the
note's draft, circulation, comments and final version), compliance, and ical (the calendar feed).
``common`` holds what they share; actions go through ``core.actions``; downloads are built in
``meetings.exports``. The names below are what ``meetings.urls`` routes to."""

from .actions import agree, cancel, create, edit, held
from .compliance import compliance, compliance_csv
from .ical import ical_feed, ical_settings
from .lists import authority_calendar, detail, meeting_list, month
from .notes import circulate, comment, note_draft, send_final

__all__ = [
    "agree",
    "authority_calendar",
    "cancel",
    "circulate",
    "comment",
    "compliance",
    "compliance_csv",
    "create",
    "detail",
    "edit",
    "held",
    "ical_feed",
    "ical_settings",
    "meeting_list",
    "month",
    "note_draft",
    "send_final",
]
