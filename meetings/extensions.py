"""Agreed extensions of a note's due dates: one side asks, the other agrees or declines.

The note's author (or whoever manages the meeting) and the authority (its DCS, the officer concerned,
or a forum's chair) may each ask to move the due date of the stage in progress — the draft note, the
authority's response or the final note — to a later working day, with a reason, on or before that
due date. The other side agrees or declines. An agreed extension adds its working days to the
stage (``meetings.deadlines``): the due date moves, the sweep's reminders follow it, and the
compliance figures count the stage "on time with an agreed extension" when it is met after its
original date. Each change is one transaction with history, and the other side is emailed.
"""

from django.db import transaction
from django.utils import timezone

from accounts.permissions import can, require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email
from core.working_days import is_working_day, london_date, working_days_between

from .deadlines import STAGE_DUE
from .models import DeadlineExtension, Meeting, MeetingNote, Reminder

#: The longest extension one request may ask for.
MAX_WORKING_DAYS = 20


def _note(note):
    locked = MeetingNote.objects.select_for_update().get(pk=note.pk)
    locked.meeting = Meeting.objects.select_related("authority__dcs", "forum").get(pk=locked.meeting_id)
    return locked


def side_of(user, note):
    """``author`` or ``authority``: the side ``user`` asks for (the author's side first), or None."""
    if can(user, "meetings.write_note", note):
        return DeadlineExtension.Side.AUTHOR
    if can(user, "meetings.submit_response", note):
        return DeadlineExtension.Side.AUTHORITY
    return None


def people_of(side, note):
    """Who answers for ``side`` on ``note`` (emailed when the other side asks or answers)."""
    if side == DeadlineExtension.Side.AUTHOR:
        return [note.author]
    meeting = note.meeting
    people = [meeting.authority.dcs if meeting.authority_id else None, note.officer_concerned]
    if not meeting.authority_id and meeting.forum_id:
        people.append(meeting.forum.chair)
    return [p for p in {p.pk: p for p in people if p}.values()]


def _link(note):
    return absolute_url(note.meeting.get_absolute_url() + "#extensions")


def request_extension(*, actor, note, new_due, reason, on=None):
    """Ask the other side to move the due date of the stage in progress to ``new_due``."""
    reason = (reason or "").strip()
    with transaction.atomic():
        note = _note(note)
        require(actor, "meetings.request_extension", note)
        stage, due = note.current_stage
        today = on or london_date()
        if stage is None:
            raise ServiceError("The final note has been sent: there is no due date left to extend.")
        if due < today:
            raise ServiceError(
                f"The {Reminder.Stage(stage).label.lower()} was due on {due:%d %B %Y}: "
                "an extension must be asked for by the due date."
            )
        if not reason:
            raise ServiceError("Enter why the extension is needed", field="reason")
        if new_due is None:
            raise ServiceError("Enter the new due date", field="new_due")
        if new_due <= due:
            raise ServiceError(f"The new due date must be after the current one ({due:%d %B %Y})", field="new_due")
        if not is_working_day(new_due):
            raise ServiceError("The new due date must be a working day", field="new_due")
        days = working_days_between(due, new_due)
        if days > MAX_WORKING_DAYS:
            raise ServiceError(
                f"An extension can be at most {MAX_WORKING_DAYS} working days; this is {days}", field="new_due"
            )
        if note.extensions.filter(stage=stage, status=DeadlineExtension.Status.REQUESTED).exists():
            raise ServiceError("An extension of this stage is already awaiting agreement.")
        side = side_of(actor, note)
        extension = DeadlineExtension(
            note=note,
            stage=stage,
            old_due=due,
            new_due=new_due,
            working_days=days,
            reason=reason,
            side=side,
            requested_by=actor,
        )
        extension._history_user = actor
        extension.save()
        queue_email(
            key=f"extension-requested:{extension.pk}",
            recipients=[p for p in people_of(extension.other_side, note) if p.pk != actor.pk],
            subject=f"Extension asked for: {extension.get_stage_display()} of {note.meeting.title}",
            template="meetings/email/extension_requested.txt",
            context={"extension": extension, "note": note, "meeting": note.meeting, "link": _link(note)},
        )
    return extension


def _extension(extension):
    locked = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    locked.note = _note(locked.note)
    return locked


def _answer(actor, extension, agreed, answer=""):
    with transaction.atomic():
        extension = _extension(extension)
        note = extension.note
        require(actor, "meetings.answer_extension", extension)
        if extension.status != DeadlineExtension.Status.REQUESTED:
            raise ServiceError(f"This request has already been {extension.get_status_display().lower()}.")
        stage, due = note.current_stage
        if agreed:
            if stage != extension.stage:
                raise ServiceError("That stage is finished: the extension can no longer be agreed.")
            if due != extension.old_due:
                raise ServiceError(
                    f"The due date has changed since the request (it is now {due:%d %B %Y}): ask for a new date."
                )
            if not is_working_day(extension.new_due):
                raise ServiceError(
                    f"{extension.new_due:%d %B %Y} is no longer a working day (a closure): ask for a new date."
                )
            # Counted again: a closure since the request may have taken a working day out of it.
            extension.working_days = working_days_between(extension.old_due, extension.new_due)
        now = timezone.now()
        extension.status = DeadlineExtension.Status.AGREED if agreed else DeadlineExtension.Status.DECLINED
        extension.decided_at = now
        if agreed:
            extension.agreed_by = actor
        else:
            extension.declined_by = actor
            extension.answer = (answer or "").strip()
        extension._history_user = actor
        extension.save()
        if agreed:
            setattr(note, STAGE_DUE[stage], extension.new_due)
            note.lock_version += 1
            note._history_user = actor
            note._change_reason = f"Extension agreed: {extension.working_days} working days"
            note.save(update_fields=[STAGE_DUE[stage], "lock_version"])
        verb = "agreed" if agreed else "declined"
        queue_email(
            key=f"extension-{verb}:{extension.pk}",
            recipients=[p for p in people_of(extension.side, note) if p.pk != actor.pk],
            subject=f"Extension {verb}: {extension.get_stage_display()} of {note.meeting.title}",
            template="meetings/email/extension_answered.txt",
            context={
                "extension": extension,
                "note": note,
                "meeting": note.meeting,
                "actor": actor,
                "agreed": agreed,
                "link": _link(note),
            },
        )
    return extension


def agree_extension(*, actor, extension):
    """The other side agrees: the stage's due date moves to the new date."""
    return _answer(actor, extension, agreed=True)


def decline_extension(*, actor, extension, answer=""):
    """The other side declines (optionally saying why): the due date stays."""
    return _answer(actor, extension, agreed=False, answer=answer)


__all__ = ["agree_extension", "decline_extension", "people_of", "request_extension", "side_of"]
