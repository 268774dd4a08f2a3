from datetime import datetime

import factory

from core.working_days import LONDON
from meetings.models import Meeting, MeetingAttendee, MeetingNote


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = Meeting.Kind.KIT
    title = factory.Sequence(lambda n: f"KIT meeting {n}")
    purpose = "Review progress on the JISP priorities"
    starts_at = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    location = "Civic Centre"
    agenda = "1. Progress on priorities\n2. Support offers"


class MeetingNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingNote

    meeting = factory.SubFactory(MeetingFactory)
    author = factory.LazyAttribute(lambda o: o.meeting.organiser)


_NEWCASTLE = object()


def meeting_for(world, authority=_NEWCASTLE, organiser=None, **kwargs):
    """A Newcastle KIT organised by the lead CSA unless told otherwise."""
    authority = world.newcastle if authority is _NEWCASTLE else authority
    return MeetingFactory(authority=authority, organiser=organiser or world.csa, **kwargs)


def attend(meeting, user, contribution=""):
    return MeetingAttendee.objects.create(meeting=meeting, user=user, contribution=contribution)
