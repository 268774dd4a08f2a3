"""Agreed extensions: one side asks, the other agrees or declines; an agreed extension moves the
due date and its reminders, and shows on the note's timeline and in the compliance figures."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import OutboundEmail, User
from core.digest import IMMEDIATE
from core.errors import ServiceError
from core.working_days import LONDON
from meetings import services
from meetings.extensions import agree_extension, decline_extension, request_extension
from meetings.models import DeadlineExtension, MeetingNote, NonWorkingDay, Reminder
from meetings.queries import compliance
from tests.meetings.clocks import circulated, drafted, held_note

pytestmark = pytest.mark.django_db
A = DeadlineExtension.Status


def test_the_author_asks_the_authority_agrees_and_the_draft_due_date_moves(world):
    note = held_note(world, date(2026, 4, 1))  # draft due Friday 10 April (after Easter)
    assert note.draft_due == date(2026, 4, 10)
    ext = request_extension(
        actor=world.csa, note=note, new_due=date(2026, 4, 15), reason="The adviser is ill", on=date(2026, 4, 8)
    )
    assert (ext.stage, ext.old_due, ext.working_days, ext.side) == ("draft", date(2026, 4, 10), 3, "author")
    asked = OutboundEmail.objects.get(key=f"extension-requested:{ext.pk}")
    assert asked.recipient == world.dcs.email
    assert "The adviser is ill" in asked.body
    with pytest.raises(PermissionDenied):  # the side that asked does not agree
        agree_extension(actor=world.csa, extension=ext)
    with pytest.raises(PermissionDenied):  # an officer who is not the officer concerned does not answer
        agree_extension(actor=world.la_officer, extension=ext)
    ext = agree_extension(actor=world.dcs, extension=ext)
    note.refresh_from_db()
    assert ext.status == A.AGREED
    assert ext.agreed_by == world.dcs
    assert ext.decided_at
    assert note.draft_due == date(2026, 4, 15)
    assert note.history.first().history_change_reason == "Extension agreed: 3 working days"
    assert OutboundEmail.objects.get(key=f"extension-agreed:{ext.pk}").recipient == world.csa.email
    with pytest.raises(ServiceError, match="already been agreed"):
        decline_extension(actor=world.dcs, extension=ext)


def test_the_authority_asks_for_more_time_to_respond_and_the_author_declines(world):
    note = circulated(world, date(2026, 4, 1), on=date(2026, 4, 7), officer=world.la_officer)
    assert note.response_due == date(2026, 4, 14)
    ext = request_extension(
        actor=world.la_officer, note=note, new_due=date(2026, 4, 16), reason="Cabinet meets first", on=date(2026, 4, 9)
    )
    assert ext.side == "authority"
    assert ext.stage == "response"
    with pytest.raises(ServiceError, match="already awaiting agreement"):
        request_extension(actor=world.dcs, note=note, new_due=date(2026, 4, 17), reason="Again", on=date(2026, 4, 9))
    with pytest.raises(PermissionDenied):
        decline_extension(actor=world.dcs, extension=ext)  # the authority's own side
    ext = decline_extension(actor=world.csa, extension=ext, answer="The final note is needed for the board")
    note.refresh_from_db()
    assert ext.status == A.DECLINED
    assert ext.declined_by == world.csa
    assert note.response_due == date(2026, 4, 14)
    told = OutboundEmail.objects.filter(key=f"extension-declined:{ext.pk}")
    assert {m.recipient for m in told} == {world.la_officer.email, world.dcs.email}
    assert "needed for the board" in told[0].body
    # Declined: the authority may ask again.
    again = request_extension(
        actor=world.dcs, note=note, new_due=date(2026, 4, 15), reason="One day, please", on=date(2026, 4, 10)
    )
    agree_extension(actor=world.csa, extension=again)
    note.refresh_from_db()
    assert note.response_due == date(2026, 4, 15)


@pytest.mark.parametrize(
    ("new_due", "on", "message"),
    [
        (date(2026, 4, 10), date(2026, 4, 8), "after the current one"),
        (date(2026, 4, 18), date(2026, 4, 8), "must be a working day"),  # a Saturday
        (date(2026, 5, 12), date(2026, 4, 8), "at most 20 working days; this is 21"),
        (date(2026, 4, 15), date(2026, 4, 13), "must be asked for by the due date"),
    ],
)
def test_requests_that_are_refused(world, new_due, on, message):
    note = held_note(world, date(2026, 4, 1))
    with pytest.raises(ServiceError, match=message):
        request_extension(actor=world.csa, note=note, new_due=new_due, reason="Ill", on=on)


def test_a_reason_is_needed_and_outsiders_may_not_ask(world):
    note = held_note(world, date(2026, 4, 1))
    with pytest.raises(ServiceError, match="why"):
        request_extension(actor=world.csa, note=note, new_due=date(2026, 4, 14), reason=" ", on=date(2026, 4, 8))
    for outsider in (world.csa_other, world.dcs_other, world.provider, world.go_director):
        with pytest.raises(PermissionDenied):
            request_extension(
                actor=outsider, note=note, new_due=date(2026, 4, 14), reason="Please", on=date(2026, 4, 8)
            )


def test_a_request_still_open_when_its_stage_ends_is_closed(world):
    note = drafted(world, date(2026, 4, 1))
    ext = request_extension(actor=world.csa, note=note, new_due=date(2026, 4, 14), reason="Ill", on=date(2026, 4, 8))
    services.circulate_draft(actor=world.csa, note=note, on=date(2026, 4, 9))
    ext.refresh_from_db()
    assert ext.status == A.DECLINED
    assert "completed before" in ext.answer
    with pytest.raises(ServiceError, match="already been declined"):
        agree_extension(actor=world.dcs, extension=ext)


def test_an_extension_cannot_be_agreed_once_a_closure_moved_the_date(world):
    note = held_note(world, date(2026, 4, 1))
    ext = request_extension(actor=world.csa, note=note, new_due=date(2026, 4, 15), reason="Ill", on=date(2026, 4, 8))
    MeetingNote.objects.filter(pk=note.pk).update(draft_due=date(2026, 4, 13))  # as a closure would
    with pytest.raises(ServiceError, match="has changed since the request"):
        agree_extension(actor=world.dcs, extension=ext)


def _sweep(day):
    return services.sweep_deadlines(now=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON))


def test_the_reminders_follow_the_extended_date(world):
    User.objects.update(reminder_emails=IMMEDIATE)
    note = held_note(world, date(2026, 4, 1))  # draft due Friday 10 April
    _sweep(date(2026, 4, 9))
    ext = request_extension(actor=world.csa, note=note, new_due=date(2026, 4, 14), reason="Ill", on=date(2026, 4, 9))
    agree_extension(actor=world.dcs, extension=ext)
    _sweep(date(2026, 4, 10))  # the old due date: nothing is due or overdue now
    _sweep(date(2026, 4, 13))
    _sweep(date(2026, 4, 14))
    _sweep(date(2026, 4, 15))
    sent = sorted(Reminder.objects.filter(note=note).values_list("kind", "due", "recipient__email"))
    csa, director = world.csa.email, world.go_director.email
    assert sent == sorted(
        [
            ("due_tomorrow", date(2026, 4, 10), csa),  # before the extension
            ("due_tomorrow", date(2026, 4, 14), csa),  # the new date gets its own reminders
            ("due_today", date(2026, 4, 14), csa),
            ("overdue", date(2026, 4, 14), csa),
            ("escalation", date(2026, 4, 14), director),
        ]
    )


def test_compliance_counts_a_stage_met_within_its_extension_separately(world):
    NonWorkingDay.objects.all().delete()
    on_time = drafted(world, date(2026, 4, 1))
    extended = drafted(world, date(2026, 4, 1), title="Extended")
    late = drafted(world, date(2026, 4, 1), title="Late")
    ext = request_extension(
        actor=world.csa, note=extended, new_due=date(2026, 4, 15), reason="Ill", on=date(2026, 4, 8)
    )
    agree_extension(actor=world.dcs, extension=ext)
    services.circulate_draft(actor=world.csa, note=on_time, on=date(2026, 4, 10))
    services.circulate_draft(actor=world.csa, note=extended, on=date(2026, 4, 14))
    services.circulate_draft(actor=world.csa, note=late, on=date(2026, 4, 14))
    draft = compliance(world.csa, today=date(2026, 4, 20))["total"].stages["draft"]
    assert (draft.on_time, draft.extended, draft.late, draft.extension_days) == (1, 1, 1, 3)


def test_the_csv_says_how_each_stage_was_met_and_the_working_days_of_extension(world, client):
    import csv
    import io

    from django.urls import reverse

    extended = drafted(world, date(2026, 4, 1), title="Extended")
    ext = request_extension(
        actor=world.csa, note=extended, new_due=date(2026, 4, 15), reason="Ill", on=date(2026, 4, 8)
    )
    agree_extension(actor=world.dcs, extension=ext)
    services.circulate_draft(actor=world.csa, note=extended, on=date(2026, 4, 14))
    client.force_login(world.go_director)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("meetings:compliance_csv")).content.decode())))
    row = next(r for r in rows if r["meeting"] == "Extended")
    assert row["draft_outcome"] == "on time with an agreed extension"
    assert row["draft_extension_working_days"] == "3"
    assert row["draft_on_time"] == "yes"
    page = client.get(reverse("meetings:compliance")).content.decode()
    assert "On time with an agreed extension" in page
    assert "Working days of extension" in page
