"""Meeting views: scheduling and changing a meeting, agreeing its agenda, cancelling it and marking
it as held."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.actions import posted, submit
from core.working_days import LONDON

from .. import services
from ..forms import CancelForm, ConfirmForm, HeldForm, MeetingForm, attendees_text
from ..models import Meeting
from .common import may_schedule, meeting_action, meeting_for_action, meeting_page

#: What a link may fill in on the schedule page (from a forum's agenda builder, an authority's page).
PREFILLED = ("authority", "agenda", "title")


def _initial_from_link(request):
    initial = {"is_face_to_face": False, "is_remote": True}
    initial.update({name: request.GET[name] for name in PREFILLED if request.GET.get(name)})
    if request.GET.get("forum", "").isdigit():
        initial["forum"] = int(request.GET["forum"])
    if request.GET.get("kind") in Meeting.Kind.values:
        initial["kind"] = request.GET["kind"]
    return initial


def create(request):
    user = request.user
    if not may_schedule(user):
        raise PermissionDenied
    initial = _initial_from_link(request) if request.method != "POST" else None
    form = MeetingForm(posted(request), initial=initial, user=user)
    outcome = submit(
        request,
        form,
        lambda data: services.schedule_meeting(actor=user, **form.service_kwargs()),
        success=lambda meeting: f"Meeting scheduled: {meeting.title}",
        then=lambda meeting: meeting,
    )
    return outcome.response or meeting_page(request, outcome.form, "Schedule a meeting")


def _meeting_initial(meeting):
    local = timezone.localtime(meeting.starts_at, LONDON)
    return {
        "lock_version": meeting.lock_version,
        "kind": meeting.kind,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "date": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
        "location": meeting.location,
        "is_remote": meeting.is_remote,
        "is_face_to_face": meeting.is_face_to_face,
        "agenda": meeting.agenda,
        "attendees": attendees_text(meeting),
        "priority_theme": meeting.priority_theme,
    }


def edit(request, pk):
    meeting = meeting_for_action(request, pk, "meetings.change_meeting")
    initial = _meeting_initial(meeting) if request.method != "POST" else None
    form = MeetingForm(posted(request), initial=initial, user=request.user, editing=True, meeting=meeting)
    return meeting_action(
        request,
        meeting,
        form,
        lambda data: services.update_meeting(
            actor=request.user, meeting=meeting, lock_version=data.get("lock_version"), **form.service_kwargs()
        ),
        success="Meeting updated",
        title="Change meeting",
    )


def agree(request, pk):
    meeting = meeting_for_action(request, pk, "meetings.agree_agenda")
    return meeting_action(
        request,
        meeting,
        ConfirmForm(posted(request), label="Agree agenda"),
        lambda data: services.agree_agenda(actor=request.user, meeting=meeting),
        success="Agenda agreed",
        title="Agree the agenda",
        lead=meeting.agenda or "There is no agenda yet.",
    )


def cancel(request, pk):
    meeting = meeting_for_action(request, pk, "meetings.change_meeting")
    return meeting_action(
        request,
        meeting,
        CancelForm(posted(request)),
        lambda data: services.cancel_meeting(actor=request.user, meeting=meeting, reason=data["reason"]),
        success="Meeting cancelled",
        title="Cancel the meeting",
    )


def held(request, pk):
    meeting = meeting_for_action(request, pk, "meetings.change_meeting")
    return meeting_action(
        request,
        meeting,
        HeldForm(posted(request), meeting=meeting),
        lambda data: services.mark_held(
            actor=request.user, meeting=meeting, held_on=data["held_on"], officer_concerned=data["officer_concerned"]
        ),
        success="Meeting marked as held: the draft note is due within 5 working days",
        title="Mark the meeting as held",
    )
