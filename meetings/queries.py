"""Reads of meetings that views, exports, the dashboard and other apps share.

Other apps read meetings only through here: ``meetings_for_authority(user, authority)`` and
``meetings_for_forum(user, forum)`` (with the includes ``templates/meetings/includes/
authority_meetings.html`` and ``forum_meetings.html``, context ``meetings``), ``dashboard_panels``.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Role, User
from core.panels import Panel
from core.working_days import LONDON, WorkingCalendar, due_label, london_date
from providers.models import Provider

from .models import Meeting, MeetingNote

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
    if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
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
    if not (user and user.is_authenticated) or user.role == Role.NATIONAL:
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
    if user.role == Role.GO_DIRECTOR and user.region_id:
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
    extended: int = 0  # on time with an agreed extension
    late: int = 0
    extension_days: int = 0  # the working days of the agreed extensions
    taken: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.taken) if self.taken else None

    @property
    def median_text(self):
        m = self.median
        return "—" if m is None else f"{m:g}"


STAGE_ROWS = (
    ("draft", "Draft note", ""),
    ("response", "Authority's response", "none by the due date"),
    ("final", "Final note", ""),
)


@dataclass
class Group:
    label: str
    stages: dict = field(default_factory=lambda: {s: StageFigures() for s in STAGES})
    notes: int = 0

    @property
    def rows(self):
        """(stage label, StageFigures, what "late" means) for each stage, in order."""
        return [(label, self.stages[stage], late) for stage, label, late in STAGE_ROWS]


def compliance_notes(user, region=None):
    """The notes a compliance view covers for the user: GO staff their region; admin and national every
    region (or ``region``); a provider adviser the notes of its provider's meetings."""
    qs = MeetingNote.objects.order_by("draft_due", "pk")
    if user.role in (Role.CSA, Role.GO_DIRECTOR):
        region = user.region
    elif user.role == Role.PROVIDER_ADVISER:
        return qs.filter(meeting__organiser__provider_id=user.provider_id)
    elif not (user.role in (Role.ADMIN, Role.NATIONAL) or user.is_superuser):
        return qs.none()
    if region is not None:
        qs = qs.filter(
            Q(meeting__authority__region=region) | Q(meeting__authority__isnull=True, meeting__forum__region=region)
        )
    return qs


def _london_date(field_name):
    return TruncDate(field_name, tzinfo=LONDON)


# One row per note: only what the figures need, the datetimes as Europe/London dates (in SQL).
_FIGURE_COLUMNS = {
    "held_on": F("meeting__held_on"),
    "csa_id": F("meeting__authority__csa_id"),
    "provider_id": F("meeting__organiser__provider_id"),
    "circulated_on": _london_date("draft_circulated_at"),
    "comments_on": _london_date("comments_received_at"),
    "final_on": _london_date("final_sent_at"),
}
# ...and, for the CSV, the meeting's description.
_CSV_COLUMNS = {
    "meeting_title": F("meeting__title"),
    "authority_name": F("meeting__authority__name"),
    "forum_name": F("meeting__forum__name"),
    "meeting_kind": F("meeting__kind"),
}
_NOTE_COLUMNS = ("pk", "status", "draft_due", "response_due", "final_due")


ON_TIME, EXTENDED, LATE = "on time", "on time with an agreed extension", "late"


def _outcome(met, due, taken, extension):
    """(on time, working days taken, working days of extension, outcome) of a finished stage.
    ``extension``: (working days, the due date before the first agreed extension) or None."""
    days, original = extension or (0, None)
    if met > due:
        return (False, taken, days, LATE)
    if days and met > original:
        return (True, taken, days, EXTENDED)
    return (True, taken, days, ON_TIME)


def note_outcomes(note, calendar, extensions=None):
    """Per stage: (on_time, working days taken, working days of agreed extension, outcome — ON_TIME,
    EXTENDED or LATE), absent while the stage is not finished. ``note`` is a row of ``compliance``'s
    query (``held_on``, ``circulated_on``, ``comments_on``, ``final_on``: dates); ``extensions`` maps
    (note id, stage) to (working days, the due date before the first agreed extension)."""
    extensions = extensions or {}
    out = {}
    c = note.circulated_on
    if c and note.held_on:
        out["draft"] = _outcome(
            c, note.draft_due, calendar.between(note.held_on, c), extensions.get((note.pk, "draft"))
        )
    if c and note.response_due:
        if note.comments_on:
            out["response"] = _outcome(
                note.comments_on,
                note.response_due,
                calendar.between(c, note.comments_on),
                extensions.get((note.pk, "response")),
            )
        elif note.status in (MeetingNote.Status.NO_COMMENTS, MeetingNote.Status.FINAL_SENT):
            days = extensions.get((note.pk, "response"), (0, None))[0]
            out["response"] = (False, calendar.between(c, note.response_due), days, LATE)
    if note.final_on and note.final_due:
        start = note.comments_on or note.response_due
        out["final"] = _outcome(
            note.final_on, note.final_due, calendar.between(start, note.final_on), extensions.get((note.pk, "final"))
        )
    return out


def agreed_extensions(notes):
    """{(note id, stage): (working days, the due date before the first agreed extension)} of the agreed
    extensions of ``notes`` (a queryset; one query)."""
    from django.db.models import Min, Sum

    from .models import DeadlineExtension

    rows = (
        DeadlineExtension.objects.filter(status=DeadlineExtension.Status.AGREED, note__in=notes.values("pk"))
        .values("note_id", "stage")
        .annotate(days=Sum("working_days"), first=Min("old_due"))
        .order_by()
    )
    return {(r["note_id"], r["stage"]): (r["days"], r["first"]) for r in rows}


def _current_stage(status, draft_due, response_due, final_due):
    """As ``MeetingNote.current_stage``, from a row's columns."""
    S = MeetingNote.Status
    if status == S.AWAITING_DRAFT:
        return "draft", draft_due
    if status == S.DRAFT_CIRCULATED:
        return "response", response_due
    if status in (S.COMMENTS_RECEIVED, S.NO_COMMENTS):
        return "final", final_due
    return None, None


class OverdueNotes:
    """The overdue notes in the figures' order, as a sequence that loads a slice's notes (with their
    meeting and author) in one query when it is read: a page of 50 costs one query however many are
    overdue. Each note carries ``stage``, ``due`` and ``due_label``."""

    def __init__(self, entries, today, calendar):
        self._entries = entries  # (pk, stage, due)
        self._today, self._calendar = today, calendar

    def __len__(self):
        return len(self._entries)

    def __bool__(self):
        return bool(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self._entries[index])
        return self._load([self._entries[index]])[0]

    def __iter__(self):
        return iter(self._load(self._entries))

    def _load(self, entries):
        if not entries:
            return []
        notes = MeetingNote.objects.select_related("meeting", "author").in_bulk([pk for pk, _, _ in entries])
        out = []
        for pk, stage, due in entries:
            note = notes[pk]
            note.stage, note.due, note.is_overdue = stage, due, True
            note.due_label = due_label(due, self._today, self._calendar)
            out.append(note)
        return out


def compliance(user, region=None, today=None, *, rows=False):
    """The 5-working-day figures of the notes the user may see (``compliance_notes``): the total, by CSA
    and by provider, the overdue notes (``OverdueNotes``) and, with ``rows``, one row per note with its
    outcomes for the CSV. A few queries whatever the number of notes; working days are counted in
    Python with one ``WorkingCalendar``."""
    today = today or london_date()
    columns = {**_FIGURE_COLUMNS, **(_CSV_COLUMNS if rows else {})}
    scope = compliance_notes(user, region)
    notes = list(scope.annotate(**columns).values_list(*_NOTE_COLUMNS, *columns, named=True))
    extensions = agreed_extensions(scope.order_by())
    dates = [today] + [n.held_on for n in notes if n.held_on] + [n.draft_due for n in notes]
    calendar = WorkingCalendar(min(dates) - timedelta(days=1), max(dates + [today]) + timedelta(days=1))
    total = Group("All notes")
    by_csa, by_provider = {}, {}
    overdue, out_rows = [], []
    for note in notes:
        outcomes = note_outcomes(note, calendar, extensions)
        groups = [total]
        if note.csa_id:
            groups.append(by_csa.get(note.csa_id) or by_csa.setdefault(note.csa_id, Group("")))
        if note.provider_id:
            groups.append(by_provider.get(note.provider_id) or by_provider.setdefault(note.provider_id, Group("")))
        for g in groups:
            g.notes += 1
            for stage, (_, taken, days, outcome) in outcomes.items():
                figures = g.stages[stage]
                if outcome == ON_TIME:
                    figures.on_time += 1
                elif outcome == EXTENDED:
                    figures.extended += 1
                else:
                    figures.late += 1
                figures.extension_days += days
                figures.taken.append(taken)
        stage, due = _current_stage(note.status, note.draft_due, note.response_due, note.final_due)
        is_overdue = bool(due and due < today and stage in ("draft", "final"))
        if is_overdue:
            overdue.append((note.pk, stage, due))
        if rows:
            out_rows.append((note, outcomes, is_overdue))
    _label(by_csa, User)
    _label(by_provider, Provider)
    return {
        "total": total,
        "by_csa": sorted(by_csa.values(), key=lambda g: g.label),
        "by_provider": sorted(by_provider.values(), key=lambda g: g.label),
        "overdue": OverdueNotes(overdue, today, calendar),
        "rows": out_rows,
        "today": today,
    }


def _label(groups, model):
    """Name each group after its user or provider (one query)."""
    if groups:
        for pk, obj in model.objects.in_bulk(list(groups)).items():
            groups[pk].label = str(obj)


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


MEETINGS_SHOWN = 10  # the latest meetings on an authority or forum page; the calendar has the rest


def authority_panels(user, authority):
    """The authority page's latest meetings (``core.panels``)."""
    meetings = list(meetings_for_authority(user, authority).order_by("-starts_at")[:MEETINGS_SHOWN])
    return [
        Panel(
            title="Key meetings",
            template="meetings/panels/authority_meetings.html",
            context={"authority": authority, "meetings": meetings},
            order=20,
        )
    ]


def forum_panels(user, forum):
    """The forum page's meetings and provider clinics (``core.panels``)."""
    meetings = list(meetings_for_forum(user, forum).order_by("-starts_at")[:MEETINGS_SHOWN])
    return [
        Panel(
            title="Forum meetings",
            template="meetings/includes/forum_meetings.html",
            context={"forum": forum, "meetings": meetings},
            order=20,
        )
    ]


# --- the daily digest -----------------------------------------------------------------------------


def digest_items(users, today):
    """The notes waiting on ``users`` for the daily digest (``core.digest``), in three queries of plain
    rows (thousands of people at once): the draft and final notes they write, the drafts awaiting the
    response they submit (DCS, officer concerned, a forum's chair), and the extensions awaiting their
    answer."""
    from core.digest import DUE, OVERDUE, WAITING, DigestItem
    from core.notify import absolute_url
    from plans.urls_cache import pk_reverse

    from .models import DeadlineExtension

    S = MeetingNote.Status
    ids = list(users)
    wanted = set(ids)
    meeting = ("meeting_id", "meeting__title", "meeting__authority__name", "meeting__forum__name")
    to_write = list(
        MeetingNote.objects.filter(author_id__in=ids, status__in=[S.AWAITING_DRAFT, S.COMMENTS_RECEIVED, S.NO_COMMENTS])
        .order_by()
        .values_list("author_id", "status", "draft_due", "final_due", *meeting)
    )
    to_answer = list(
        MeetingNote.objects.filter(status=S.DRAFT_CIRCULATED)
        .filter(
            Q(officer_concerned_id__in=ids)
            | Q(meeting__authority__dcs_id__in=ids)
            | Q(meeting__authority__isnull=True, meeting__forum__chair_id__in=ids)
        )
        .order_by()
        .values_list(
            "response_due", "officer_concerned_id", "meeting__authority__dcs_id", "meeting__forum__chair_id", *meeting
        )
    )
    requests = list(
        DeadlineExtension.objects.filter(status=DeadlineExtension.Status.REQUESTED)
        .filter(
            Q(side="authority", note__author_id__in=ids)
            | Q(side="author", note__officer_concerned_id__in=ids)
            | Q(side="author", note__meeting__authority__dcs_id__in=ids)
            | Q(side="author", note__meeting__authority__isnull=True, note__meeting__forum__chair_id__in=ids)
        )
        .order_by()
        .values_list(
            "side",
            "stage",
            "old_due",
            "new_due",
            "requested_by__full_name",
            "requested_by__email",
            "note__author_id",
            "note__officer_concerned_id",
            "note__meeting__authority__dcs_id",
            "note__meeting__forum__chair_id",
            "note__meeting_id",
            "note__meeting__title",
            "note__meeting__authority__name",
            "note__meeting__forum__name",
        )
    )
    dues = [r[2] if r[1] == S.AWAITING_DRAFT else r[3] for r in to_write] + [r[0] for r in to_answer]
    dues = [d for d in dues if d]
    calendar = WorkingCalendar(min([*dues, today]), max([*dues, today]))
    tomorrow = calendar.add(today, 1)
    links, labels = {}, {}

    def link(meeting_id):
        if meeting_id not in links:
            links[meeting_id] = absolute_url(pk_reverse("meetings:detail", meeting_id))
        return links[meeting_id]

    def when(due):
        if due not in labels:
            labels[due] = due_label(due, today, calendar)
        return labels[due]

    def state(due):
        return OVERDUE if due < today else DUE if due <= tomorrow else WAITING

    items = []
    for author_id, status, draft_due, final_due, meeting_id, title, authority, forum in to_write:
        drafting = status == S.AWAITING_DRAFT
        due = draft_due if drafting else final_due
        if due is None:
            continue
        what = "Write and circulate the draft note" if drafting else "Send the final note"
        items.append(
            DigestItem(
                user_id=author_id,
                group=authority or forum or "",
                kind="Meeting note",
                title=f"{what} of {title}",
                state=state(due),
                due=due,
                when=when(due),
                link=link(meeting_id),
            )
        )
    for due, officer_id, dcs_id, chair_id, meeting_id, title, authority, forum in to_answer:
        people = {officer_id, dcs_id} | ({chair_id} if authority is None else set())
        for user_id in people & wanted:
            items.append(
                DigestItem(
                    user_id=user_id,
                    group=authority or forum or "",
                    kind="Meeting note",
                    title=f"Submit the authority's response to the draft note of {title}",
                    state=state(due),
                    due=due,
                    when=when(due),
                    link=link(meeting_id),
                )
            )
    stages = dict(DeadlineExtension._meta.get_field("stage").choices)
    for (
        side,
        stage,
        old_due,
        new_due,
        asker_name,
        asker_email,
        author_id,
        officer_id,
        dcs_id,
        chair_id,
        meeting_id,
        title,
        authority,
        forum,
    ) in requests:
        if side == "authority":
            people = {author_id}
        else:
            people = {officer_id, dcs_id} | ({chair_id} if authority is None else set())
        for user_id in people & wanted:
            items.append(
                DigestItem(
                    user_id=user_id,
                    group=authority or forum or "",
                    kind="Extension",
                    title=(
                        f"Agree or decline {asker_name or asker_email}'s request to extend the "
                        f"{stages[stage].lower()} of {title} to {new_due:%d %B %Y}"
                    ),
                    state=OVERDUE if old_due < today else DUE,
                    due=old_due,
                    when=when(old_due),
                    link=link(meeting_id) + "#extensions",
                )
            )
    return items
