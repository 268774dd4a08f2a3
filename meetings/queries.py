"""Reads of meetings that views, exports, the dashboard and other apps share.

Other apps read meetings only through here: ``meetings_for_authority(user, authority)`` and
``meetings_for_forum(user, forum)`` (with the includes ``templates/meetings/includes/
authority_meetings.html`` and ``forum_meetings.html``, context ``meetings``), ``dashboard_panels``.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.dashboard import Panel

from .models import Meeting, MeetingNote
from .working_days import LONDON, WorkingCalendar, london_date

AGENDA_WARNING_DAYS = 2


def meeting_list(user):
    return (
        Meeting.objects.visible_to(user)
        .select_related("authority", "forum", "organiser", "note")
        .order_by("starts_at", "pk")
    )


def meetings_for_authority(user, authority):
    """Meetings the user may see that are the authority's, or provider clinics it is invited to."""
    ids = Meeting.objects.filter(Q(authority=authority) | Q(authorities=authority)).values("pk")
    return meeting_list(user).filter(pk__in=ids)


def meetings_for_forum(user, forum):
    return meeting_list(user).filter(forum=forum)


def meeting_detail(user):
    return Meeting.objects.visible_to(user).select_related(
        "authority__dcs", "authority__csa", "authority__region", "forum__chair", "organiser", "agenda_agreed_by"
    )


def agenda_deadline(today=None, calendar=None):
    """Meetings starting by the end of this working day + 2 without an agreed agenda are flagged."""
    today = today or london_date()
    calendar = calendar or WorkingCalendar(today, today)
    last = calendar.add(today, AGENDA_WARNING_DAYS)
    return datetime.combine(last, time.max, tzinfo=LONDON)


def needs_agenda_flag(meeting, deadline, now=None):
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.agenda_agreed_at is None
        and now <= meeting.starts_at <= deadline
    )


def unagreed_soon(user, now=None):
    now = now or timezone.now()
    deadline = agenda_deadline(london_date(now))
    return meeting_list(user).filter(
        status=Meeting.Status.SCHEDULED, agenda_agreed_at__isnull=True, starts_at__gte=now, starts_at__lte=deadline
    )


def due_label(due, today, calendar):
    """ "due today" / "due in N working days" / "N working days overdue"."""
    if due is None:
        return ""
    n = calendar.between(today, due)
    if due == today:
        return "due today"
    if due > today:
        if n == 0:
            return "due on the next working day"
        return f"due in {n} working day{'s' if n != 1 else ''}"
    n = -n
    if n == 0:
        return "due on the last working day"
    return f"{n} working day{'s' if n != 1 else ''} overdue"


def label_notes(notes, today=None):
    """Attach ``due``, ``stage`` and ``due_label`` to each note (one closures query)."""
    today = today or london_date()
    notes = list(notes)
    dues = [n.current_stage[1] for n in notes if n.current_stage[1]]
    calendar = WorkingCalendar(min([*dues, today]), max([*dues, today]))
    for note in notes:
        note.stage, note.due = note.current_stage
        note.due_label = due_label(note.due, today, calendar)
        note.is_overdue = bool(note.due and note.due < today)
    return notes


# --- dashboard ------------------------------------------------------------------------------------


def _open_notes():
    return MeetingNote.objects.exclude(status=MeetingNote.Status.FINAL_SENT).select_related(
        "meeting__authority", "meeting__forum", "author"
    )


def notes_to_write(user):
    S = MeetingNote.Status
    return _open_notes().filter(author=user, status__in=[S.AWAITING_DRAFT, S.COMMENTS_RECEIVED, S.NO_COMMENTS])


def notes_awaiting_response(user):
    S = MeetingNote.Status
    q = Q(officer_concerned=user)
    if user.role in ("dcs", "la_officer") and user.authority_id:
        q |= Q(meeting__authority_id=user.authority_id)
    return _open_notes().filter(q, status=S.DRAFT_CIRCULATED)


def overdue_in_region(user, today=None):
    today = today or london_date()
    S = MeetingNote.Status
    region = Q(meeting__authority__region_id=user.region_id) | Q(
        meeting__authority__isnull=True, meeting__forum__region_id=user.region_id
    )
    overdue = Q(status=S.AWAITING_DRAFT, draft_due__lt=today) | Q(
        status__in=[S.COMMENTS_RECEIVED, S.NO_COMMENTS], final_due__lt=today
    )
    return _open_notes().filter(region, overdue)


def dashboard_panels(user):
    if not (user and user.is_authenticated) or user.role == "national":
        return []
    today = london_date()
    panels = []
    to_write = label_notes(notes_to_write(user)[:50], today)
    to_respond = label_notes(notes_awaiting_response(user)[:50], today)
    if to_write or to_respond:
        panels.append(
            Panel(
                title="Meeting notes",
                template="meetings/dashboard/_notes.html",
                context={
                    "due": [n for n in to_write if not n.is_overdue],
                    "overdue": [n for n in to_write if n.is_overdue],
                    "to_respond": to_respond,
                },
                order=30,
            )
        )
    if user.role == "go_director" and user.region_id:
        escalated = label_notes(overdue_in_region(user, today)[:50], today)
        if escalated:
            panels.append(
                Panel(
                    title="Overdue meeting notes in your region",
                    template="meetings/dashboard/_overdue_region.html",
                    context={"notes": escalated},
                    order=31,
                )
            )
    soon = list(unagreed_soon(user)[:20])
    if soon:
        panels.append(
            Panel(
                title="Meetings soon without an agreed agenda",
                template="meetings/dashboard/_agendas.html",
                context={"meetings": soon},
                order=32,
            )
        )
    return panels


# --- compliance -----------------------------------------------------------------------------------

STAGES = ("draft", "response", "final")


@dataclass
class StageFigures:
    on_time: int = 0
    late: int = 0
    taken: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.taken) if self.taken else None

    @property
    def median_text(self):
        m = self.median
        return "—" if m is None else f"{m:g}"


@dataclass
class Group:
    label: str
    stages: dict = field(default_factory=lambda: {s: StageFigures() for s in STAGES})
    notes: int = 0


def compliance_notes(user, region=None):
    """The notes a compliance view covers for the user: GO staff their region; admin and national every
    region (or ``region``); a provider adviser the notes of its provider's meetings."""
    qs = MeetingNote.objects.select_related(
        "meeting__authority__csa",
        "meeting__authority__region",
        "meeting__forum__region",
        "meeting__organiser__provider",
        "author",
    ).order_by("draft_due", "pk")
    if user.role in ("csa", "go_director"):
        region = user.region
    elif user.role == "provider_adviser":
        return qs.filter(meeting__organiser__provider_id=user.provider_id)
    elif not (user.role in ("admin", "national") or user.is_superuser):
        return qs.none()
    if region is not None:
        qs = qs.filter(
            Q(meeting__authority__region=region) | Q(meeting__authority__isnull=True, meeting__forum__region=region)
        )
    return qs


def note_outcomes(note, calendar):
    """Per stage: (done, on_time, working days taken) or None while the stage is not finished."""
    out = {}
    m = note.meeting
    if note.draft_circulated_at and m.held_on:
        c = note.draft_circulated_at.astimezone(LONDON).date()
        out["draft"] = (c <= note.draft_due, calendar.between(m.held_on, c))
    if note.draft_circulated_at and note.response_due:
        c = note.draft_circulated_at.astimezone(LONDON).date()
        if note.comments_received_at:
            r = note.comments_received_at.astimezone(LONDON).date()
            out["response"] = (r <= note.response_due, calendar.between(c, r))
        elif note.status in (MeetingNote.Status.NO_COMMENTS, MeetingNote.Status.FINAL_SENT):
            out["response"] = (False, calendar.between(c, note.response_due))
    if note.final_sent_at and note.final_due:
        start = note.comments_received_at.astimezone(LONDON).date() if note.comments_received_at else note.response_due
        f = note.final_sent_at.astimezone(LONDON).date()
        out["final"] = (f <= note.final_due, calendar.between(start, f))
    return out


def compliance(user, region=None, today=None):
    today = today or london_date()
    notes = list(compliance_notes(user, region))
    dates = [today] + [n.meeting.held_on for n in notes if n.meeting.held_on] + [n.draft_due for n in notes]
    calendar = WorkingCalendar(min(dates) - timedelta(days=1), max(dates + [today]) + timedelta(days=1))
    total = Group("All notes")
    by_csa, by_provider = {}, {}
    overdue = []
    rows = []
    for note in notes:
        m = note.meeting
        outcomes = note_outcomes(note, calendar)
        groups = [total]
        csa = m.authority.csa if m.authority_id and m.authority.csa_id else None
        if csa:
            groups.append(by_csa.setdefault(csa.pk, Group(str(csa))))
        provider = m.organiser.provider if m.organiser.provider_id else None
        if provider:
            groups.append(by_provider.setdefault(provider.pk, Group(str(provider))))
        for g in groups:
            g.notes += 1
            for stage, (on_time, taken) in outcomes.items():
                figures = g.stages[stage]
                if on_time:
                    figures.on_time += 1
                else:
                    figures.late += 1
                figures.taken.append(taken)
        stage, due = note.current_stage
        note.stage, note.due = stage, due
        note.due_label = due_label(due, today, calendar)
        note.is_overdue = bool(due and due < today and stage in ("draft", "final"))
        if note.is_overdue:
            overdue.append(note)
        rows.append((note, outcomes))
    return {
        "total": total,
        "by_csa": sorted(by_csa.values(), key=lambda g: g.label),
        "by_provider": sorted(by_provider.values(), key=lambda g: g.label),
        "overdue": overdue,
        "rows": rows,
        "today": today,
    }


# --- iCalendar ------------------------------------------------------------------------------------


def ical_events(user, today=None):
    """The user's visible meetings (from 90 days ago) and the note deadlines they must meet."""
    today = today or london_date()
    since = datetime.combine(today - timedelta(days=90), time.min, tzinfo=LONDON)
    meetings = list(
        meeting_list(user).filter(starts_at__gte=since).exclude(status=Meeting.Status.CANCELLED).order_by("starts_at")
    )
    S = MeetingNote.Status
    who = Q(author=user) | Q(officer_concerned=user) | Q(meeting__authority__dcs=user)
    if user.authority_id:
        who |= Q(meeting__authority_id=user.authority_id, status=S.DRAFT_CIRCULATED)
    deadlines = list(
        MeetingNote.objects.visible_to(user).exclude(status=S.FINAL_SENT).filter(who).select_related("meeting")
    )
    return meetings, deadlines
