"""Demo data for the protocol's clocks, added by ``meetings.demo.seed``: GOV.UK's bank holidays as the
calendar of record, submitted responses, an agreed extension and one awaiting agreement, regular KITs
with Newcastle, and a term's feedback on the arrangements. Idempotent."""

from datetime import time, timedelta
from pathlib import Path

from authorities.models import LocalAuthority
from core.working_days import add_working_days, london_date

from .closures import import_bank_holidays
from .extensions import agree_extension, request_extension
from .feedback import term_of
from .models import (
    ArrangementsFeedback,
    BankHolidaySnapshot,
    DeadlineExtension,
    FeedbackRound,
    Meeting,
    MeetingNote,
    MeetingSeries,
)
from .series import create_series

GOVUK_FILE = Path(__file__).resolve().parent / "data" / "bank-holidays.json"
S = MeetingNote.Status


def seed(users, stdout):
    today = london_date()
    csa, dcs, officer, admin = (
        users[e] for e in ("csa@demo.test", "dcs@demo.test", "officer@demo.test", "admin@demo.test")
    )
    dcs_leeds = users["dcs.leeds@demo.test"]
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    done = []

    if not BankHolidaySnapshot.objects.exists():
        import_bank_holidays(actor=admin, content=GOVUK_FILE.read_bytes())
        done.append("GOV.UK's bank holidays")

    # The authority's responses: the comments received were submitted by the DCS.
    answered = MeetingNote.objects.filter(
        status__in=[S.COMMENTS_RECEIVED, S.FINAL_SENT],
        comments_received_at__isnull=False,
        response_submitted_at__isnull=True,
    ).select_related("meeting__authority")
    for note in answered:
        note.response_submitted_at = note.comments_received_at
        note.response_submitted_by = note.meeting.authority.dcs if note.meeting.authority_id else None
        note.save(update_fields=["response_submitted_at", "response_submitted_by"])

    # An agreed extension: the draft of a recent KIT, 3 working days more.
    title = "KIT: Newcastle, draft extended"
    if not Meeting.objects.filter(title=title).exists():
        from . import services

        held_on = add_working_days(today, -2)
        meeting = services.schedule_meeting(
            actor=csa,
            authority=newcastle,
            kind=Meeting.Kind.KIT,
            title=title,
            purpose="Review progress against the JISP priorities.",
            starts_at=_at(held_on),
            is_remote=True,
            is_face_to_face=False,
            location="Microsoft Teams",
            agenda="1. Progress on the JISP priorities\n2. Support offers",
        )
        note = services.mark_held(actor=csa, meeting=meeting, held_on=held_on, officer_concerned=officer)
        extension = request_extension(
            actor=csa,
            note=note,
            new_due=add_working_days(note.draft_due, 3),
            reason="The adviser is covering Gateshead's Ofsted inspection this week.",
        )
        agree_extension(actor=dcs, extension=extension)
        done.append("an agreed extension")

    # An extension awaiting agreement: the authority asks for more time to respond.
    waiting = (
        MeetingNote.objects.filter(
            status=S.DRAFT_CIRCULATED, response_due__gte=today, meeting__authority__dcs=dcs_leeds
        )
        .select_related("meeting__authority")
        .first()
    )
    if waiting and not DeadlineExtension.objects.filter(note=waiting).exists():
        request_extension(
            actor=dcs_leeds,
            note=waiting,
            new_due=add_working_days(waiting.response_due, 2),
            reason="The Lead Member wants to read the note before the authority responds.",
        )
        done.append("an extension awaiting agreement")

    # Regular KITs with Newcastle: every 6 weeks on a Tuesday at 10:00 for the year.
    title = "KIT: Newcastle, every 6 weeks"
    if not MeetingSeries.objects.filter(title=title).exists():
        first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
        create_series(
            actor=csa,
            authority=newcastle,
            kind=Meeting.Kind.KIT,
            title=title,
            purpose="Keep in touch: progress on the JISP priorities, support offers and what is coming up.",
            first_date=first,
            at=time(10, 0),
            interval=6,
            weekday=1,
            until=first + timedelta(days=330),
            is_remote=True,
            location="Microsoft Teams",
            is_face_to_face=False,
            duration_minutes=90,
        )
        done.append("regular KITs with Newcastle")

    # This term's feedback on the arrangements, with two answers.
    term = term_of(today) or term_of(today - timedelta(days=40))
    if term and not FeedbackRound.objects.filter(year=term[0], term=term[1]).exists():
        round_ = FeedbackRound.objects.create(
            year=term[0], term=term[1], closes_on=add_working_days(today, 10), opened_by=admin
        )
        ArrangementsFeedback.objects.create(
            round=round_,
            authority=newcastle,
            respondent=dcs,
            arrangements=ArrangementsFeedback.Rating.VERY_WELL,
            support=ArrangementsFeedback.Rating.WELL,
            working_well="Notes arrive on time and the KITs are focused on our priorities.",
            to_change="We would like agendas a week ahead, not two days.",
        )
        ArrangementsFeedback.objects.create(
            round=round_,
            authority=dcs_leeds.authority,
            respondent=dcs_leeds,
            arrangements=ArrangementsFeedback.Rating.NOT_VERY_WELL,
            support=ArrangementsFeedback.Rating.WELL,
            to_change="Too many visits from different advisers in the same month.",
        )
        done.append("feedback on the arrangements")
    if done:
        stdout.write("Meetings: added " + ", ".join(done))


def _at(day):
    from datetime import datetime

    from core.working_days import LONDON

    return datetime.combine(day, time(10, 0), tzinfo=LONDON)
