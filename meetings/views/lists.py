"""Meeting views: the meetings list (also an authority's meetings), the month calendar and the
meeting page."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.permissions import can, get_visible_or_404
from authorities.models import LocalAuthority
from core.dates import date_text
from core.working_days import LONDON, london_date
from plans.queries import delivery as delivery_q

from .. import queries
from ..forms import FilterForm
from ..models import Meeting, MeetingNote
from .common import crumbs, flag, may_schedule, query_string

PER_PAGE = 25


def _delivery(user, meeting):
    """A strategic engagement or keep-in-touch meeting with an authority shows the delivery table of
    its current approved plan; once held, the lead CSA records a review of each offer."""
    if not meeting.authority_id or meeting.kind not in delivery_q.REVIEW_MEETING_KINDS:
        return {}
    return {
        "delivery_rows": delivery_q.delivery_table_for_authority(user, meeting.authority_id),
        "delivery_table_shown": True,
        "reviewed": delivery_q.reviewed_at(meeting.pk),
        "may_review": meeting.status == Meeting.Status.HELD and can(user, "plans.review_delivery", meeting.authority),
        "today": london_date(),
    }


def _filtered(request, qs):
    form = FilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["authority"]:
            a = form.cleaned_data["authority"]
            qs = qs.filter(pk__in=Meeting.objects.filter(Q(authority=a) | Q(authorities=a)).values("pk"))
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
    return form, qs


def meeting_list(request, authority=None):
    qs = (
        queries.meeting_list(request.user)
        if authority is None
        else queries.meetings_for_authority(request.user, authority)
    )
    form, qs = _filtered(request, qs)
    show = request.GET.get("show", "upcoming")
    if show == "past":
        qs = qs.filter(starts_at__lt=timezone.now()).order_by("-starts_at", "-pk")
    elif show != "all":
        qs = qs.filter(starts_at__gte=datetime.combine(london_date(), time.min, tzinfo=LONDON))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    flag(page.object_list)
    title = f"Meetings with {authority}" if authority else "Meetings"
    return render(
        request,
        "meetings/list.html",
        {
            "title": title,
            "authority": authority,
            "filter_form": form,
            "page_obj": page,
            "meetings": page.object_list,
            "show": show,
            "query_string": query_string(request),
            "may_schedule": may_schedule(request.user),
            "may_compliance": can(request.user, "meetings.view_compliance"),
            "crumbs": crumbs((str(authority), None)) if authority else [("Meetings", None)],
        },
    )


def authority_calendar(request, gss_code):
    authority = get_object_or_404(LocalAuthority.objects.visible_to(request.user), gss_code=gss_code)
    return meeting_list(request, authority=authority)


def month(request):
    today = london_date()
    try:
        year = int(request.GET.get("year", today.year))
        month_no = int(request.GET.get("month", today.month))
        first = date(year, month_no, 1)
    except (TypeError, ValueError):
        raise Http404 from None
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], time.min, tzinfo=LONDON)
    end = datetime.combine(weeks[-1][-1], time.max, tzinfo=LONDON)
    form, qs = _filtered(request, queries.meeting_list(request.user))
    # Only what a day's cell shows (and the agenda flag needs): not the meetings' texts or their notes.
    qs = qs.select_related(None).only("title", "starts_at", "status", "agenda_agreed_at")
    by_day = {}
    for m in flag(list(qs.filter(starts_at__range=(start, end)))):
        m.time_text = date_text(m.starts_at, "H:i")
        by_day.setdefault(timezone.localtime(m.starts_at, LONDON).date(), []).append(m)
    grid = [[(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks]
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    q = request.GET.copy()
    for key in ("year", "month"):
        q.pop(key, None)
    return render(
        request,
        "meetings/month.html",
        {
            "first": first,
            "grid": grid,
            "today": today,
            "prev_month": prev_month,
            "next_month": next_month,
            "filter_form": form,
            "query_string": q.urlencode(),
            "crumbs": crumbs((f"{first:%B %Y}", None)),
        },
    )


def detail(request, pk):
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    user = request.user
    note = MeetingNote.objects.filter(meeting=meeting).select_related("author", "officer_concerned").first()
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("user"),
        "agenda_flag": flag([meeting])[0].agenda_flag,
        "may_change": can(user, "meetings.change_meeting", meeting),
        "may_agree": can(user, "meetings.agree_agenda", meeting),
        "crumbs": crumbs((meeting.title, None)),
        "invited": meeting.authorities.all() if meeting.kind == Meeting.Kind.PROVIDER_CLINIC else [],
        "clinic_providers": meeting.providers.all() if meeting.kind == Meeting.Kind.PROVIDER_CLINIC else [],
    }
    context.update(_delivery(user, meeting))
    if note:
        queries.label_notes([note])
        may_write = can(user, "meetings.write_note", note)
        may_comment = can(user, "meetings.comment_note", note)
        context.update(
            note=note,
            judgements=note.judgements.all(),
            comments=note.comments.select_related("author", "judgement"),
            may_write=may_write,
            may_comment=may_comment,
            # The draft is its writers' own until it is circulated (meetings.rules.may_read_note).
            show_draft=can(user, "meetings.read_note", note),
            comment_open=may_comment
            and note.status == MeetingNote.Status.DRAFT_CIRCULATED
            and london_date() <= note.response_due,
        )
    return render(request, "meetings/detail.html", context)
