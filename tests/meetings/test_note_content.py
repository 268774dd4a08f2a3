"""A note's content follows its state: before the draft is circulated, nobody but its writers reads
the draft or its judgements, on any page (``meetings.read_note``)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.permissions import can
from meetings import services
from meetings.models import Meeting, MeetingNote
from tests.meetings.factories import MeetingNoteFactory, attend, meeting_for

pytestmark = pytest.mark.django_db

JUDGEMENT = "Safeguarding leadership"
DRAFT = "Leadership of safeguarding at the authority is weak."


@pytest.fixture
def drafted(world):
    """As in the review: the CSA saves a draft with a judgement (inadequate, high risk), not circulated."""
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    attend(meeting, world.provider)
    note = MeetingNoteFactory(meeting=meeting, draft_due=date(2099, 1, 2), officer_concerned=world.la_officer)
    services.save_draft(
        actor=world.csa,
        note=note,
        draft=DRAFT,
        lock_version=note.lock_version,
        judgements=[(JUDGEMENT, "inadequate", "high")],
    )
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.AWAITING_DRAFT
    return meeting, note


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_the_comment_page_is_refused_before_circulation(world, client, drafted, role):
    meeting, _ = drafted
    client.force_login(world.users[role])
    response = client.get(reverse("meetings:comment", args=[meeting.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert JUDGEMENT not in page
    assert "Inadequate" not in page


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_a_comment_posted_before_circulation_is_refused_and_nothing_is_saved(world, client, drafted, role):
    meeting, note = drafted
    client.force_login(world.users[role])
    response = client.post(
        reverse("meetings:comment", args=[meeting.pk]), {"body": "Too harsh", "judgement": note.judgements.get().pk}
    )
    assert response.status_code == 403
    assert not note.comments.exists()


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_the_response_page_is_refused_before_circulation(world, client, drafted, role):
    meeting, _ = drafted
    client.force_login(world.users[role])
    response = client.get(reverse("meetings:submit_response", args=[meeting.pk]))
    assert response.status_code == 403
    assert JUDGEMENT not in response.content.decode()


@pytest.mark.parametrize("role", ["dcs", "la_officer", "go_director", "provider"])
def test_the_meeting_page_shows_nothing_of_the_draft_to_others(world, client, drafted, role):
    meeting, _ = drafted
    client.force_login(world.users[role])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Note of the meeting" in page  # the note's dates are public to the meeting's viewers
    assert DRAFT not in page
    assert JUDGEMENT not in page
    assert "Inadequate" not in page


def test_the_author_reads_their_draft(world, client, drafted):
    meeting, _ = drafted
    client.force_login(world.csa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert DRAFT in page
    assert JUDGEMENT in page


@pytest.mark.parametrize("role", ["dcs", "la_officer"])
def test_once_circulated_the_authority_reads_and_comments(world, client, drafted, role):
    meeting, note = drafted
    services.circulate_draft(actor=world.csa, note=note)
    client.force_login(world.users[role])
    response = client.get(reverse("meetings:comment", args=[meeting.pk]))
    assert response.status_code == 200
    assert JUDGEMENT in response.content.decode()
    assert DRAFT in client.get(meeting.get_absolute_url()).content.decode()


def test_read_note_follows_state_and_visibility(world, drafted):
    _, note = drafted
    readers = {role for role, user in world.users.items() if can(user, "meetings.read_note", note)}
    assert readers == {"csa"}  # the lead CSA, author and organiser, alone
    services.circulate_draft(actor=world.csa, note=note)
    note.refresh_from_db()
    readers = {role for role, user in world.users.items() if can(user, "meetings.read_note", note)}
    # whoever sees the meeting: the region's GO staff, the authority, the provider who attended
    assert readers == {"csa", "go_director", "dcs", "la_officer", "provider"}
