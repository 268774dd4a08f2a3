"""Every transition, refusal and deadline of meetings and notes, against real bank-holiday dates."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail
from core.errors import ServiceError, StaleEditError
from core.working_days import LONDON, london_date
from meetings import services
from meetings.models import Meeting, MeetingNote, NoteJudgement
from plans.models import Offer
from tests.meetings.factories import attend, meeting_for
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)


def schedule(world, actor=None, **overrides):
    data = {
        "authority": world.newcastle,
        "kind": Meeting.Kind.KIT,
        "title": "KIT with Newcastle",
        "purpose": "Agree the pattern of support",
        "starts_at": STARTS,
        "location": "Civic Centre",
        "agenda": "1. Priorities",
    }
    data.update(overrides)
    return services.schedule_meeting(actor=actor or world.csa, **data)


def emails_to(address, key_prefix=""):
    return OutboundEmail.objects.filter(recipient=address, key__startswith=key_prefix)


# --- scheduling -----------------------------------------------------------------------------------


def test_lead_csa_schedules_with_attendees_who_are_emailed(world):
    meeting = schedule(world, attendees=[(world.dcs, "Performance data"), (world.la_officer, "")])
    assert meeting.organiser == world.csa
    assert meeting.status == Meeting.Status.SCHEDULED
    assert [a.contribution for a in meeting.attendance.order_by("user__email")] == ["Performance data", ""]
    assert emails_to(world.dcs.email, "meeting-scheduled").count() == 1


def test_purpose_is_required(world):
    with pytest.raises(ServiceError) as error:
        schedule(world, purpose="  ")
    assert error.value.field == "purpose"


def test_csa_of_another_authority_may_not_schedule(world):
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.csa_other)
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.dcs)


def test_provider_needs_a_part_in_the_plan(world):
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.provider)
    jisp = JISPFactory(authority=world.newcastle)
    OfferFactory(priority=PriorityFactory(jisp=jisp), provider=world.tfc, status=Offer.Status.SUBMITTED)
    meeting = schedule(world, actor=world.provider)
    assert meeting.organiser == world.provider
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.provider_other)


def test_admin_schedules_forum_meetings_but_not_authority_meetings(world):
    meeting = schedule(world, actor=world.admin, authority=None, forum=world.forum, kind=Meeting.Kind.FORUM)
    assert meeting.forum == world.forum
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.admin)


def test_provider_clinic_needs_a_forum(world):
    with pytest.raises(ServiceError):
        schedule(world, kind=Meeting.Kind.PROVIDER_CLINIC)


def test_update_resets_agreement_when_agenda_changes_and_refuses_stale(world):
    meeting = schedule(world)
    services.agree_agenda(actor=world.dcs, meeting=meeting)
    meeting.refresh_from_db()
    services.update_meeting(actor=world.csa, meeting=meeting, lock_version=meeting.lock_version, agenda="New")
    meeting.refresh_from_db()
    assert meeting.agenda == "New"
    assert meeting.agenda_agreed_at is None
    with pytest.raises(StaleEditError):
        services.update_meeting(actor=world.csa, meeting=meeting, lock_version=0, title="Old form")
    with pytest.raises(PermissionDenied):
        services.update_meeting(actor=world.dcs, meeting=meeting, lock_version=meeting.lock_version, title="x")


# --- agenda ---------------------------------------------------------------------------------------


def test_agree_agenda_by_authority_only_and_only_once(world):
    meeting = schedule(world)
    with pytest.raises(PermissionDenied):
        services.agree_agenda(actor=world.csa, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.agree_agenda(actor=world.dcs_other, meeting=meeting)
    services.agree_agenda(actor=world.la_officer, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.agenda_agreed_by == world.la_officer
    assert emails_to(world.csa.email, "agenda-agreed").count() == 1
    with pytest.raises(ServiceError, match="already agreed"):
        services.agree_agenda(actor=world.dcs, meeting=meeting)


def test_agenda_must_exist_to_be_agreed(world):
    meeting = schedule(world, agenda="")
    with pytest.raises(ServiceError, match="no agenda"):
        services.agree_agenda(actor=world.dcs, meeting=meeting)


def test_forum_chair_agrees_forum_agenda(world):
    meeting = schedule(world, actor=world.admin, authority=None, forum=world.forum, kind=Meeting.Kind.FORUM)
    with pytest.raises(PermissionDenied):
        services.agree_agenda(actor=world.dcs, meeting=meeting)
    services.agree_agenda(actor=world.go_director, meeting=meeting)


# --- cancel and held ------------------------------------------------------------------------------


def test_cancel_emails_attendees_and_is_final(world):
    meeting = schedule(world, attendees=[(world.dcs, "")])
    services.cancel_meeting(actor=world.csa, meeting=meeting, reason="Snow")
    assert emails_to(world.dcs.email, "meeting-cancelled").count() == 1
    with pytest.raises(ServiceError):
        services.cancel_meeting(actor=world.csa, meeting=meeting)
    with pytest.raises(ServiceError):
        services.mark_held(actor=world.csa, meeting=meeting, held_on=date(2026, 3, 2))


@pytest.mark.parametrize(
    ("held", "draft_due"),
    [
        (date(2025, 12, 22), date(2025, 12, 31)),  # Christmas Day and Boxing Day 2025
        (date(2026, 4, 1), date(2026, 4, 10)),  # Good Friday 3 and Easter Monday 6 April 2026
        (date(2022, 9, 13), date(2022, 9, 21)),  # the Queen's state funeral, 19 September 2022
    ],
)
def test_mark_held_opens_the_note_with_draft_due(world, held, draft_due):
    meeting = schedule(world)
    note = services.mark_held(actor=world.csa, meeting=meeting, held_on=held)
    assert note.status == MeetingNote.Status.AWAITING_DRAFT
    assert note.draft_due == draft_due
    assert note.author == world.csa
    assert note.officer_concerned == world.dcs
    assert note.history.count() == 1
    assert note.history.first().history_user == world.csa


def test_mark_held_refuses_future_and_twice_and_others(world):
    meeting = schedule(world)
    with pytest.raises(ServiceError):
        services.mark_held(actor=world.csa, meeting=meeting, held_on=london_date() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.mark_held(actor=world.dcs, meeting=meeting, held_on=date(2026, 3, 2))
    services.mark_held(actor=world.csa, meeting=meeting, held_on=date(2026, 3, 2))
    with pytest.raises(ServiceError):
        services.mark_held(actor=world.csa, meeting=meeting, held_on=date(2026, 3, 2))


# --- the note -------------------------------------------------------------------------------------


def held_note(world, held=date(2026, 3, 30), officer=None):
    meeting = schedule(world)
    return services.mark_held(actor=world.csa, meeting=meeting, held_on=held, officer_concerned=officer)


def drafted(world, **kwargs):
    note = held_note(world, **kwargs)
    return services.save_draft(
        actor=world.csa,
        note=note,
        draft="We discussed the priorities.",
        lock_version=note.lock_version,
        judgements=[("Safeguarding", "adequate", "high"), ("Attainment", "good", "low")],
    )


def test_save_draft_with_judgements_and_stale_refusal(world):
    note = drafted(world)
    assert note.judgements.count() == 2
    with pytest.raises(StaleEditError):
        services.save_draft(actor=world.csa, note=note, draft="x", lock_version=0)
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=world.dcs, note=note, draft="x", lock_version=note.lock_version)


def test_circulate_sets_response_due_over_easter_and_emails_dcs_and_officer(world):
    note = drafted(world, officer=world.la_officer)
    note = services.circulate_draft(actor=world.csa, note=note, on=date(2026, 4, 1))
    assert note.status == MeetingNote.Status.DRAFT_CIRCULATED
    assert note.response_due == date(2026, 4, 10)
    assert emails_to(world.dcs.email, "note-circulated").count() == 1
    assert emails_to(world.la_officer.email, "note-circulated").count() == 1
    with pytest.raises(ServiceError):
        services.circulate_draft(actor=world.csa, note=note)
    with pytest.raises(ServiceError, match="no longer"):
        services.save_draft(actor=world.csa, note=note, draft="late edit", lock_version=note.lock_version)


def test_circulate_needs_a_draft(world):
    note = held_note(world)
    with pytest.raises(ServiceError):
        services.circulate_draft(actor=world.csa, note=note)


def test_first_comment_sets_final_due_and_may_challenge(world):
    note = drafted(world, held=date(2025, 12, 15))
    note = services.circulate_draft(actor=world.csa, note=note, on=date(2025, 12, 19))
    assert note.response_due == date(2025, 12, 30)  # 22, 23, 24, then 29, 30 December
    judgement = NoteJudgement.objects.get(note=note, area="Safeguarding")
    comment = services.add_comment(
        actor=world.dcs, note=note, body="The risk is medium, not high.", judgement=judgement, on=date(2025, 12, 23)
    )
    assert comment.challenges_assessment
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.COMMENTS_RECEIVED
    assert note.final_due == date(2026, 1, 2)  # 24, 29, 30, 31 Dec, 2 Jan (1 Jan is a holiday)
    assert emails_to(world.csa.email, "note-comment").count() == 1
    services.add_comment(actor=world.la_officer, note=note, body="Agree with the DCS.", on=date(2025, 12, 24))
    note.refresh_from_db()
    assert note.final_due == date(2026, 1, 2)  # only the first comment starts the clock


def test_comment_refusals(world):
    note = drafted(world)
    with pytest.raises(ServiceError):
        services.add_comment(actor=world.dcs, note=note, body="Too early")
    note = services.circulate_draft(actor=world.csa, note=note, on=date(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=world.dcs_other, note=note, body="Not mine", on=date(2026, 4, 2))
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=world.provider, note=note, body="Not mine", on=date(2026, 4, 2))
    with pytest.raises(ServiceError, match="closed"):
        services.add_comment(actor=world.dcs, note=note, body="Late", on=date(2026, 4, 13))
    with pytest.raises(ServiceError):
        services.add_comment(actor=world.dcs, note=note, body=" ", on=date(2026, 4, 2))


def test_lapse_response_window(world):
    note = services.circulate_draft(actor=world.csa, note=drafted(world), on=date(2026, 4, 1))
    with pytest.raises(ServiceError, match="open until"):
        services.lapse_response_window(note=note, today=date(2026, 4, 10))
    note = services.lapse_response_window(note=note, today=date(2026, 4, 13))
    assert note.status == MeetingNote.Status.NO_COMMENTS
    assert note.final_due == date(2026, 4, 17)


def test_send_final_to_officer_copied_to_dcs_then_read_only(world):
    note = services.circulate_draft(actor=world.csa, note=drafted(world, officer=world.la_officer), on=date(2026, 4, 1))
    with pytest.raises(ServiceError, match="still open"):
        services.send_final(actor=world.csa, note=note, final="Final")
    services.add_comment(actor=world.dcs, note=note, body="Fine", on=date(2026, 4, 2))
    with pytest.raises(PermissionDenied):
        services.send_final(actor=world.dcs, note=note, final="Final")
    with pytest.raises(ServiceError):
        services.send_final(actor=world.csa, note=note, final="")
    note = services.send_final(actor=world.csa, note=note, final="The agreed final note.")
    assert note.status == MeetingNote.Status.FINAL_SENT
    assert note.final_sent_at
    officer_mail = emails_to(world.la_officer.email, "note-final").get()
    assert officer_mail.subject.startswith("Final note")
    assert emails_to(world.dcs.email, "note-final").get().subject.startswith("Copy of the final note")
    with pytest.raises(ServiceError):
        services.send_final(actor=world.csa, note=note, final="Changed")
    with pytest.raises(ServiceError):
        services.save_draft(actor=world.csa, note=note, draft="Changed", lock_version=note.lock_version)
    assert note.history.count() >= 4


def test_attendee_provider_can_see_but_not_change(world):
    meeting = meeting_for(world)
    attend(meeting, world.provider, "Together for Children support")
    assert Meeting.objects.visible_to(world.provider).filter(pk=meeting.pk).exists()
    assert not Meeting.objects.visible_to(world.provider_other).filter(pk=meeting.pk).exists()
    with pytest.raises(PermissionDenied):
        services.cancel_meeting(actor=world.provider, meeting=meeting)


def test_visibility(world):
    meeting = meeting_for(world)
    forum_meeting = meeting_for(world, authority=None, forum=world.forum, organiser=world.admin)
    for role in ("csa", "go_director"):
        assert set(Meeting.objects.visible_to(getattr(world, role))) == {meeting, forum_meeting}, role
    for role in ("dcs", "la_officer"):  # forum meetings only as a member, attendee or invited authority
        assert set(Meeting.objects.visible_to(getattr(world, role))) == {meeting}, role
    world.forum.members.add(world.dcs)
    assert forum_meeting in Meeting.objects.visible_to(world.dcs)
    for role in ("csa_other", "dcs_other", "go_director_other", "national", "provider"):
        assert meeting not in Meeting.objects.visible_to(getattr(world, role)), role
    assert set(Meeting.objects.visible_to(world.admin)) == {forum_meeting}
