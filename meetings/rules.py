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
    from meetings.models import Meeting, MeetingNote


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
