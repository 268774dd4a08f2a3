"""Thin views: fetch what the user may see (404 otherwise), check the action (403), call a service."""

import calendar as pycalendar
import csv
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import can, get_visible_or_404, require
from authorities.models import LocalAuthority, Region
from core.errors import ServiceError, posted, show_on_form
from core.notify import absolute_url
from core.sanitise import spreadsheet_cell
from core.working_days import LONDON, london_date

from . import queries, services
from .forms import (
    CancelForm,
    CommentForm,
    ConfirmForm,
    DraftForm,
    FilterForm,
    FinalForm,
    HeldForm,
    MeetingForm,
    attendees_text,
)
from .models import ICalToken, Meeting, MeetingNote

PER_PAGE = 25
OVERDUE_PER_PAGE = 50  # on the compliance page; the CSV has them all
ORGANISER_ROLES = (Role.CSA, Role.PROVIDER_ADVISER, Role.ADMIN)


def _crumbs(*items):
    return [("Meetings", reverse("meetings:list")), *items]


def _filtered(request, qs):
    form = FilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["authority"]:
            a = form.cleaned_data["authority"]
            qs = qs.filter(pk__in=Meeting.objects.filter(Q(authority=a) | Q(authorities=a)).values("pk"))
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
    return form, qs


def _flag(meetings):
    deadline = queries.agenda_deadline()
    now = timezone.now()
    for m in meetings:
        m.agenda_flag = queries.needs_agenda_flag(m, deadline, now)
    return meetings


def _query_string(request):
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _may_schedule(user):
    return user.role in ORGANISER_ROLES or user.is_superuser


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
    _flag(page.object_list)
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
            "query_string": _query_string(request),
            "may_schedule": _may_schedule(request.user),
            "may_compliance": can(request.user, "meetings.view_compliance"),
            "crumbs": _crumbs((str(authority), None)) if authority else [("Meetings", None)],
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
    by_day = {}
    for m in _flag(list(qs.filter(starts_at__range=(start, end)))):
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
            "crumbs": _crumbs((f"{first:%B %Y}", None)),
        },
    )


def detail(request, pk):
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    user = request.user
    note = MeetingNote.objects.filter(meeting=meeting).select_related("author", "officer_concerned").first()
    context = {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("user"),
        "agenda_flag": _flag([meeting])[0].agenda_flag,
        "may_change": can(user, "meetings.change_meeting", meeting),
        "may_agree": can(user, "meetings.agree_agenda", meeting),
        "crumbs": _crumbs((meeting.title, None)),
        "invited": meeting.authorities.all() if meeting.kind == Meeting.Kind.PROVIDER_CLINIC else [],
        "clinic_providers": meeting.providers.all() if meeting.kind == Meeting.Kind.PROVIDER_CLINIC else [],
    }
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
            # The draft is the author's own until it is circulated.
            show_draft=note.status != MeetingNote.Status.AWAITING_DRAFT or may_write,
            comment_open=may_comment
            and note.status == MeetingNote.Status.DRAFT_CIRCULATED
            and london_date() <= note.response_due,
        )
    return render(request, "meetings/detail.html", context)


def _form_page(
    request, form, title, meeting=None, cancel_url=None, caption=None, lead=None, template="form_page.html", **extra
):
    crumbs = _crumbs((meeting.title, meeting.get_absolute_url()), (title, None)) if meeting else _crumbs((title, None))
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "caption": caption or (meeting.title if meeting else "Meetings"),
            "cancel_url": cancel_url or (meeting.get_absolute_url() if meeting else reverse("meetings:list")),
            "crumbs": crumbs,
            "lead": lead,
            **extra,
        },
    )


def create(request):
    user = request.user
    if not _may_schedule(user):
        raise PermissionDenied
    if request.method == "POST":
        form = MeetingForm(request.POST, user=user)
        if form.is_valid():
            try:
                meeting = services.schedule_meeting(actor=user, **form.service_kwargs())
            except ServiceError as error:
                show_on_form(form, error)
            else:
                messages.success(request, f"Meeting scheduled: {meeting.title}")
                return redirect(meeting)
    else:
        initial = {"is_face_to_face": False, "is_remote": True}
        if request.GET.get("authority"):
            initial["authority"] = request.GET["authority"]
        if request.GET.get("forum", "").isdigit():
            initial["forum"] = int(request.GET["forum"])
        if request.GET.get("kind") in Meeting.Kind.values:
            initial["kind"] = request.GET["kind"]
        if request.GET.get("agenda"):
            initial["agenda"] = request.GET["agenda"]
        if request.GET.get("title"):
            initial["title"] = request.GET["title"]
        form = MeetingForm(initial=initial, user=user)
    return _form_page(request, form, "Schedule a meeting")


def _meeting_for_action(request, pk, perm):
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    require(request.user, perm, meeting)
    return meeting


def edit(request, pk):
    meeting = _meeting_for_action(request, pk, "meetings.change_meeting")
    if request.method == "POST":
        form = MeetingForm(request.POST, user=request.user, editing=True)
        if form.is_valid():
            try:
                services.update_meeting(
                    actor=request.user,
                    meeting=meeting,
                    lock_version=form.cleaned_data.get("lock_version"),
                    **form.service_kwargs(),
                )
            except ServiceError as error:
                show_on_form(form, error)
            else:
                messages.success(request, "Meeting updated")
                return redirect(meeting)
    else:
        local = timezone.localtime(meeting.starts_at, LONDON)
        form = MeetingForm(
            initial={
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
            },
            user=request.user,
            editing=True,
        )
    return _form_page(request, form, "Change meeting", meeting)


def _simple_action(request, pk, perm, form_class, title, call, success, lead=None, form_kwargs=None):
    meeting = _meeting_for_action(request, pk, perm)
    kwargs = form_kwargs(meeting) if form_kwargs else {}
    form = form_class(posted(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            call(meeting, form.cleaned_data)
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, success)
            return redirect(meeting)
    return _form_page(request, form, title, meeting, lead=lead(meeting) if callable(lead) else lead)


def agree(request, pk):
    return _simple_action(
        request,
        pk,
        "meetings.agree_agenda",
        ConfirmForm,
        "Agree the agenda",
        lambda m, d: services.agree_agenda(actor=request.user, meeting=m),
        "Agenda agreed",
        lead=lambda m: m.agenda or "There is no agenda yet.",
        form_kwargs=lambda m: {"label": "Agree agenda"},
    )


def cancel(request, pk):
    return _simple_action(
        request,
        pk,
        "meetings.change_meeting",
        CancelForm,
        "Cancel the meeting",
        lambda m, d: services.cancel_meeting(actor=request.user, meeting=m, reason=d["reason"]),
        "Meeting cancelled",
    )


def held(request, pk):
    return _simple_action(
        request,
        pk,
        "meetings.change_meeting",
        HeldForm,
        "Mark the meeting as held",
        lambda m, d: services.mark_held(
            actor=request.user, meeting=m, held_on=d["held_on"], officer_concerned=d["officer_concerned"]
        ),
        "Meeting marked as held: the draft note is due within 5 working days",
        form_kwargs=lambda m: {"meeting": m},
    )


def _note_for_action(request, pk, perm):
    meeting = get_visible_or_404(queries.meeting_detail(request.user), request.user, pk=pk)
    note = MeetingNote.objects.filter(meeting=meeting).select_related("officer_concerned").first()
    if note is None:
        raise Http404
    note.meeting = meeting
    require(request.user, perm, note)
    return meeting, note


def note_draft(request, pk):
    meeting, note = _note_for_action(request, pk, "meetings.write_note")
    if request.method == "POST":
        form = DraftForm(request.POST, note=note)
        if form.is_valid():
            try:
                services.save_draft(
                    actor=request.user,
                    note=note,
                    draft=form.cleaned_data["draft"],
                    lock_version=form.cleaned_data["lock_version"],
                    judgements=form.cleaned_data["judgements"],
                    officer_concerned=form.cleaned_data["officer_concerned"],
                )
            except ServiceError as error:
                show_on_form(form, error)
            else:
                messages.success(request, "Draft note saved")
                return redirect(meeting)
    else:
        form = DraftForm(
            initial={
                "lock_version": note.lock_version,
                "draft": note.draft,
                "officer_concerned": note.officer_concerned,
            },
            note=note,
        )
    return _form_page(request, form, "Write the draft note", meeting)


def circulate(request, pk):
    meeting, note = _note_for_action(request, pk, "meetings.write_note")
    form = ConfirmForm(posted(request), label="Circulate draft")
    if request.method == "POST" and form.is_valid():
        try:
            note = services.circulate_draft(actor=request.user, note=note)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(meeting)
        messages.success(request, f"Draft circulated: the authority's response is due by {note.response_due:%d %B %Y}")
        return redirect(meeting)
    return _form_page(
        request,
        form,
        "Circulate the draft note",
        meeting,
        lead="The DCS and the officer concerned are emailed; they have 5 working days to respond.",
    )


def comment(request, pk):
    meeting, note = _note_for_action(request, pk, "meetings.comment_note")
    form = CommentForm(posted(request), note=note)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_comment(
                actor=request.user, note=note, body=form.cleaned_data["body"], judgement=form.cleaned_data["judgement"]
            )
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Comment sent to the author of the note")
            return redirect(meeting)
    return _form_page(request, form, "Comment on the draft note", meeting)


def send_final(request, pk):
    meeting, note = _note_for_action(request, pk, "meetings.write_note")
    form = FinalForm(posted(request), initial={"final": note.final or note.draft})
    if request.method == "POST" and form.is_valid():
        try:
            services.send_final(actor=request.user, note=note, final=form.cleaned_data["final"])
        except ServiceError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Final note sent to the officer concerned, copied to the DCS")
            return redirect(meeting)
    return _form_page(
        request,
        form,
        "Send the final note",
        meeting,
        lead="It goes to the officer concerned, copied to the DCS, and cannot be changed afterwards.",
    )


def _compliance_context(request, rows=False):
    require(request.user, "meetings.view_compliance")
    region = None
    if request.user.role in (Role.ADMIN, Role.NATIONAL) or request.user.is_superuser:
        slug = request.GET.get("region")
        if slug:
            region = get_object_or_404(Region, slug=slug)
    return queries.compliance(request.user, region, rows=rows), region


def compliance(request):
    figures, region = _compliance_context(request)
    overdue = Paginator(figures["overdue"], OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/compliance.html",
        {
            "figures": figures,
            "sections": [
                ("All notes", [figures["total"]]),
                ("By Children's Services Adviser", figures["by_csa"]),
                ("By provider", figures["by_provider"]),
            ],
            "page_obj": overdue,
            "overdue": overdue.object_list,
            "query_string": _query_string(request),
            "region": region,
            "regions": Region.objects.all()
            if request.user.role in (Role.ADMIN, Role.NATIONAL) or request.user.is_superuser
            else [],
            "scope": region or request.user.region or request.user.provider or "All regions",
            "crumbs": _crumbs(("Compliance", None)),
        },
    )


def compliance_csv(request):
    figures, region = _compliance_context(request, rows=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting-notes-compliance.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "meeting",
            "authority",
            "forum",
            "kind",
            "held_on",
            "status",
            "draft_due",
            "draft_circulated_on",
            "draft_on_time",
            "draft_working_days",
            "response_due",
            "comments_received_on",
            "response_on_time",
            "final_due",
            "final_sent_on",
            "final_on_time",
            "final_working_days",
            "overdue_now",
            "draft_outcome",
            "draft_extension_working_days",
            "response_outcome",
            "response_extension_working_days",
            "final_outcome",
            "final_extension_working_days",
        ]
    )

    def day(value):
        return value.isoformat() if value else ""

    def flag(outcomes, stage, i):
        if stage not in outcomes:
            return ""
        v = outcomes[stage][i]
        return ("yes" if v else "no") if i == 0 else v  # 1: working days taken, 2: of extension, 3: outcome

    kinds, statuses = dict(Meeting.Kind.choices), dict(MeetingNote.Status.choices)
    for note, outcomes, is_overdue in figures["rows"]:
        writer.writerow(
            [
                spreadsheet_cell(note.meeting_title),
                note.authority_name or "",
                spreadsheet_cell(note.forum_name) if note.forum_name is not None else "",
                kinds.get(note.meeting_kind, note.meeting_kind),
                day(note.held_on),
                statuses.get(note.status, note.status),
                note.draft_due.isoformat(),
                day(note.circulated_on),
                flag(outcomes, "draft", 0),
                flag(outcomes, "draft", 1),
                day(note.response_due),
                day(note.comments_on),
                flag(outcomes, "response", 0),
                day(note.final_due),
                day(note.final_on),
                flag(outcomes, "final", 0),
                flag(outcomes, "final", 1),
                "yes" if is_overdue else "no",
                *[
                    v
                    for stage in ("draft", "response", "final")
                    for v in (flag(outcomes, stage, 3), flag(outcomes, stage, 2))
                ],
            ]
        )
    return response


def ical_settings(request):
    token = ICalToken.objects.filter(user=request.user).first()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                token = services.create_ical_token(actor=request.user)
                messages.success(request, "Your calendar feed address is ready. Keep it private.")
            elif action == "revoke":
                services.revoke_ical_token(actor=request.user)
                messages.success(request, "Your calendar feed address is revoked: calendars using it stop updating.")
            else:
                raise ServiceError("Choose to create or revoke the feed.")
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("meetings:ical_settings")
    feed_url = (
        absolute_url(reverse("meetings:ical_feed", kwargs={"token": token.token}))
        if token and token.is_active
        else None
    )
    return render(
        request,
        "meetings/ical_settings.html",
        {"token": token, "feed_url": feed_url, "crumbs": _crumbs(("Calendar feed", None))},
    )


@login_not_required
@require_GET
def ical_feed(request, token):
    row = ICalToken.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
    if row is None or not row.user.is_active:
        raise Http404
    from .ical import calendar_for

    response = HttpResponse(calendar_for(row.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jisp-meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
