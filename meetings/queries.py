"""Reads of meetings that views, exports, the dashboard and other apps share.

Other apps read meetings only through here: ``meetings_for_authority(user, authority)`` and
``meetings_for_forum(user, forum)`` (with the includes ``templates/meetings/includes/
authority_meetings.html`` and ``forum_meetings.html``, context ``meetings``), ``dashboard_panels``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Role, User, in_scope
from authorities.models import LocalAuthority, RegionalForum
from core.panels import Panel
from core.working_days import LONDON, WorkingCalendar, due_label, london_date
from providers.models import Provider

from . import compliance_figures
from .compliance_figures import Group, StageFigures, notes_calendar  # noqa: F401 - Group, StageFigures re-exported
from .models import Meeting, MeetingNote

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.db.models import QuerySet

    from authorities.models import Region
    from core.digest import DigestItem

AGENDA_WARNING_DAYS = 2


def meeting_list(user: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .select_related("authority", "forum", "organiser", "note")
        .order_by("starts_at", "pk")
    )


def meetings_for_authority(user: User, authority: LocalAuthority) -> QuerySet[Meeting]:
    """Meetings the user may see that are the authority's, or provider clinics it is invited to."""
    ids = Meeting.objects.filter(Q(authority=authority) | Q(authorities=authority)).values("pk")
    return meeting_list(user).filter(pk__in=ids)


def meetings_for_forum(user: User, forum: RegionalForum) -> QuerySet[Meeting]:
    return meeting_list(user).filter(forum=forum)


def meeting_detail(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related(
        "authority__dcs", "authority__csa", "authority__region", "forum__chair", "organiser", "agenda_agreed_by"
    )


def agenda_deadline(today: date | None = None, calendar: WorkingCalendar | None = None) -> datetime:
    """Meetings starting by the end of this working day + 2 without an agreed agenda are flagged."""
    today = today or london_date()
    calendar = calendar or WorkingCalendar(today, today)
    last = calendar.add(today, AGENDA_WARNING_DAYS)
    return datetime.combine(last, time.max, tzinfo=LONDON)


def needs_agenda_flag(meeting: Meeting, deadline: datetime, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.SCHEDULED
        and meeting.agenda_agreed_at is None
        and now <= meeting.starts_at <= deadline
    )


def unagreed_soon(
    user: User, now: datetime | None = None, calendar: WorkingCalendar | None = None
) -> QuerySet[Meeting]:
    now = now or timezone.now()
    deadline = agenda_deadline(london_date(now), calendar)
    return meeting_list(user).filter(
        status=Meeting.Status.SCHEDULED, agenda_agreed_at__isnull=True, starts_at__gte=now, starts_at__lte=deadline
    )


def calendar_for(notes: Iterable[MeetingNote], today: date) -> WorkingCalendar:
    """A working calendar over today and the notes' due dates (one closures query)."""
    dues = [due for due in (n.current_stage[1] for n in notes) if due]
    return WorkingCalendar(min([*dues, today]), max([*dues, today]))


def label_notes(
    notes: Iterable[MeetingNote], today: date | None = None, calendar: WorkingCalendar | None = None
) -> list[MeetingNote]:
    """Attach ``due``, ``stage`` and ``due_label`` to each note (one closures query, none with a
    ``calendar`` over the notes' due dates)."""
    today = today or london_date()
    listed = list(notes)
    calendar = calendar or calendar_for(listed, today)
    for note in listed:
        note.stage, note.due = note.current_stage
        note.due_label = due_label(note.due, today, calendar)
        note.is_overdue = bool(note.due and note.due < today)
    return listed


# --- dashboard ------------------------------------------------------------------------------------


def _open_notes() -> QuerySet[MeetingNote]:
    """Notes not yet final, with what the dashboard's lists show (not the notes' or meetings' texts)."""
    return (
        MeetingNote.objects.exclude(status=MeetingNote.Status.FINAL_SENT)
        .select_related("meeting", "author")
        .only(
            "status", "draft_due", "response_due", "final_due", "meeting__title", "author__full_name", "author__email"
        )
    )


def notes_to_write(user: User) -> QuerySet[MeetingNote]:
    S = MeetingNote.Status
    return _open_notes().filter(author=user, status__in=[S.AWAITING_DRAFT, S.COMMENTS_RECEIVED, S.NO_COMMENTS])


def notes_awaiting_response(user: User) -> QuerySet[MeetingNote]:
    S = MeetingNote.Status
    q = Q(officer_concerned=user)
    if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
        # The authority's meetings as a subquery: a join would read every circulated draft's meeting.
        q |= Q(meeting__in=Meeting.objects.filter(authority_id=user.authority_id).values("pk"))
    return _open_notes().filter(q, status=S.DRAFT_CIRCULATED)


def overdue_in_region(user: User, today: date | None = None) -> QuerySet[MeetingNote]:
    today = today or london_date()
    S = MeetingNote.Status
    if user.region_id is None:
        return MeetingNote.objects.none()
    # The region's authorities and forums as subqueries: joined, every overdue note's meeting, authority
    # and forum would be read before the first 50 were found.
    authorities = LocalAuthority.objects.filter(region_id=user.region_id).values("pk")
    forums = RegionalForum.objects.filter(region_id=user.region_id).values("pk")
    region = Q(meeting__authority__in=authorities) | Q(meeting__authority__isnull=True, meeting__forum__in=forums)
    overdue = Q(status=S.AWAITING_DRAFT, draft_due__lt=today) | Q(
        status__in=[S.COMMENTS_RECEIVED, S.NO_COMMENTS], final_due__lt=today
    )
    return _open_notes().filter(region, overdue)


def _notes_panel(to_write: list[MeetingNote], to_respond: list[MeetingNote]) -> Panel | None:
    if not (to_write or to_respond):
        return None
    return Panel(
        title="Meeting notes",
        template="meetings/dashboard/_notes.html",
        context={
            "due": [n for n in to_write if not n.is_overdue],
            "overdue": [n for n in to_write if n.is_overdue],
            "to_respond": to_respond,
        },
        order=30,
    )


def _escalations_panel(escalated: list[MeetingNote]) -> Panel | None:
    if not escalated:
        return None
    return Panel(
        title="Overdue meeting notes in your region",
        template="meetings/dashboard/_overdue_region.html",
        context={"notes": escalated},
        order=31,
    )


def _agendas_panel(user: User, calendar: WorkingCalendar) -> Panel | None:
    soon = list(unagreed_soon(user, calendar=calendar)[:20])
    if not soon:
        return None
    return Panel(
        title="Meetings soon without an agreed agenda",
        template="meetings/dashboard/_agendas.html",
        context={"meetings": soon},
        order=32,
    )


def dashboard_panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated) or user.role == Role.NATIONAL:
        return []
    today = london_date()
    to_write = list(notes_to_write(user)[:50])
    to_respond = list(notes_awaiting_response(user)[:50])
    escalated: list[MeetingNote] = []
    if user.role == Role.GO_DIRECTOR and user.region_id:
        escalated = list(overdue_in_region(user, today)[:50])
    # One calendar (one closures query) for every panel's due dates and the agenda deadline.
    calendar = calendar_for([*to_write, *to_respond, *escalated], today)
    for notes in (to_write, to_respond, escalated):
        label_notes(notes, today, calendar)
    panels = (_notes_panel(to_write, to_respond), _escalations_panel(escalated), _agendas_panel(user, calendar))
    return [panel for panel in panels if panel is not None]


# --- compliance -----------------------------------------------------------------------------------


def compliance_notes(user: User, region: Region | None = None) -> QuerySet[MeetingNote]:
    """The notes a compliance view covers for the user: GO staff their region; admin and national every
    region (or ``region``); a provider adviser the notes of its provider's meetings."""
    qs = MeetingNote.objects.order_by("draft_due", "pk")
    if not in_scope(user):
        return qs.none()  # never every region's notes for an account without its organisation
    if user.role in (Role.CSA, Role.GO_DIRECTOR):
        region = user.region
    elif user.role == Role.PROVIDER_ADVISER:
        if user.provider_id is None:
            return qs.none()
        return qs.filter(meeting__organiser__provider_id=user.provider_id)
    elif not (user.role in (Role.ADMIN, Role.NATIONAL) or user.is_superuser):
        return qs.none()
    if region is not None:
        qs = qs.filter(
            Q(meeting__authority__region=region) | Q(meeting__authority__isnull=True, meeting__forum__region=region)
        )
    return qs


def _london_date(field_name: str) -> TruncDate:
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


# A row of ``compliance``'s query: a named tuple of the note's columns and _FIGURE_COLUMNS.
NoteRow = Any
ON_TIME, EXTENDED, LATE = "on time", "on time with an agreed extension", "late"
# Per finished stage: (on time, working days taken, working days of agreed extension, outcome).
Outcome = tuple[bool, int, int, str]
Outcomes = dict[str, Outcome]
# (note id, stage) -> (working days of the agreed extensions, the due date before the first of them).
Extensions = dict[tuple[int, str], tuple[int, date]]


def _outcome(met: date, due: date, taken: int, extension: tuple[int, date] | None) -> Outcome:
    """(on time, working days taken, working days of extension, outcome) of a finished stage.
    ``extension``: (working days, the due date before the first agreed extension) or None."""
    if extension is None:
        return (met <= due, taken, 0, ON_TIME if met <= due else LATE)
    days, original = extension
    if met > due:
        return (False, taken, days, LATE)
    if days and met > original:
        return (True, taken, days, EXTENDED)
    return (True, taken, days, ON_TIME)


def note_outcomes(note: NoteRow, calendar: WorkingCalendar, extensions: Extensions | None = None) -> Outcomes:
    """Per stage: (on_time, working days taken, working days of agreed extension, outcome — ON_TIME,
    EXTENDED or LATE), absent while the stage is not finished. ``note`` is a row of ``compliance``'s
    query (``held_on``, ``circulated_on``, ``comments_on``, ``final_on``: dates); ``extensions`` maps
    (note id, stage) to (working days, the due date before the first agreed extension)."""
    extensions = extensions or {}
    out: Outcomes = {}
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


def agreed_extensions(notes: QuerySet[MeetingNote]) -> Extensions:
    """{(note id, stage): (working days, the due date before the first agreed extension)} of the agreed
    extensions of ``notes`` (one query)."""
    from django.db.models import Min, Sum

    from .models import DeadlineExtension

    rows = (
        DeadlineExtension.objects.filter(status=DeadlineExtension.Status.AGREED, note__in=notes.values("pk"))
        .values("note_id", "stage")
        .annotate(days=Sum("working_days"), first=Min("old_due"))
        .order_by()
    )
    return {(r["note_id"], r["stage"]): (r["days"], r["first"]) for r in rows}


def _current_stage(
    status: str, draft_due: date | None, response_due: date | None, final_due: date | None
) -> tuple[str | None, date | None]:
    """As ``MeetingNote.current_stage``, from a row's columns."""
    S = MeetingNote.Status
    if status == S.AWAITING_DRAFT:
        return "draft", draft_due
    if status == S.DRAFT_CIRCULATED:
        return "response", response_due
    if status in (S.COMMENTS_RECEIVED, S.NO_COMMENTS):
        return "final", final_due
    return None, None


def _overdue(today: date) -> Q:
    """The notes whose draft or final note is past its due date (``_current_stage``)."""
    S = MeetingNote.Status
    return Q(status=S.AWAITING_DRAFT, draft_due__lt=today) | Q(
        status__in=[S.COMMENTS_RECEIVED, S.NO_COMMENTS], final_due__lt=today
    )


class OverdueNotes:
    """The overdue notes in the figures' order (due date of the draft, then id), as a sequence for a
    paginator: its length is one COUNT query and a slice one query of that slice's notes (with their
    meeting and author), however many are overdue. Each note carries ``stage``, ``due`` and
    ``due_label``."""

    def __init__(self, notes: QuerySet[MeetingNote], today: date, calendar: WorkingCalendar) -> None:
        self._notes = notes.select_related("meeting", "author").order_by("draft_due", "pk")
        self._today, self._calendar = today, calendar
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._notes.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return bool(self.count())

    def __getitem__(self, index: int | slice) -> Any:  # a note, or a list of notes for a slice
        if isinstance(index, slice):
            return self._label(list(self._notes[index]))
        return self._label([self._notes[index]])[0]

    def __iter__(self) -> Iterator[MeetingNote]:
        return iter(self._label(list(self._notes)))

    def _label(self, notes: list[MeetingNote]) -> list[MeetingNote]:
        for note in notes:
            note.stage, note.due = _current_stage(note.status, note.draft_due, note.response_due, note.final_due)
            note.is_overdue = True
            note.due_label = due_label(note.due, self._today, self._calendar)
        return notes


def compliance(
    user: User, region: Region | None = None, today: date | None = None, *, rows: bool = False
) -> dict[str, Any]:
    """The 5-working-day figures of the notes the user may see (``compliance_notes``): the total, by CSA
    and by provider (counted in SQL: ``meetings.compliance_figures``), the overdue notes
    (``OverdueNotes``) and, with ``rows``, ``compliance_rows``. A few queries whatever the number of
    notes; only the overdue notes of the slice shown are read."""
    today = today or london_date()
    scope = compliance_notes(user, region)
    calendar = notes_calendar(today)
    try:
        total, by_csa, by_provider = compliance_figures.figures(scope, calendar)
    except compliance_figures.OutsideWindow:
        calendar = notes_calendar(today, every_date=True)
        total, by_csa, by_provider = compliance_figures.figures(scope, calendar)
    _label(by_csa, User)
    _label(by_provider, Provider)
    return {
        "total": total,
        "by_csa": sorted(by_csa.values(), key=lambda g: g.label),
        "by_provider": sorted(by_provider.values(), key=lambda g: g.label),
        "overdue": OverdueNotes(scope.filter(_overdue(today)), today, calendar),
        "rows": compliance_rows(scope, today) if rows else [],
        "today": today,
    }


def compliance_rows(
    scope: QuerySet[MeetingNote], today: date | None = None, calendar: WorkingCalendar | None = None
) -> list[tuple[NoteRow, Outcomes, bool]]:
    """One row per note of ``scope`` for the CSV, in the figures' order: (the note's columns and the
    meeting's description, its outcomes — ``note_outcomes`` — and whether it is overdue now). Three
    queries and the calendar's, whatever the number of notes."""
    today = today or london_date()
    columns = {**_FIGURE_COLUMNS, **_CSV_COLUMNS}
    notes = scope.annotate(**columns).values_list(*_NOTE_COLUMNS, *columns, named=True)
    extensions = agreed_extensions(scope.order_by())
    calendar = calendar or notes_calendar(today, every_date=True)
    out = []
    for note in notes:
        current, due = _current_stage(note.status, note.draft_due, note.response_due, note.final_due)
        is_overdue = bool(due and due < today and current in ("draft", "final"))
        out.append((note, note_outcomes(note, calendar, extensions), is_overdue))
    return out


def _label(groups: dict[int, Group], model: type[User] | type[Provider]) -> None:
    """Name each group after its user or provider (one query)."""
    if groups:
        for pk, obj in model.objects.in_bulk(list(groups)).items():
            groups[pk].label = str(obj)


# --- iCalendar ------------------------------------------------------------------------------------


def ical_events(user: User, today: date | None = None) -> tuple[list[Meeting], list[MeetingNote]]:
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


def authority_panels(user: User, authority: LocalAuthority) -> list[Panel]:
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


def forum_panels(user: User, forum: RegionalForum) -> list[Panel]:
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

_DIGEST_MEETING = ("meeting_id", "meeting__title", "meeting__authority__name", "meeting__forum__name")


class _Digest:
    """What the digest's items share: today, a calendar of the year either side (one query; a date
    beyond it is counted on its own), links and labels made once each."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.calendar = WorkingCalendar(today - timedelta(days=366), today + timedelta(days=366))
        self.tomorrow = self.calendar.add(today, 1)
        self._links: dict[int, str] = {}
        self._labels: dict[date, str] = {}

    def link(self, meeting_id: int) -> str:
        from core.notify import absolute_url
        from plans.urls_cache import pk_reverse

        if meeting_id not in self._links:
            self._links[meeting_id] = absolute_url(pk_reverse("meetings:detail", meeting_id))
        return self._links[meeting_id]

    def when(self, due: date) -> str:
        if due not in self._labels:
            self._labels[due] = due_label(due, self.today, self.calendar)
        return self._labels[due]

    def state(self, due: date) -> str:
        from core.digest import DUE, OVERDUE, WAITING

        return OVERDUE if due < self.today else DUE if due <= self.tomorrow else WAITING


def _answerers(officer_id: int | None, dcs_id: int | None, chair_id: int | None, authority: str | None) -> set[Any]:
    """Who answers for the authority: its DCS and the officer concerned (a forum's chair when the
    meeting has no authority)."""
    return {officer_id, dcs_id} | ({chair_id} if authority is None else set())


def _notes_to_write(ids: list[int], digest: _Digest) -> list[DigestItem]:
    from core.digest import DigestItem

    S = MeetingNote.Status
    rows = (
        MeetingNote.objects.filter(author_id__in=ids, status__in=[S.AWAITING_DRAFT, S.COMMENTS_RECEIVED, S.NO_COMMENTS])
        .order_by()
        .values_list("author_id", "status", "draft_due", "final_due", *_DIGEST_MEETING)
    )
    items = []
    for author_id, status, draft_due, final_due, meeting_id, title, authority, forum in rows:
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
                state=digest.state(due),
                due=due,
                when=digest.when(due),
                link=digest.link(meeting_id),
            )
        )
    return items


def _responses_to_submit(ids: list[int], wanted: set[int], digest: _Digest) -> list[DigestItem]:
    from core.digest import DigestItem

    rows = (
        MeetingNote.objects.filter(status=MeetingNote.Status.DRAFT_CIRCULATED)
        .filter(
            Q(officer_concerned_id__in=ids)
            | Q(meeting__authority__dcs_id__in=ids)
            | Q(meeting__authority__isnull=True, meeting__forum__chair_id__in=ids)
        )
        .order_by()
        .values_list(
            "response_due",
            "officer_concerned_id",
            "meeting__authority__dcs_id",
            "meeting__forum__chair_id",
            *_DIGEST_MEETING,
        )
    )
    return [
        DigestItem(
            user_id=user_id,
            group=authority or forum or "",
            kind="Meeting note",
            title=f"Submit the authority's response to the draft note of {title}",
            state=digest.state(due),
            due=due,
            when=digest.when(due),
            link=digest.link(meeting_id),
        )
        for due, officer_id, dcs_id, chair_id, meeting_id, title, authority, forum in rows
        for user_id in _answerers(officer_id, dcs_id, chair_id, authority) & wanted
    ]


def _extensions_to_answer(ids: list[int], wanted: set[int], digest: _Digest) -> list[DigestItem]:
    from core.digest import DUE, OVERDUE, DigestItem

    from .models import DeadlineExtension

    rows = (
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
    stages = dict(DeadlineExtension._meta.get_field("stage").choices or [])
    items = []
    for row in rows:
        side, stage, old_due, new_due, name, email, author_id, officer_id, dcs_id, chair_id = row[:10]
        meeting_id, title, authority, forum = row[10:]
        people = {author_id} if side == "authority" else _answerers(officer_id, dcs_id, chair_id, authority)
        items += [
            DigestItem(
                user_id=user_id,
                group=authority or forum or "",
                kind="Extension",
                title=(
                    f"Agree or decline {name or email}'s request to extend the "
                    f"{str(stages[stage]).lower()} of {title} to {new_due:%d %B %Y}"
                ),
                state=OVERDUE if old_due < digest.today else DUE,
                due=old_due,
                when=digest.when(old_due),
                link=digest.link(meeting_id) + "#extensions",
            )
            for user_id in people & wanted
        ]
    return items


def digest_items(users: Mapping[int, User], today: date) -> list[DigestItem]:
    """The notes waiting on ``users`` for the daily digest (``core.digest``), in three queries of plain
    rows (thousands of people at once) and one for the calendar: the draft and final notes they write, the drafts awaiting the
    response they submit (DCS, officer concerned, a forum's chair), and the extensions awaiting their
    answer."""
    ids = list(users)
    digest = _Digest(today)
    return [
        *_notes_to_write(ids, digest),
        *_responses_to_submit(ids, set(ids), digest),
        *_extensions_to_answer(ids, set(ids), digest),
    ]


# --- whom an organiser may invite ------------------------------------------------------------------

GO_ROLES = (Role.CSA, Role.GO_DIRECTOR, Role.ADMIN)


def invitable_attendees(
    actor: User,
    *,
    authority: LocalAuthority | None = None,
    forum: RegionalForum | None = None,
    authorities: Iterable[LocalAuthority] = (),
    providers: Iterable[Provider] = (),
    meeting: Meeting | None = None,
) -> QuerySet[User]:
    """The active people ``actor`` may put on a meeting's attendance list: the Government Office staff
    of the meeting's region, the DCS and officers of its authority (and of the authorities invited to a
    clinic, or of the region's authorities for a forum meeting), and provider advisers — of the
    actor's own provider only when the actor is a provider adviser, else of the providers taking
    part or serving the region. Whoever is already on the list stays invitable. Anyone else is
    answered exactly like an address with no account, so the form never tells an organiser whether
    an arbitrary email belongs to someone (docs/architecture.md, Meeting attendees)."""
    if meeting is not None:
        authority = authority or meeting.authority
        forum = forum or meeting.forum
        authorities = [*authorities, *meeting.authorities.all()]
        providers = [*providers, *meeting.providers.all()]
    region_id = authority.region_id if authority is not None else (forum.region_id if forum is not None else None)
    q = Q(pk=actor.pk)
    if region_id is not None:
        q |= Q(role__in=GO_ROLES, region_id=region_id)
    authority_ids = {a.pk for a in authorities} | ({authority.pk} if authority is not None else set())
    if authority_ids:
        q |= Q(authority_id__in=authority_ids)
    elif forum is not None:
        q |= Q(authority__region_id=forum.region_id)
    if actor.role == Role.PROVIDER_ADVISER:
        if actor.provider_id is not None:
            q |= Q(role=Role.PROVIDER_ADVISER, provider_id=actor.provider_id)
    else:
        provider_q = Q(pk__in=[p.pk for p in providers])
        if region_id is not None:
            provider_q |= Q(regions=region_id)
        if forum is not None:
            provider_q |= Q(forums=forum.pk)
        q |= Q(role=Role.PROVIDER_ADVISER, provider__in=Provider.objects.filter(provider_q))
    if meeting is not None:
        q |= Q(pk__in=meeting.attendance.values("user_id"))
    return User.objects.filter(q, is_active=True).distinct()
