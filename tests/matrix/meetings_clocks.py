"""The protocol's clocks: the authority's response, extensions, the working-day calendar, reminder
emails, regular meetings and feedback on the arrangements — every page and action for every role."""

from datetime import date, datetime, time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from core.working_days import LONDON
from meetings.models import (
    ArrangementsFeedback,
    BankHolidaySnapshot,
    DeadlineExtension,
    FeedbackRound,
    Meeting,
    MeetingNote,
    MeetingSeries,
    NonWorkingDay,
)
from meetings.series import create_series
from tests.matrix import Case, everyone
from tests.meetings.factories import MeetingNoteFactory, meeting_for

S = MeetingNote.Status
FAR = date(2099, 1, 2)  # a Friday, long after today: every window is open
GOVUK = Path(__file__).resolve().parents[2] / "meetings" / "data" / "bank-holidays.json"
NEWCASTLE = {"csa": 403, "go_director": 403, "dcs": 403, "la_officer": 403}  # who sees the meeting


def allowed(*roles, status=200, others=403):
    expect = {role: others for role in NEWCASTLE}
    expect.update({role: status for role in roles})
    return expect


def note(status):
    def setup(w):
        meeting = meeting_for(w, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
        fields = {"draft_due": FAR, "draft": "Draft text", "officer_concerned": w.la_officer}
        if status != S.AWAITING_DRAFT:
            fields.update(
                draft_due=date(2026, 3, 9),
                draft_circulated_at=datetime(2026, 3, 6, 12, 0, tzinfo=LONDON),
                response_due=FAR,
            )
        return {"meeting": meeting, "note": MeetingNoteFactory(meeting=meeting, status=status, **fields)}

    return setup


def extension(w):
    objects = note(S.AWAITING_DRAFT)(w)
    objects["extension"] = DeadlineExtension.objects.create(
        note=objects["note"],
        stage="draft",
        old_due=FAR,
        new_due=date(2099, 1, 5),
        working_days=1,
        reason="The adviser is ill",
        side="author",
        requested_by=w.csa,
    )
    return objects


def meeting_url(name):
    return lambda w, o: reverse(name, args=[o["meeting"].pk])


def extension_url(name):
    return lambda w, o: reverse(name, args=[o["extension"].pk])


def status_is(expected_roles, check):
    def then(w, o, role, response):
        assert check(w, o) == (role in expected_roles), role

    return then


def closure(w):
    return {"closure": NonWorkingDay.objects.create(date=date(2099, 6, 1), reason="Office move")}


def series(w):
    return {
        "series": create_series(
            actor=w.csa,
            authority=w.newcastle,
            kind=Meeting.Kind.KIT,
            title="KIT every 6 weeks",
            purpose="Keep in touch",
            first_date=date(2098, 12, 1),
            at=time(10, 0),
            interval=6,
            weekday=1,
            until=date(2099, 6, 30),
            is_remote=True,
            today=date(2098, 11, 1),
        )
    }


def series_url(name):
    return lambda w, o: reverse(name, args=[o["series"].pk])


def feedback_round(w):
    return {"round": FeedbackRound.objects.create(year=2098, term="autumn", closes_on=FAR)}


SERIES_POST = {
    "kind": "kit",
    "title": "KIT every 6 weeks",
    "purpose": "Keep in touch",
    "first_date": "01/12/2098",
    "at": "10:00",
    "duration_minutes": "60",
    "interval": "6",
    "weekday": "1",
    "until": "30/06/2099",
    "is_remote": "on",
}
SERIES_VIEWERS = {"csa": 403, "go_director": 403, "dcs": 403, "la_officer": 403}


CASES = [
    # --- the authority's response ---
    Case(
        "submit response",
        "meetings:submit_response",
        meeting_url("meetings:submit_response"),
        allowed("dcs", "la_officer"),
        setup=note(S.DRAFT_CIRCULATED),
    ),
    Case(
        "submit response POST",
        "meetings:submit_response",
        meeting_url("meetings:submit_response"),
        allowed("dcs", "la_officer", status=302),
        method="post",
        setup=note(S.DRAFT_CIRCULATED),
        then=status_is(
            ("dcs", "la_officer"),
            lambda w, o: MeetingNote.objects.get(pk=o["note"].pk).status == S.COMMENTS_RECEIVED,
        ),
    ),
    # --- extensions ---
    Case(
        "request extension",
        "meetings:request_extension",
        meeting_url("meetings:request_extension"),
        allowed("csa", "dcs", "la_officer"),
        setup=note(S.AWAITING_DRAFT),
    ),
    Case(
        "request extension POST",
        "meetings:request_extension",
        meeting_url("meetings:request_extension"),
        allowed("csa", "dcs", "la_officer", status=302),
        method="post",
        data=lambda w, o: {"new_due": "05/01/2099", "reason": "The adviser is ill"},
        setup=note(S.AWAITING_DRAFT),
        then=status_is(
            ("csa", "dcs", "la_officer"), lambda w, o: DeadlineExtension.objects.filter(note=o["note"]).exists()
        ),
    ),
    Case(
        "agree extension",
        "meetings:agree_extension",
        extension_url("meetings:agree_extension"),
        allowed("dcs", "la_officer"),
        setup=extension,
    ),
    Case(
        "agree extension POST",
        "meetings:agree_extension",
        extension_url("meetings:agree_extension"),
        allowed("dcs", "la_officer", status=302),
        method="post",
        setup=extension,
        then=status_is(
            ("dcs", "la_officer"), lambda w, o: MeetingNote.objects.get(pk=o["note"].pk).draft_due == date(2099, 1, 5)
        ),
    ),
    Case(
        "decline extension",
        "meetings:decline_extension",
        extension_url("meetings:decline_extension"),
        allowed("dcs", "la_officer"),
        setup=extension,
    ),
    Case(
        "decline extension POST",
        "meetings:decline_extension",
        extension_url("meetings:decline_extension"),
        allowed("dcs", "la_officer", status=302),
        method="post",
        data=lambda w, o: {"answer": "Not this time"},
        setup=extension,
        then=status_is(
            ("dcs", "la_officer"),
            lambda w, o: (
                DeadlineExtension.objects.get(pk=o["extension"].pk).status == DeadlineExtension.Status.DECLINED
            ),
        ),
    ),
    # --- the working-day calendar (administrators) ---
    Case("closures", "meetings:closures", lambda w, o: reverse("meetings:closures"), everyone(403, admin=200)),
    Case(
        "closures POST (add)",
        "meetings:closures",
        lambda w, o: reverse("meetings:closures"),
        everyone(403, admin=302),
        method="post",
        data=lambda w, o: {"date": "02/06/2099", "reason": "Office move"},
        then=status_is(("admin",), lambda w, o: NonWorkingDay.objects.filter(date=date(2099, 6, 2)).exists()),
    ),
    Case(
        "closure remove",
        "meetings:closure_remove",
        lambda w, o: reverse("meetings:closure_remove", args=[o["closure"].pk]),
        everyone(403, admin=200),
        setup=closure,
    ),
    Case(
        "closure remove POST",
        "meetings:closure_remove",
        lambda w, o: reverse("meetings:closure_remove", args=[o["closure"].pk]),
        everyone(403, admin=302),
        method="post",
        setup=closure,
        then=status_is(("admin",), lambda w, o: not NonWorkingDay.objects.filter(pk=o["closure"].pk).exists()),
    ),
    Case(
        "bank holidays",
        "meetings:bank_holidays",
        lambda w, o: reverse("meetings:bank_holidays"),
        everyone(403, admin=200),
    ),
    Case(
        "bank holidays POST (import)",
        "meetings:bank_holidays",
        lambda w, o: reverse("meetings:bank_holidays"),
        everyone(403, admin=302),
        method="post",
        data=lambda w, o: {"file": SimpleUploadedFile("bank-holidays.json", GOVUK.read_bytes(), "application/json")},
        then=status_is(("admin",), lambda w, o: BankHolidaySnapshot.objects.exists()),
    ),
    # --- reminder emails (everyone's own) ---
    Case(
        "reminder emails", "meetings:reminder_emails", lambda w, o: reverse("meetings:reminder_emails"), everyone(200)
    ),
    Case(
        "reminder emails POST",
        "meetings:reminder_emails",
        lambda w, o: reverse("meetings:reminder_emails"),
        everyone(302),
        method="post",
        data=lambda w, o: {"reminder_emails": "immediate"},
        then=lambda w, o, role, r: (
            role == "anonymous" or User.objects.get(pk=w.users[role].pk).reminder_emails == "immediate"
        ),
    ),
    # --- regular meetings ---
    Case(
        "series create",
        "meetings:series_create",
        lambda w, o: reverse("meetings:series_create") + f"?authority={w.newcastle.gss_code}",
        everyone(403, csa=200),
    ),
    Case(
        "series create POST",
        "meetings:series_create",
        lambda w, o: reverse("meetings:series_create") + f"?authority={w.newcastle.gss_code}",
        everyone(403, csa=302),
        method="post",
        data=lambda w, o: SERIES_POST,
        then=status_is(("csa",), lambda w, o: MeetingSeries.objects.filter(authority=w.newcastle).exists()),
    ),
    Case(
        "series detail",
        "meetings:series_detail",
        series_url("meetings:series_detail"),
        {"csa": 200, "go_director": 200, "dcs": 200, "la_officer": 200},
        setup=series,
    ),
    Case(
        "series change",
        "meetings:series_change",
        series_url("meetings:series_change"),
        {**SERIES_VIEWERS, "csa": 200},
        setup=series,
    ),
    Case(
        "series change POST (stop)",
        "meetings:series_change",
        series_url("meetings:series_change"),
        {**SERIES_VIEWERS, "csa": 302},
        method="post",
        data=lambda w, o: {
            **SERIES_POST,
            "lock_version": o["series"].lock_version,
            "action": "stop",
            "from_date": "01/03/2099",
        },
        setup=series,
        then=status_is(("csa",), lambda w, o: MeetingSeries.objects.get(pk=o["series"].pk).until == date(2099, 2, 28)),
    ),
    # --- feedback on the arrangements ---
    Case(
        "feedback give",
        "meetings:feedback_give",
        lambda w, o: reverse("meetings:feedback_give", args=[o["round"].pk]),
        everyone(403, dcs=200, dcs_other=200, la_officer=200),
        setup=feedback_round,
    ),
    Case(
        "feedback give POST",
        "meetings:feedback_give",
        lambda w, o: reverse("meetings:feedback_give", args=[o["round"].pk]),
        everyone(403, dcs=302, dcs_other=302, la_officer=302),
        method="post",
        data=lambda w, o: {"arrangements": "4", "support": "3", "working_well": "The notes", "to_change": ""},
        setup=feedback_round,
        then=status_is(
            ("dcs", "dcs_other", "la_officer"),
            lambda w, o: ArrangementsFeedback.objects.filter(round=o["round"]).exists(),
        ),
    ),
    Case(
        "feedback results",
        "meetings:feedback_results",
        lambda w, o: reverse("meetings:feedback_results"),
        everyone(200, dcs=403, dcs_other=403, la_officer=403, provider=403, provider_other=403),
        setup=feedback_round,
    ),
]
