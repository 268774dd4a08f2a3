"""seed_demo's meetings: every note state, a forum meeting and a provider clinic, idempotently."""

import io

import pytest
from django.core.management import call_command

from meetings.models import Meeting, MeetingNote, NoteComment

pytestmark = pytest.mark.django_db


def test_demo_meetings_cover_every_note_state(client):
    call_command("seed_reference", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    count = Meeting.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Meeting.objects.count() == count
    assert set(MeetingNote.objects.values_list("status", flat=True)) == set(MeetingNote.Status.values)
    assert NoteComment.objects.filter(challenges_assessment=True).exists()
    assert Meeting.objects.filter(kind=Meeting.Kind.FORUM, forum__region__slug="north-east").exists()
    clinic = Meeting.objects.get(kind=Meeting.Kind.PROVIDER_CLINIC)
    assert clinic.authorities.filter(name="Newcastle upon Tyne").exists()
    assert clinic.providers.exists()
    assert MeetingNote.objects.filter(meeting__authority__name="Leeds").count() >= 4
    from accounts.models import User

    client.force_login(User.objects.get(email="csa@demo.test"))
    page = client.get("/").content.decode()
    assert "working days overdue" in page
    assert "Agenda not agreed" in page
