"""The working-day calendar, for administrators: office closures and GOV.UK's bank holidays. Each
change moves the open deadlines it affects; the pages say which."""

from datetime import date

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.permissions import require
from core.actions import form_page, posted, submit
from core.working_days import london_date

from .. import closures
from ..clock_forms import BankHolidaysForm, ClosureForm, RemoveClosureForm
from ..models import BankHolidaySnapshot, DeadlineMove, NonWorkingDay
from .common import crumbs

PER_PAGE = 25


def _moved(moves):
    n = len(moves)
    return f"{n} open deadline{'s' if n != 1 else ''} moved" if n else "no open deadline moved"


def closure_list(request):
    require(request.user, "meetings.manage_calendar")
    form = ClosureForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: closures.add_closure(actor=request.user, day=data["date"], reason=data["reason"]),
        success=lambda result: f"Closure added for {result[0].date:%d %B %Y}: {_moved(result[1])}",
        then="meetings:closures",
    )
    if outcome.response:
        return outcome.response
    today = london_date()
    show = request.GET.get("show", "upcoming")
    rows = NonWorkingDay.objects.all()
    rows = rows.filter(date__lt=today).order_by("-date") if show == "past" else rows.filter(date__gte=today)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    recent = DeadlineMove.objects.filter(snapshot__isnull=True).select_related("note__meeting").order_by("-pk")[:20]
    return render(
        request,
        "meetings/clocks/closures.html",
        {
            "form": outcome.form,
            "page_obj": page,
            "closures": page.object_list,
            "show": show,
            "query_string": f"show={show}",
            "recent": recent,
            "crumbs": crumbs(("Closures", None)),
        },
    )


def closure_remove(request, pk):
    require(request.user, "meetings.manage_calendar")
    closure = get_object_or_404(NonWorkingDay, pk=pk)
    form = RemoveClosureForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: closures.remove_closure(actor=request.user, closure=closure),
        success=lambda result: f"{result[0]:%d %B %Y} is a working day again: {_moved(result[1])}",
        then="meetings:closures",
    )
    title = f"Remove the closure on {closure.date:%d %B %Y}"
    return outcome.response or form_page(
        request,
        outcome.form,
        title=title,
        caption="Closures",
        lead=f"“{closure.reason}”. The day becomes a working day again, and open deadlines whose window "
        "holds it come back; the people who must meet them are told.",
        crumbs=crumbs(("Closures", reverse("meetings:closures")), (title, None)),
        cancel_url=reverse("meetings:closures"),
    )


def bank_holidays(request):
    require(request.user, "meetings.manage_calendar")
    form = BankHolidaysForm(posted(request), request.FILES or None)
    outcome = submit(
        request,
        form,
        lambda data: closures.import_bank_holidays(actor=request.user, content=data["file"].read()),
        success=lambda result: f"GOV.UK's bank holidays imported: {_moved(result[1])}",
        then="meetings:bank_holidays",
    )
    if outcome.response:
        return outcome.response
    snapshots = list(BankHolidaySnapshot.objects.select_related("imported_by").order_by("-pk")[:10])
    latest = snapshots[0] if snapshots else None
    today = london_date()
    upcoming = sorted(
        (date.fromisoformat(e["date"]), e["title"])
        for e in (latest.events if latest else [])
        if e["date"] >= today.isoformat()
    )[:12]
    return render(
        request,
        "meetings/clocks/bank_holidays.html",
        {
            "form": outcome.form,
            "latest": latest,
            "snapshots": snapshots,
            "diff": closures.snapshot_diff(latest),
            "upcoming": upcoming,
            "moves": latest.moves.select_related("note__meeting").order_by("pk") if latest else [],
            "crumbs": crumbs(("Bank holidays", None)),
        },
    )
