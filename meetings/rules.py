"""Object permissions for meetings and notes (docs/architecture.md, Permissions; the protocol's "Meetings and Visits").

These say who; the services check when (state). ``obj`` is a Meeting, a MeetingNote, or for
``meetings.add_meeting`` a ``Target`` (the authority or forum the meeting is for).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import rules

from accounts.models import Role
from accounts.rules import is_admin, is_authority_user, is_go_staff, is_national, is_provider_adviser

if TYPE_CHECKING:
    from accounts.models import User
    from authorities.models import LocalAuthority, RegionalForum
    from meetings.models import DeadlineExtension, Meeting, MeetingNote, MeetingSeries


@dataclass
class Target:
    authority: LocalAuthority | None = None
    forum: RegionalForum | None = None


def meeting_of(obj: Meeting | MeetingNote) -> Meeting:
    from .models import MeetingNote

    return obj.meeting if isinstance(obj, MeetingNote) else obj


@rules.predicate
def may_organise(user: User, target: Target | None) -> bool:
    """A CSA for the authorities they lead, a provider adviser with a part in the authority's plan,
    an admin (or the forum's chair) for forums."""
    if target is None:
        return False
    if target.authority is not None:
        if user.role == Role.CSA:
            return target.authority.csa_id == user.pk
        if user.role == Role.PROVIDER_ADVISER:
            from plans.queries import provider_has_part_in

            return provider_has_part_in(user.provider_id, target.authority.pk)
        return False
    if target.forum is not None:
        return bool(user.role == Role.ADMIN or user.is_superuser or target.forum.chair_id == user.pk)
    return False


@rules.predicate
def is_organiser(user: User, obj: Meeting | MeetingNote) -> bool:
    return meeting_of(obj).organiser_id == user.pk


@rules.predicate
def leads_meeting_authority(user: User, obj: Meeting | MeetingNote) -> bool:
    meeting = meeting_of(obj)
    return user.role == Role.CSA and meeting.authority is not None and meeting.authority.csa_id == user.pk


@rules.predicate
def administers_forum_meeting(user: User, obj: Meeting | MeetingNote) -> bool:
    meeting = meeting_of(obj)
    return (
        meeting.forum_id is not None and meeting.authority_id is None and (user.role == Role.ADMIN or user.is_superuser)
    )


@rules.predicate
def of_meeting_authority(user: User, obj: Meeting | MeetingNote) -> bool:
    """DCS or LA officer of the meeting's authority (or, for a clinic, of an authority invited)."""
    meeting = meeting_of(obj)
    if not user.authority_id:
        return False
    if meeting.authority_id == user.authority_id:
        return True
    return meeting.kind == "provider_clinic" and meeting.authorities.filter(pk=user.authority_id).exists()


@rules.predicate
def chairs_forum(user: User, obj: Meeting | MeetingNote) -> bool:
    meeting = meeting_of(obj)
    return meeting.forum is not None and meeting.forum.chair_id == user.pk


@rules.predicate
def is_note_author(user: User, note: MeetingNote | None) -> bool:
    return getattr(note, "author_id", None) == user.pk


@rules.predicate
def is_officer_concerned(user: User, note: MeetingNote | None) -> bool:
    return getattr(note, "officer_concerned_id", None) == user.pk


manages_meeting = is_organiser | leads_meeting_authority | administers_forum_meeting

rules.add_perm("meetings.add_meeting", may_organise)
rules.add_perm("meetings.change_meeting", manages_meeting)
rules.add_perm("meetings.agree_agenda", (is_authority_user & of_meeting_authority) | chairs_forum)
rules.add_perm("meetings.write_note", is_note_author | manages_meeting)
rules.add_perm(
    "meetings.comment_note", (is_authority_user & of_meeting_authority) | is_officer_concerned | chairs_forum
)
rules.add_perm("meetings.view_compliance", is_go_staff | is_admin | is_national | is_provider_adviser)


# --- the authority's response, agreed extensions ---------------------------------------------------


@rules.predicate
def is_dcs_of_meeting_authority(user: User, note: Meeting | MeetingNote) -> bool:
    meeting = meeting_of(note)
    return user.role == Role.DCS and meeting.authority_id is not None and meeting.authority_id == user.authority_id


@rules.predicate
def chairs_forum_without_authority(user: User, note: Meeting | MeetingNote) -> bool:
    meeting = meeting_of(note)
    return meeting.authority_id is None and meeting.forum is not None and meeting.forum.chair_id == user.pk


#: Who answers for the authority: submits its response, asks for or agrees an extension.
answers_for_authority = is_dcs_of_meeting_authority | is_officer_concerned | chairs_forum_without_authority
#: Who answers for the note's author (the draft and the final note are theirs).
answers_for_author = is_note_author | manages_meeting


@rules.predicate
def is_other_side_of_extension(user: User, extension: DeadlineExtension) -> bool:
    note = extension.note
    if extension.side == "author":
        return bool(answers_for_authority.test(user, note))
    return bool(answers_for_author.test(user, note))


rules.add_perm("meetings.submit_response", answers_for_authority)


# --- what a note says: follows its state ----------------------------------------------------------


@rules.predicate
def may_read_note(user: User, note: MeetingNote | None) -> bool:
    """Whether ``user`` may read the note's content: the draft, its judgements and the comments.

    The one answer for every page, form, export and email that shows what a note says. The user must
    see the meeting (``Meeting.objects.visible_to``); and until the draft is circulated it is its
    writers' own (the author, the organiser, the lead CSA, a forum meeting's administrator): the
    authority, the region's other GO staff and the other attendees see nothing of it."""
    from .models import Meeting, MeetingNote

    if note is None or not getattr(user, "is_authenticated", False):
        return False
    if not Meeting.objects.visible_to(user).filter(pk=note.meeting_id).exists():
        return False
    if note.status != MeetingNote.Status.AWAITING_DRAFT:
        return True
    return bool(answers_for_author.test(user, note))


rules.add_perm("meetings.read_note", may_read_note)
rules.add_perm("meetings.request_extension", answers_for_author | answers_for_authority)
rules.add_perm("meetings.answer_extension", is_other_side_of_extension)


# --- the calendar, series, feedback on the arrangements -------------------------------------------


@rules.predicate
def manages_series(user: User, series: MeetingSeries | None) -> bool:
    if series is None:
        return False
    return series.organiser_id == user.pk or (user.role == Role.CSA and series.authority.csa_id == user.pk)


rules.add_perm("meetings.manage_calendar", is_admin)
rules.add_perm("meetings.change_series", manages_series)
rules.add_perm("meetings.give_feedback", is_authority_user)
rules.add_perm("meetings.view_feedback", is_go_staff | is_admin | is_national)
