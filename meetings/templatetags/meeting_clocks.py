"""The protocol's clocks on the meeting page and in the meetings pages' links.

- ``{% note_clocks note %}``: the authority's response (who submitted it, the button to submit it),
  the note's timeline of extensions and moved due dates, and the buttons to ask for, agree or decline
  an extension — each shown only to those who may use it.
- ``{% clock_links %}``: links to regular meetings, reminder emails, the working-day calendar and the
  feedback on the arrangements, for those who may see them.
"""

from django import template
from django.template.loader import render_to_string

from accounts.permissions import can
from core.working_days import london_date

from ..models import DeadlineExtension, MeetingNote

register = template.Library()


@register.simple_tag(takes_context=True)
def note_clocks(context, note):
    user = context["request"].user
    S = MeetingNote.Status
    today = london_date()
    extensions = list(
        note.extensions.select_related("requested_by", "agreed_by", "declined_by").order_by("created_at", "pk")
    )
    for extension in extensions:
        extension.note = note
        extension.may_answer = extension.status == DeadlineExtension.Status.REQUESTED and can(
            user, "meetings.answer_extension", extension
        )
    moves = list(note.deadline_moves.order_by("created_at", "pk"))
    timeline = sorted(
        [("extension", e.created_at, e) for e in extensions] + [("move", m.created_at, m) for m in moves],
        key=lambda t: t[1],
    )
    stage, due = note.current_stage
    pending = any(e.status == DeadlineExtension.Status.REQUESTED and e.stage == stage for e in extensions)
    may_submit = (
        note.status == S.DRAFT_CIRCULATED
        and note.response_due is not None
        and today <= note.response_due
        and can(user, "meetings.submit_response", note)
    )
    may_extend = (
        stage is not None
        and due is not None
        and today <= due
        and not pending
        and can(user, "meetings.request_extension", note)
    )
    return render_to_string(
        "meetings/includes/note_clocks.html",
        {
            "note": note,
            "meeting": note.meeting,
            "timeline": timeline,
            "may_submit": may_submit,
            "may_extend": may_extend,
            "stage": stage,
            "due": due,
            "comment_count": note.comments.count() if may_submit else 0,
        },
        request=context["request"],
    )


@register.simple_tag(takes_context=True)
def clock_links(context, authority=None):
    user = context["request"].user
    return render_to_string(
        "meetings/includes/clock_links.html",
        {
            "authority": authority,
            "may_series": authority is not None and _may_organise(user, authority),
            "may_calendar": can(user, "meetings.manage_calendar"),
            "may_feedback": can(user, "meetings.view_feedback"),
        },
        request=context["request"],
    )


def _may_organise(user, authority):
    from ..rules import Target

    return can(user, "meetings.add_meeting", Target(authority=authority))
