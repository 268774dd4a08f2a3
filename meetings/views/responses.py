"""The authority's response and agreed extensions, from the meeting's page."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import require
from core.actions import form_page, posted, submit

from .. import extensions, services
from ..clock_forms import ExtensionAnswerForm, ExtensionRequestForm, ResponseForm
from ..models import DeadlineExtension, Reminder
from .common import crumbs, note_for_action


def _page(request, form, meeting, title, lead=None, **context):
    url = meeting.get_absolute_url()
    return form_page(
        request,
        form,
        title=title,
        caption=meeting.title,
        lead=lead,
        crumbs=crumbs((meeting.title, url), (title, None)),
        cancel_url=url + "#note",
        **context,
    )


def submit_response(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.submit_response")
    require(request.user, "meetings.read_note", note)  # the page lists the comments and judgements
    form = ResponseForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.submit_response(actor=request.user, note=note),
        success=lambda n: f"The authority's response has been sent: the final note is due by {n.final_due:%d %B %Y}",
        then=meeting.get_absolute_url() + "#note",
    )
    if outcome.response:
        return outcome.response
    comments = list(note.comments.select_related("author", "judgement"))
    lead = (
        f"The {len(comments)} comment{'s' if len(comments) != 1 else ''} below make up the authority's response."
        if comments
        else "There are no comments: the authority's response will say it has none."
    )
    return _page(
        request,
        outcome.form,
        meeting,
        "Submit the authority's response",
        lead=lead + " Once it is submitted no more comments can be added, and the final note is due within "
        "5 working days.",
        template="meetings/clocks/submit_response.html",
        comments=comments,
        note=note,
    )


def request_extension(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.request_extension")
    stage, due = note.current_stage
    if stage is None:
        raise Http404
    form = ExtensionRequestForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: extensions.request_extension(
            actor=request.user, note=note, new_due=data["new_due"], reason=data["reason"]
        ),
        success=lambda e: f"Extension asked for: the other side is asked to agree {e.new_due:%d %B %Y}",
        then=meeting.get_absolute_url() + "#extensions",
    )
    label = Reminder.Stage(stage).label
    return outcome.response or _page(
        request,
        outcome.form,
        meeting,
        f"Ask for more time: {label.lower()}",
        lead=f"The {label.lower()} is due by {due:%A %d %B %Y}. Ask for a later date, with the reason; "
        "the other side agrees or declines.",
    )


def _extension(request, pk):
    extension = get_object_or_404(DeadlineExtension.objects.select_related("requested_by"), pk=pk)
    meeting, note = note_for_action(request, extension.note.meeting_id, "meetings.request_extension")
    extension.note = note
    require(request.user, "meetings.answer_extension", extension)
    return meeting, extension


def _answer(request, pk, agree):
    meeting, extension = _extension(request, pk)
    form = ExtensionAnswerForm(posted(request), agree=agree)
    if agree:
        perform = lambda data: extensions.agree_extension(actor=request.user, extension=extension)  # noqa: E731
        banner = f"Extension agreed: the {extension.get_stage_display().lower()} is due by {extension.new_due:%d %B %Y}"
    else:
        perform = lambda data: extensions.decline_extension(  # noqa: E731
            actor=request.user, extension=extension, answer=data["answer"]
        )
        banner = "Extension declined: the due date stays"
    outcome = submit(request, form, perform, success=banner, then=meeting.get_absolute_url() + "#extensions")
    if outcome.response:
        return outcome.response
    what = extension.get_stage_display().lower()
    return _page(
        request,
        outcome.form,
        meeting,
        ("Agree" if agree else "Decline") + f" the extension of the {what}",
        lead=f"{extension.requested_by} asks to move the {what} from {extension.old_due:%d %B %Y} to "
        f"{extension.new_due:%d %B %Y} ({extension.working_days} working day{'s' if extension.working_days != 1 else ''} "
        f"more): “{extension.reason}”",
    )


def agree_extension(request, pk):
    return _answer(request, pk, agree=True)


def decline_extension(request, pk):
    return _answer(request, pk, agree=False)
