"""What the meeting pages share: breadcrumbs, the agenda flag, finding a meeting (or its note) for an
action, and the page an action's form is shown on."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import get_visible_or_404, require
from core.actions import form_page, submit

from .. import queries
from ..models import MeetingNote

ORGANISER_ROLES = (Role.CSA, Role.PROVIDER_ADVISER, Role.ADMIN)


def crumbs(*items):
    """Meetings › items…: each a (text, url) pair, the last with url None."""
    return [("Meetings", reverse("meetings:list")), *items]


def flag(meetings):
    """Mark each meeting whose agenda should have been agreed by now (``agenda_flag``)."""
    deadline = queries.agenda_deadline()
    now = timezone.now()
    for m in meetings:
        m.agenda_flag = queries.needs_agenda_flag(m, deadline, now)
    return meetings


def query_string(request):
    """The page's query string without its page number, for pagination links."""
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def may_schedule(user):
    return user.role in ORGANISER_ROLES or user.is_superuser


def meeting_for_action(request, pk, perm):
    """The meeting, among those the user may see (404), if the user may ``perm`` it (403)."""
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    require(request.user, perm, meeting)
    return meeting


def note_for_action(request, pk, perm):
    """The meeting and its note (404 without one), if the user may ``perm`` the note (403)."""
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    note = MeetingNote.objects.filter(meeting=meeting).select_related("officer_concerned").first()
    if note is None:
        raise Http404
    note.meeting = meeting
    require(request.user, perm, note)
    return meeting, note


def meeting_page(request, form, title, meeting=None, *, lead=None):
    """An action's form page: inside the meeting when there is one (caption, breadcrumbs, Cancel back
    to it), else inside Meetings."""
    if meeting is None:
        caption, trail, cancel_url = "Meetings", [(title, None)], reverse("meetings:list")
    else:
        url = meeting.get_absolute_url()
        caption, trail, cancel_url = meeting.title, [(meeting.title, url), (title, None)], url
    return form_page(
        request, form, title=title, caption=caption, lead=lead, crumbs=crumbs(*trail), cancel_url=cancel_url
    )


def meeting_action(request, meeting, form, perform, *, success, title, lead=None, refused=None):
    """Perform an action on the meeting from its form page: done, back to the meeting with
    ``success``; a refusal on the form (or, with ``refused``, in a banner on the meeting)."""
    outcome = submit(request, form, perform, success=success, then=meeting, refused=refused)
    return outcome.response or meeting_page(request, outcome.form, title, meeting, lead=lead)
