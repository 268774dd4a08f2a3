"""Every state change of meetings and notes (docs/architecture.md, Workflows: Meeting notes): permission, state, one transaction, history,
emails queued to go after commit.

The protocol's rule: a draft note within 5 working days of the meeting (D), the authority's response
within 5 working days of circulation (C), the final note within 5 working days of the response (R:
the day the DCS or the officer concerned submits it, holding the authority's comments) or of the
lapsed response window. Agreed extensions add working days to a stage (``meetings.extensions``); the
due dates follow ``meetings.deadlines``. ``sweep_deadlines`` reminds, escalates and lapses in a fixed
number of queries; reminders go out as each person chooses (``core.digest``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Role, User
from accounts.permissions import require
from core.digest import sends_immediately
from core.errors import ServiceError
from core.locking import check_and_bump
from core.notify import absolute_url, queue_email, queue_emails
from core.working_days import WorkingCalendar, add_working_days, end_of_day, london_date

from .deadlines import NOTE_DAYS, close_open_requests, stage_due
from .models import DeadlineExtension, Meeting, MeetingAttendee, MeetingNote, NoteComment, NoteJudgement, Reminder
from .queries import invitable_attendees
from .rules import Target

if TYPE_CHECKING:
    from authorities.models import LocalAuthority, RegionalForum
    from providers.models import Provider

    from .models import ICalToken

MEETING_FIELDS = (
    "kind",
    "title",
    "purpose",
    "starts_at",
    "location",
    "is_remote",
    "is_face_to_face",
    "agenda",
    "priority_theme",
)


# A reminder the sweep sends: (note, stage, kind, recipient, due date).
Wanted = tuple[MeetingNote, str, str, User, date]
# One attendee of a meeting: (user, what they contribute).
Attendee = tuple[User, str]


def _meeting_for_update(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("authority", "forum").get(pk=meeting.pk)


def _note_for_update(note: MeetingNote) -> MeetingNote:
    locked = MeetingNote.objects.select_for_update().get(pk=note.pk)
    locked.meeting = Meeting.objects.select_related("authority__dcs", "forum").get(pk=locked.meeting_id)
    return locked


def _save_note(note: MeetingNote, actor: User | None, fields: list[str]) -> None:
    note._history_user = actor
    note.save(update_fields=[*fields, "lock_version"] if "lock_version" not in fields else fields)


def _due(value: date | None) -> date:
    """A due date that the note's state guarantees is set."""
    if value is None:
        raise ServiceError("This note has no due date for its current stage.")
    return value


def _clean_meeting(data: dict[str, Any]) -> None:
    if not (data.get("purpose") or "").strip():
        raise ServiceError("Enter the purpose of the meeting", field="purpose")
    if not (data.get("title") or "").strip():
        raise ServiceError("Enter a title", field="title")
    if not data.get("starts_at"):
        raise ServiceError("Enter the date and time of the meeting", field="starts_at")
    if data.get("kind") not in Meeting.Kind.values:
        raise ServiceError("Select the kind of meeting", field="kind")
    if not data.get("is_remote") and not (data.get("location") or "").strip():
        raise ServiceError("Enter where the meeting takes place, or say it is remote", field="location")


def _set_attendees(meeting: Meeting, attendees: Iterable[Attendee], *, actor: User) -> None:
    """``attendees``: (user, contribution) pairs; replaces the list. Only people the actor may invite
    (``queries.invitable_attendees``); anyone else is refused with the answer an unknown address gets."""
    attendees = list(attendees)
    invitable = set(invitable_attendees(actor, meeting=meeting).values_list("pk", flat=True))
    refused = [user.email for user, _ in attendees if user.pk not in invitable]
    if refused:
        raise ServiceError(
            "Enter the email address of someone you can invite: people of the meeting's authority, the "
            f"Government Office or the providers taking part. Not one of them: {', '.join(refused)}",
            field="attendees",
        )
    MeetingAttendee.objects.filter(meeting=meeting).delete()
    seen = set()
    rows = []
    for user, contribution in attendees:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(MeetingAttendee(meeting=meeting, user=user, contribution=(contribution or "").strip()))
    bulk_create_with_history(rows, MeetingAttendee, default_user=actor)


def _meeting_link(meeting: Meeting) -> str:
    return absolute_url(meeting.get_absolute_url())


def schedule_meeting(
    *,
    actor: User,
    authority: LocalAuthority | None = None,
    forum: RegionalForum | None = None,
    attendees: Iterable[Attendee] = (),
    authorities: Iterable[LocalAuthority] = (),
    providers: Iterable[Provider] = (),
    **fields: Any,
) -> Meeting:
    """Schedule a meeting for an authority (or a forum); the organiser clarifies its purpose first."""
    if authority is None and forum is None:
        raise ServiceError("Select the authority or the forum the meeting is for", field="authority")
    require(actor, "meetings.add_meeting", Target(authority=authority, forum=forum))
    data = {k: fields.get(k) for k in MEETING_FIELDS}
    data["is_remote"] = bool(data["is_remote"])
    data["is_face_to_face"] = bool(True if data["is_face_to_face"] is None else data["is_face_to_face"])
    for key in ("location", "agenda", "priority_theme"):
        data[key] = (data[key] or "").strip()
    _clean_meeting(data)
    if data["kind"] == Meeting.Kind.PROVIDER_CLINIC and forum is None:
        raise ServiceError("Select the forum the provider clinic is held for", field="forum")
    with transaction.atomic():
        meeting = Meeting.objects.create(authority=authority, forum=forum, organiser=actor, **data)
        if authorities:
            meeting.authorities.set(authorities)
        if providers:
            meeting.providers.set(providers)
        attendees = list(attendees)
        _set_attendees(meeting, attendees, actor=actor)
        invitees = [user for user, _ in attendees if user.pk != actor.pk]
        if invitees:
            queue_email(
                key=f"meeting-scheduled:{meeting.pk}",
                recipients=invitees,
                subject=f"Meeting: {meeting.title} on {timezone.localtime(meeting.starts_at):%d %B %Y}",
                template="meetings/email/scheduled.txt",
                context={"meeting": meeting, "link": _meeting_link(meeting)},
            )
    return meeting


def update_meeting(
    *, actor: User, meeting: Meeting, lock_version: int, attendees: Iterable[Attendee] | None = None, **fields: Any
) -> Meeting:
    """Change a scheduled meeting; a changed agenda needs agreeing again."""
    with transaction.atomic():
        meeting = _meeting_for_update(meeting)
        require(actor, "meetings.change_meeting", meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ServiceError("Only a scheduled meeting can be changed.")
        check_and_bump(meeting, lock_version)
        data = {k: getattr(meeting, k) for k in MEETING_FIELDS}
        data.update({k: v for k, v in fields.items() if k in MEETING_FIELDS})
        for key in ("location", "agenda", "priority_theme"):
            data[key] = (data[key] or "").strip()
        _clean_meeting(data)
        if data["agenda"] != meeting.agenda:
            meeting.agenda_agreed_at = None
            meeting.agenda_agreed_by = None
        for key, value in data.items():
            setattr(meeting, key, value)
        meeting.save()
        if attendees is not None:
            _set_attendees(meeting, attendees, actor=actor)
    return meeting


def agree_agenda(*, actor: User, meeting: Meeting) -> Meeting:
    """The authority (DCS or LA officer) or the forum's chair agrees the agenda before the meeting."""
    with transaction.atomic():
        meeting = _meeting_for_update(meeting)
        require(actor, "meetings.agree_agenda", meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ServiceError("The agenda can only be agreed before the meeting.")
        if not meeting.agenda.strip():
            raise ServiceError("There is no agenda to agree yet: the organiser must write it first.")
        if meeting.agenda_agreed_at:
            raise ServiceError("The agenda is already agreed.")
        meeting.agenda_agreed_at = timezone.now()
        meeting.agenda_agreed_by = actor
        meeting.lock_version += 1
        meeting.save(update_fields=["agenda_agreed_at", "agenda_agreed_by", "lock_version"])
        queue_email(
            key=f"agenda-agreed:{meeting.pk}:{meeting.lock_version}",
            recipients=[meeting.organiser],
            subject=f"Agenda agreed: {meeting.title}",
            template="meetings/email/agenda_agreed.txt",
            context={"meeting": meeting, "actor": actor, "link": _meeting_link(meeting)},
        )
    return meeting


def cancel_meeting(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    with transaction.atomic():
        meeting = _meeting_for_update(meeting)
        require(actor, "meetings.change_meeting", meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ServiceError("Only a scheduled meeting can be cancelled.")
        meeting.status = Meeting.Status.CANCELLED
        meeting.lock_version += 1
        meeting.save(update_fields=["status", "lock_version"])
        recipients = [u for u in meeting.attendees.all() if u.pk != actor.pk]
        if recipients:
            queue_email(
                key=f"meeting-cancelled:{meeting.pk}",
                recipients=recipients,
                subject=f"Cancelled: {meeting.title}",
                template="meetings/email/cancelled.txt",
                context={"meeting": meeting, "reason": reason, "link": _meeting_link(meeting)},
            )
    return meeting


def mark_held(
    *, actor: User, meeting: Meeting, held_on: date | None, officer_concerned: User | None = None
) -> MeetingNote:
    """The meeting took place on ``held_on`` (D): its note opens with draft_due = D + 5 working days."""
    with transaction.atomic():
        meeting = _meeting_for_update(meeting)
        require(actor, "meetings.change_meeting", meeting)
        if meeting.status != Meeting.Status.SCHEDULED:
            raise ServiceError("Only a scheduled meeting can be marked as held.")
        if held_on is None:
            raise ServiceError("Enter the date the meeting was held", field="held_on")
        if held_on > london_date():
            raise ServiceError("The date the meeting was held must be today or in the past", field="held_on")
        if officer_concerned is None and meeting.authority:
            officer_concerned = meeting.authority.dcs
        meeting.status = Meeting.Status.HELD
        meeting.held_on = held_on
        meeting.lock_version += 1
        meeting.save(update_fields=["status", "held_on", "lock_version"])
        note = MeetingNote(
            meeting=meeting,
            author=meeting.organiser,
            officer_concerned=officer_concerned,
            draft_due=add_working_days(held_on, NOTE_DAYS),
        )
        note._history_user = actor
        note.save()
    return note


def save_draft(
    *,
    actor: User,
    note: MeetingNote,
    draft: str | None,
    lock_version: int,
    judgements: Iterable[tuple[str, str, str]] | None = None,  # (area, performance rating, risk)
    officer_concerned: User | None = None,
) -> MeetingNote:
    """The author writes the draft note and its judgements (area, performance rating, risk)."""
    with transaction.atomic():
        note = _note_for_update(note)
        require(actor, "meetings.write_note", note)
        if note.status != MeetingNote.Status.AWAITING_DRAFT:
            raise ServiceError("The draft has been circulated and can no longer be changed.")
        check_and_bump(note, lock_version)
        note.draft = (draft or "").strip()
        fields = ["draft", "lock_version"]
        if officer_concerned is not None:
            note.officer_concerned = officer_concerned
            fields.append("officer_concerned")
        _save_note(note, actor, fields)
        if judgements is not None:
            note.judgements.all().delete()
            bulk_create_with_history(
                [
                    NoteJudgement(note=note, area=area.strip(), performance_rating=rating, risk=risk)
                    for area, rating, risk in judgements
                    if area and area.strip()
                ],
                NoteJudgement,
                default_user=actor,
            )
    return note


def circulate_draft(*, actor: User, note: MeetingNote, on: date | None = None) -> MeetingNote:
    """Send the draft to the authority on day C: response_due = C + 5 working days."""
    with transaction.atomic():
        note = _note_for_update(note)
        require(actor, "meetings.write_note", note)
        if note.status != MeetingNote.Status.AWAITING_DRAFT:
            raise ServiceError("The draft has already been circulated.")
        if not note.draft.strip():
            raise ServiceError("Write the draft note before circulating it.", field="draft")
        circulated_on = on or london_date()
        note.status = MeetingNote.Status.DRAFT_CIRCULATED
        note.draft_circulated_at = timezone.now() if on is None else _noon(circulated_on)
        note.response_due = add_working_days(circulated_on, NOTE_DAYS)
        note.lock_version += 1
        _save_note(note, actor, ["status", "draft_circulated_at", "response_due"])
        close_open_requests(note, "draft")
        meeting = note.meeting
        queue_email(
            key=f"note-circulated:{note.pk}",
            recipients=[r for r in (meeting.authority.dcs if meeting.authority else None, note.officer_concerned) if r],
            subject=f"Draft note for comment by {note.response_due:%d %B %Y}: {meeting.title}",
            template="meetings/email/circulated.txt",
            context={"note": note, "meeting": meeting, "link": _meeting_link(meeting)},
        )
    return note


def _noon(d: date) -> datetime:
    from core.working_days import LONDON

    return datetime(d.year, d.month, d.day, 12, 0, tzinfo=LONDON)


def add_comment(
    *, actor: User, note: MeetingNote, body: str, judgement: NoteJudgement | None = None, on: date | None = None
) -> NoteComment:
    """The authority's users comment on the circulated draft; a comment may challenge a judgement.
    Comments make up the authority's response, which the DCS or the officer concerned submits
    (``submit_response``): a comment alone starts no clock."""
    body = (body or "").strip()
    if not body:
        raise ServiceError("Enter your comment", field="body")
    with transaction.atomic():
        note = _note_for_update(note)
        require(actor, "meetings.comment_note", note)
        today = on or london_date()
        S = MeetingNote.Status
        if note.status != S.DRAFT_CIRCULATED:
            if note.response_submitted_at:
                raise ServiceError(
                    f"The authority's response was submitted on {london_date(note.response_submitted_at):%d %B %Y}: "
                    "no more comments can be added."
                )
            raise ServiceError("Comments can only be made on a circulated draft.")
        if today > _due(note.response_due):
            raise ServiceError(f"The response window closed on {note.response_due:%d %B %Y}.")
        if judgement is not None and judgement.note_id != note.pk:
            raise ServiceError("Select a judgement of this note", field="judgement")
        comment = NoteComment.objects.create(
            note=note,
            author=actor,
            body=body,
            challenges_assessment=judgement is not None,
            judgement=judgement,
            created_at=timezone.now() if on is None else _noon(today),
        )
        queue_email(
            key=f"note-comment:{comment.pk}",
            recipients=[note.author],
            subject=("Challenge to a judgement" if judgement else "Comment on the draft note")
            + f": {note.meeting.title}",
            template="meetings/email/comment.txt",
            context={"note": note, "comment": comment, "link": _meeting_link(note.meeting)},
        )
    return comment


def submit_response(*, actor: User, note: MeetingNote, on: date | None = None) -> MeetingNote:
    """The DCS or the officer concerned submits the authority's response (its comments and challenges,
    any number of them, or none) on day R: final_due = R + 5 working days."""
    S = MeetingNote.Status
    with transaction.atomic():
        note = _note_for_update(note)
        require(actor, "meetings.submit_response", note)
        today = on or london_date()
        if note.status != S.DRAFT_CIRCULATED:
            if note.response_submitted_at:
                raise ServiceError("The authority's response has already been submitted.")
            raise ServiceError("A response can only be submitted to a circulated draft.")
        if today > _due(note.response_due):
            raise ServiceError(f"The response window closed on {note.response_due:%d %B %Y}.")
        now = timezone.now() if on is None else _noon(today)
        note.status = S.COMMENTS_RECEIVED
        note.comments_received_at = note.response_submitted_at = now
        note.response_submitted_by = actor
        note.final_due = add_working_days(today, NOTE_DAYS)
        note.lock_version += 1
        _save_note(
            note,
            actor,
            ["status", "comments_received_at", "response_submitted_at", "response_submitted_by", "final_due"],
        )
        close_open_requests(note, "response")
        comments = list(note.comments.all())
        queue_email(
            key=f"note-response:{note.pk}",
            recipients=[note.author],
            subject=f"The authority's response: the final note is due by {note.final_due:%d %B %Y}: {note.meeting.title}",
            template="meetings/email/response.txt",
            context={
                "note": note,
                "meeting": note.meeting,
                "actor": actor,
                "comments": len(comments),
                "challenges": sum(1 for c in comments if c.challenges_assessment),
                "link": _meeting_link(note.meeting),
            },
        )
    return note


def _lapse(note: MeetingNote, has_comments: bool) -> list[str]:
    """The response window closed without a submission: comments made count as the response,
    received on its due date; without any, the note has no comments. Either way the final note is due
    5 working days after response_due."""
    S = MeetingNote.Status
    if has_comments:
        note.status = S.COMMENTS_RECEIVED
        note.comments_received_at = end_of_day(_due(note.response_due))
    else:
        note.status = S.NO_COMMENTS
    note.final_due = stage_due(_due(note.response_due))
    note.lock_version += 1
    return ["status", "comments_received_at", "final_due", "lock_version"]


def lapse_response_window(*, note: MeetingNote, today: date | None = None) -> MeetingNote:
    """No response submitted by response_due (see ``_lapse``)."""
    today = today or london_date()
    with transaction.atomic():
        note = _note_for_update(note)
        if note.status != MeetingNote.Status.DRAFT_CIRCULATED:
            raise ServiceError("Only a circulated draft awaiting its response can lapse.")
        if today <= _due(note.response_due):
            raise ServiceError(f"The response window is open until {note.response_due:%d %B %Y}.")
        fields = _lapse(note, note.comments.exists())
        _save_note(note, None, fields)
        close_open_requests(note, "response")
    return note


def send_final(*, actor: User, note: MeetingNote, final: str | None, on: date | None = None) -> MeetingNote:
    """The final note goes to the officer concerned, copied to the DCS; the note is read-only after."""
    final = (final or "").strip()
    with transaction.atomic():
        note = _note_for_update(note)
        require(actor, "meetings.write_note", note)
        S = MeetingNote.Status
        today = on or london_date()
        if note.status == S.DRAFT_CIRCULATED:
            if today <= _due(note.response_due):
                raise ServiceError(
                    "The authority's response window is still open: it closes at the end of "
                    f"{note.response_due:%A %d %B %Y} unless the authority submits its response before then."
                )
            _save_note(note, None, _lapse(note, note.comments.exists()))
            close_open_requests(note, "response")
        if note.status not in (S.COMMENTS_RECEIVED, S.NO_COMMENTS):
            raise ServiceError("The final note can only be sent once the draft has had its response.")
        if not final:
            raise ServiceError("Enter the final note", field="final")
        note.final = final
        note.status = S.FINAL_SENT
        note.final_sent_at = timezone.now() if on is None else _noon(on)
        note.lock_version += 1
        _save_note(note, actor, ["final", "status", "final_sent_at"])
        close_open_requests(note, "final")
        meeting = note.meeting
        dcs = meeting.authority.dcs if meeting.authority else None
        context = {"note": note, "meeting": meeting, "link": _meeting_link(meeting), "dcs": dcs}
        if note.officer_concerned:
            queue_email(
                key=f"note-final:{note.pk}",
                recipients=[note.officer_concerned],
                subject=f"Final note: {meeting.title}",
                template="meetings/email/final.txt",
                context=context,
            )
        if dcs:
            queue_email(
                key=f"note-final:{note.pk}",
                recipients=[dcs],
                subject=f"Copy of the final note: {meeting.title}",
                template="meetings/email/final.txt",
                context={**context, "copy": True},
            )
    return note


def create_ical_token(*, actor: User) -> ICalToken:
    """A new feed address for the actor (replacing any old one). Only its hash is stored; the token is
    on the returned row's ``plain_token``, to be shown to the user this once."""
    from .models import ICalToken

    with transaction.atomic():
        token = ICalToken.objects.select_for_update().filter(user=actor).first() or ICalToken(user=actor)
        token.set_new_token()
        token.created_at = timezone.now()
        token.revoked_at = None
        token.save()
    return token


def revoke_ical_token(*, actor: User) -> ICalToken:
    from .models import ICalToken

    with transaction.atomic():
        token = ICalToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True).first()
        if token is None:
            raise ServiceError("You have no calendar feed to revoke.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- the deadline sweep ---------------------------------------------------------------------------

STAGE_DUE = {"draft": "draft_due", "response": "response_due", "final": "final_due"}
KIND_WORDS = {
    "due_tomorrow": "is due in 1 working day",
    "due_today": "is due today",
    "overdue": "is overdue",
    "escalation": "is overdue (escalated to you)",
}


def _lapse_response_windows(today: date) -> tuple[list[MeetingNote], WorkingCalendar]:
    """Close every lapsed response window (one select, one update, one history insert, one update of
    the extension requests left open): comments made count as the response received on its due date;
    without any, no_comments. Returns the lapsed notes and a working calendar that covers them and the
    days ahead."""
    S = MeetingNote.Status
    lapsed = list(
        MeetingNote.objects.select_for_update(of=("self",))
        .filter(status=S.DRAFT_CIRCULATED, response_due__lt=today)
        .annotate(has_comments=Exists(NoteComment.objects.filter(note=OuterRef("pk"))))
        .select_related("author", "meeting")
        .order_by("pk")
    )
    earliest = min([_due(n.response_due) for n in lapsed], default=today)
    calendar = WorkingCalendar(min(earliest, today) - _days(40), today)
    for note in lapsed:
        if note.has_comments:
            note.status = S.COMMENTS_RECEIVED
            note.comments_received_at = end_of_day(_due(note.response_due))
            note._change_reason = "Response window closed: the comments made count as the response"
        else:
            note.status = S.NO_COMMENTS
            note._change_reason = "Response window lapsed without comments"
        note.final_due = calendar.add(_due(note.response_due), NOTE_DAYS)
        note.lock_version += 1
    if lapsed:
        bulk_update_with_history(
            lapsed,
            MeetingNote,
            ["status", "comments_received_at", "final_due", "lock_version"],
            default_date=timezone.now(),
        )
        DeadlineExtension.objects.filter(
            note__in=[n.pk for n in lapsed], stage="response", status=DeadlineExtension.Status.REQUESTED
        ).update(
            status=DeadlineExtension.Status.DECLINED,
            answer="The response window closed before the request was answered.",
            decided_at=timezone.now(),
        )
    return list(lapsed), calendar


def _notes_due_by(horizon: date) -> list[MeetingNote]:
    """Every open note whose current stage is due by ``horizon`` or overdue (one select over the indexed
    due dates)."""
    S = MeetingNote.Status
    return list(
        MeetingNote.objects.filter(
            Q(status=S.AWAITING_DRAFT, draft_due__lte=horizon)
            | Q(status=S.DRAFT_CIRCULATED, response_due__lte=horizon)
            | Q(status__in=[S.COMMENTS_RECEIVED, S.NO_COMMENTS], final_due__lte=horizon)
        ).select_related("author", "officer_concerned", "meeting__authority__dcs", "meeting__forum")
    )


def _directors_by_region(notes: list[MeetingNote]) -> dict[int | None, list[User]]:
    """{region id: [active GO directors]} for the regions of the notes (one select)."""
    region_ids = {n.meeting.region_id for n in notes} - {None}
    directors: dict[int | None, list[User]] = {}
    if region_ids:
        for director in User.objects.filter(role=Role.GO_DIRECTOR, is_active=True, region_id__in=region_ids):
            directors.setdefault(director.region_id, []).append(director)
    return directors


def _reminder_kind(due: date, today: date) -> str:
    if due < today:
        return Reminder.Kind.OVERDUE
    if due == today:
        return Reminder.Kind.DUE_TODAY
    return Reminder.Kind.DUE_TOMORROW


def _stage_recipients(note: MeetingNote, stage: str) -> list[User]:
    """Who acts at this stage: the authority (its DCS and the officer concerned) for the response, the
    note's author for the draft and the final note; each once."""
    if stage == "response":
        dcs = note.meeting.authority.dcs if note.meeting.authority else None
        recipients = [r for r in (dcs, note.officer_concerned) if r]
    else:
        recipients = [note.author]
    return list({r.pk: r for r in recipients}.values())


def _wanted_reminders(notes: list[MeetingNote], today: date, directors: dict[int | None, list[User]]) -> list[Wanted]:
    """Every reminder the notes call for today: (note, stage, kind, recipient, due). Reminders go to
    those who want them as they happen (the others find them in their daily digest); escalations to
    the GO director always go."""
    wanted: list[Wanted] = []
    for note in notes:
        stage, due = note.current_stage
        if stage is None or due is None:
            continue
        kind = _reminder_kind(due, today)
        wanted += [(note, stage, kind, r, due) for r in _stage_recipients(note, stage) if sends_immediately(r)]
        if kind == Reminder.Kind.OVERDUE and stage in ("draft", "final"):
            wanted += [
                (note, stage, Reminder.Kind.ESCALATION, d, due) for d in directors.get(note.meeting.region_id, [])
            ]
    return wanted


def _record_fresh_reminders(wanted: list[Wanted], notes: list[MeetingNote], now: datetime) -> list[Wanted]:
    """Record the wanted reminders not sent before (one select, one insert); the unique
    (note, stage, kind, recipient, due) row is what keeps a second sweep from sending one twice, and
    gives a due date moved by an extension or a closure its own reminders."""
    if not wanted:
        return []
    existing = set(
        Reminder.objects.filter(note__in=[n.pk for n in notes]).values_list(
            "note_id", "stage", "kind", "recipient_id", "due"
        )
    )
    fresh = [w for w in wanted if (w[0].pk, w[1], w[2], w[3].pk, w[4]) not in existing]
    if fresh:
        Reminder.objects.bulk_create(
            [Reminder(note=n, stage=s, kind=k, recipient=r, due=due, sent_at=now) for n, s, k, r, due in fresh],
            ignore_conflicts=True,
        )
    return fresh


def _lapsed_message(note: MeetingNote) -> dict[str, str]:
    return {
        "key": f"note-lapsed:{note.pk}",
        "recipient": note.author.email,
        "subject": (
            "The response window has closed"
            if note.status == MeetingNote.Status.COMMENTS_RECEIVED
            else "No comments on the draft note"
        )
        + f": the final note is due by {note.final_due:%d %B %Y}",
        "body": render_to_string(
            "meetings/email/lapsed.txt",
            {"note": note, "meeting": note.meeting, "link": _meeting_link(note.meeting)},
        ),
    }


def _reminder_message(note: MeetingNote, stage: str, kind: str, recipient: User, due: date) -> dict[str, str]:
    meeting = note.meeting
    stage_label = Reminder.Stage(stage).label
    body = render_to_string(
        "meetings/email/reminder.txt",
        {
            "note": note,
            "meeting": meeting,
            "stage": stage,
            "stage_label": stage_label,
            "kind": kind,
            "words": KIND_WORDS[kind],
            "due": due,
            "recipient": recipient,
            "link": _meeting_link(meeting),
            "site_url": settings.SITE_URL,
        },
    )
    return {
        "key": f"note-reminder:{note.pk}:{stage}:{kind}:{recipient.pk}:{due:%Y%m%d}",
        "recipient": recipient.email,
        "subject": f"{stage_label} {KIND_WORDS[kind]}: {meeting.title}",
        "body": body,
    }


def sweep_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Lapse response windows, then remind and escalate, in a fixed number of queries. Reminders go
    to those who want them as they happen (``core.digest.sends_immediately``); the others find them in
    their daily digest. Escalations to the GO director always go. A due date moved by an agreed
    extension or a closure gets its own reminders.

    Returns a summary dict (lapsed, reminders) for the task's result and the logs."""
    now = now or timezone.now()
    today = london_date(now)
    with transaction.atomic():
        lapsed, calendar = _lapse_response_windows(today)
        # Everything due by the next working day, or overdue.
        notes = _notes_due_by(calendar.add(today, 1))
        wanted = _wanted_reminders(notes, today, _directors_by_region(notes))
        fresh = _record_fresh_reminders(wanted, notes, now)
        messages = [_lapsed_message(note) for note in lapsed if sends_immediately(note.author)]
        messages += [_reminder_message(*reminder) for reminder in fresh]
        queue_emails(messages)
    return {"lapsed": len(lapsed), "reminders": len(fresh)}


def _days(n: int) -> timedelta:
    return timedelta(days=n)


__all__ = [
    "schedule_meeting",
    "update_meeting",
    "agree_agenda",
    "cancel_meeting",
    "mark_held",
    "save_draft",
    "circulate_draft",
    "add_comment",
    "submit_response",
    "lapse_response_window",
    "send_final",
    "create_ical_token",
    "revoke_ical_token",
    "sweep_deadlines",
]
