"""Meeting views: the note of a meeting — the draft, its circulation, the authority's comments and
the final note."""

from accounts.permissions import require
from core.actions import posted

from .. import services
from ..forms import CommentForm, ConfirmForm, DraftForm, FinalForm
from .common import meeting_action, note_for_action


def note_draft(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.write_note")
    initial = None
    if request.method != "POST":
        initial = {"lock_version": note.lock_version, "draft": note.draft, "officer_concerned": note.officer_concerned}
    return meeting_action(
        request,
        meeting,
        DraftForm(posted(request), initial=initial, note=note),
        lambda data: services.save_draft(
            actor=request.user,
            note=note,
            draft=data["draft"],
            lock_version=data["lock_version"],
            judgements=data["judgements"],
            officer_concerned=data["officer_concerned"],
        ),
        success="Draft note saved",
        title="Write the draft note",
    )


def circulate(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.write_note")
    return meeting_action(
        request,
        meeting,
        ConfirmForm(posted(request), label="Circulate draft"),
        lambda data: services.circulate_draft(actor=request.user, note=note),
        success=lambda note: f"Draft circulated: the authority's response is due by {note.response_due:%d %B %Y}",
        refused=meeting,
        title="Circulate the draft note",
        lead="The DCS and the officer concerned are emailed; they have 5 working days to respond.",
    )


def comment(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.comment_note")
    # The form lists the judgements: nobody outside the writers reads them before circulation.
    require(request.user, "meetings.read_note", note)
    return meeting_action(
        request,
        meeting,
        CommentForm(posted(request), note=note),
        lambda data: services.add_comment(
            actor=request.user, note=note, body=data["body"], judgement=data["judgement"]
        ),
        success="Comment sent to the author of the note",
        title="Comment on the draft note",
    )


def send_final(request, pk):
    meeting, note = note_for_action(request, pk, "meetings.write_note")
    return meeting_action(
        request,
        meeting,
        FinalForm(posted(request), initial={"final": note.final or note.draft}),
        lambda data: services.send_final(actor=request.user, note=note, final=data["final"]),
        success="Final note sent to the officer concerned, copied to the DCS",
        title="Send the final note",
        lead="It goes to the officer concerned, copied to the DCS, and cannot be changed afterwards.",
    )
