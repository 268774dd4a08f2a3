"""Pages: list, month, authority calendar, detail, schedule (pre-filled), actions, dashboard, iCal."""

import re
from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from core.working_days import LONDON, add_working_days, london_date
from meetings import services
from meetings.models import ICalToken, Meeting, MeetingNote
from meetings.queries import meetings_for_authority, meetings_for_forum
from tests.meetings.factories import MeetingNoteFactory, attend, meeting_for

pytestmark = pytest.mark.django_db


def soon(days=1):
    d = add_working_days(london_date(), days)
    return datetime(d.year, d.month, d.day, 10, 0, tzinfo=LONDON)


def test_list_shows_visible_meetings_and_flags_unagreed_agenda(world, client):
    flagged = meeting_for(world, title="KIT next week", starts_at=soon(1))
    meeting_for(world, authority=world.leeds, organiser=world.csa_other, title="Leeds KIT", starts_at=soon(1))
    client.force_login(world.dcs)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "KIT next week" in page
    assert "Leeds KIT" not in page
    assert "Not agreed – meeting soon" in page
    services.agree_agenda(actor=world.dcs, meeting=flagged)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Not agreed – meeting soon" not in page


def test_list_filters_and_paginates(world, client):
    for i in range(30):
        meeting_for(world, title=f"Visit {i}", kind=Meeting.Kind.VISIT, starts_at=soon(3) + timedelta(hours=i))
    meeting_for(world, authority=world.gateshead, title="Gateshead KIT", starts_at=soon(3))
    client.force_login(world.csa)
    page = client.get(reverse("meetings:list"), {"kind": "visit"}).content.decode()
    assert "Gateshead KIT" not in page
    assert "Page 1 of 2" in page
    page = client.get(reverse("meetings:list"), {"authority": world.gateshead.gss_code}).content.decode()
    assert "Gateshead KIT" in page
    assert "Visit 1" not in page


def test_month_view_is_a_table_calendar(world, client):
    meeting_for(world, title="March KIT", starts_at=datetime(2027, 3, 9, 10, 0, tzinfo=LONDON))
    client.force_login(world.csa)
    page = client.get(reverse("meetings:month"), {"year": 2027, "month": 3}).content.decode()
    assert "<caption" in page
    assert "March 2027" in page
    assert "March KIT" in page
    assert client.get(reverse("meetings:month"), {"year": "x"}).status_code == 404


def test_authority_calendar_and_includes(world, client):
    meeting_for(world, title="Newcastle KIT", starts_at=soon(3))
    clinic = meeting_for(
        world,
        authority=None,
        forum=world.forum,
        organiser=world.admin,
        kind=Meeting.Kind.PROVIDER_CLINIC,
        title="Clinic on NI 112",
        starts_at=soon(4),
    )
    clinic.authorities.set([world.gateshead])
    client.force_login(world.csa)
    page = client.get(reverse("meetings:authority_calendar", args=[world.newcastle.gss_code])).content.decode()
    assert "Newcastle KIT" in page
    assert "Clinic on NI 112" not in page
    assert list(meetings_for_authority(world.csa, world.gateshead)) == [clinic]
    assert list(meetings_for_forum(world.go_director, world.forum)) == [clinic]
    assert list(meetings_for_forum(world.provider_other, world.forum)) == []


def test_create_is_prefilled_from_the_query_string(world, client):
    client.force_login(world.admin)
    page = client.get(
        reverse("meetings:create"), {"forum": world.forum.pk, "kind": "provider_clinic", "agenda": "1. NI 112"}
    ).content.decode()
    assert "1. NI 112" in page
    assert f'<option value="{world.forum.pk}" selected' in page
    assert '<option value="provider_clinic" selected' in page


def test_schedule_through_the_form(world, client):
    client.force_login(world.csa)
    response = client.post(
        reverse("meetings:create"),
        {
            "authority": world.newcastle.gss_code,
            "kind": "kit",
            "title": "KIT",
            "purpose": "",
            "date": "02/03/2027",
            "time": "10:00",
            "is_remote": "on",
            "attendees": "nobody@example.org: x",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the purpose of the meeting" in page
    assert "Not one of them: nobody@example.org" in page
    response = client.post(
        reverse("meetings:create"),
        {
            "authority": world.newcastle.gss_code,
            "kind": "kit",
            "title": "KIT",
            "purpose": "Pattern of support",
            "date": "02/03/2027",
            "time": "10:00",
            "is_remote": "on",
            "attendees": f"{world.dcs.email}: performance data",
        },
    )
    meeting = Meeting.objects.get(title="KIT")
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.attendance.get().contribution == "performance data"


def test_detail_shows_note_with_working_day_labels_and_judgements(world, client):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=london_date() - timedelta(days=14))
    attend(meeting, world.la_officer, "Performance data")
    note = MeetingNoteFactory(
        meeting=meeting,
        status=MeetingNote.Status.AWAITING_DRAFT,
        draft_due=add_working_days(london_date(), -2),
        draft="Private draft text",
    )
    note.judgements.create(area="Safeguarding", performance_rating="adequate", risk="high")
    client.force_login(world.csa)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "2 working days overdue" in page
    assert "Safeguarding" in page
    assert "Performance data" in page
    client.force_login(world.dcs)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Private draft text" not in page  # the author's own until circulated


def test_the_note_workflow_through_the_pages(world, client):
    meeting = meeting_for(world, starts_at=soon(-3))
    client.force_login(world.csa)
    held_on = add_working_days(london_date(), -1)
    client.post(reverse("meetings:mark_held", args=[meeting.pk]), {"held_on": held_on.strftime("%d/%m/%Y")})
    note = MeetingNote.objects.get(meeting=meeting)
    assert note.draft_due == add_working_days(held_on, 5)
    client.post(
        reverse("meetings:note_draft", args=[meeting.pk]),
        {
            "lock_version": note.lock_version,
            "draft": "Draft text",
            "area_1": "Attainment",
            "rating_1": "good",
            "risk_1": "low",
        },
    )
    note.refresh_from_db()
    assert note.draft == "Draft text"
    assert note.judgements.count() == 1
    client.post(reverse("meetings:circulate", args=[meeting.pk]))
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.DRAFT_CIRCULATED
    client.force_login(world.dcs)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Draft text" in page
    assert "Comment or challenge a judgement" in page
    judgement = note.judgements.get()
    client.post(
        reverse("meetings:comment", args=[meeting.pk]), {"body": "Rating is too high", "judgement": judgement.pk}
    )
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.DRAFT_CIRCULATED  # one comment does not end the response
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Submit the authority's response" in page
    client.post(reverse("meetings:submit_response", args=[meeting.pk]))
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.COMMENTS_RECEIVED
    assert note.response_submitted_by == world.dcs
    client.force_login(world.csa)
    client.post(reverse("meetings:send_final", args=[meeting.pk]), {"final": "Final text"})
    note.refresh_from_db()
    assert note.status == MeetingNote.Status.FINAL_SENT
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Final text" in page
    assert "Challenges: Attainment" in page


def test_stale_draft_keeps_the_text(world, client):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    note = MeetingNoteFactory(meeting=meeting, draft_due=date(2026, 3, 9))
    client.force_login(world.csa)
    response = client.post(reverse("meetings:note_draft", args=[meeting.pk]), {"lock_version": 99, "draft": "My words"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "My words" in page
    assert "after you opened it" in page
    note.refresh_from_db()
    assert note.draft == ""


def test_dashboard_panels(world, client):
    overdue = meeting_for(world, title="Overdue KIT", status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    MeetingNoteFactory(meeting=overdue, draft_due=add_working_days(london_date(), -3))
    circulated = meeting_for(world, title="Circulated KIT", status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    MeetingNoteFactory(
        meeting=circulated,
        status=MeetingNote.Status.DRAFT_CIRCULATED,
        draft_due=date(2026, 3, 9),
        response_due=add_working_days(london_date(), 2),
    )
    meeting_for(world, title="Tomorrow's visit", starts_at=soon(1))
    client.force_login(world.csa)
    page = client.get("/").content.decode()
    assert "Overdue KIT" in page
    assert "3 working days overdue" in page
    assert "Tomorrow&#x27;s visit" in page
    client.force_login(world.dcs)
    page = client.get("/").content.decode()
    assert "Circulated KIT" in page
    assert "due in 2 working days" in page
    client.force_login(world.go_director)
    assert "Overdue meeting notes in your region" in client.get("/").content.decode()


def test_dashboard_meeting_panels_do_not_grow_in_queries_with_notes(world, client):
    """Notes to write, drafts to answer, the region's overdue notes and meetings without an agreed
    agenda: the same queries for one of each as for many, with one working calendar for them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(first, last):
        for i in range(first, last + 1):
            held = {"status": Meeting.Status.HELD, "held_on": date(2026, 3, 2)}
            late = meeting_for(world, title=f"Late KIT {i}", **held)
            MeetingNoteFactory(meeting=late, draft_due=add_working_days(london_date(), -3 - i))
            sent = meeting_for(world, title=f"Sent KIT {i}", **held)
            MeetingNoteFactory(
                meeting=sent,
                status=MeetingNote.Status.DRAFT_CIRCULATED,
                draft_due=date(2026, 3, 9),
                response_due=add_working_days(london_date(), 2 + i),
            )
            meeting_for(world, title=f"Soon visit {i}", starts_at=soon(1) + timedelta(minutes=i))

    def counts():
        result = []
        for user in (world.csa, world.dcs, world.go_director):
            client.force_login(user)
            with CaptureQueriesContext(connection) as ctx:
                page = client.get("/").content.decode()
            result.append(len(ctx.captured_queries))
        return result, page

    add(0, 0)
    few, _ = counts()
    add(1, 6)
    many, go_page = counts()
    assert many == few
    assert "Late KIT 6" in go_page
    assert go_page.count("working days overdue") >= 7


def test_ical_feed_holds_meetings_and_deadlines_and_can_be_revoked(world, client):
    meeting_for(world, title="KIT in the feed", starts_at=soon(2))
    held = meeting_for(world, title="Held KIT", status=Meeting.Status.HELD, held_on=london_date())
    MeetingNoteFactory(meeting=held, draft_due=add_working_days(london_date(), 5))
    client.force_login(world.csa)
    assert "Create a feed address" in client.get(reverse("meetings:ical_settings")).content.decode()
    created = client.post(reverse("meetings:ical_settings"), {"action": "create"}).content.decode()
    token = ICalToken.objects.get(user=world.csa)
    plain = re.search(r"/meetings/ical/([^/\"]+)\.ics", created).group(1)
    assert len(plain) >= 43
    url = reverse("meetings:ical_feed", args=[plain])
    assert url in created
    assert "shown only this once" in created
    assert url not in client.get(reverse("meetings:ical_settings")).content.decode(), "shown once only"
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert "KIT in the feed (agenda not agreed)" in events
    deadline = events["Draft note due: Held KIT"]
    assert deadline.decoded("dtstart") == add_working_days(london_date(), 5)  # an all-day event
    client.force_login(world.csa)
    client.post(reverse("meetings:ical_settings"), {"action": "revoke"})
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("meetings:ical_feed", args=["not-a-token"])).status_code == 404
    client.force_login(world.csa)
    again = client.post(reverse("meetings:ical_settings"), {"action": "create"}).content.decode()
    token.refresh_from_db()
    assert token.is_active
    assert url not in again
    assert re.search(r"/meetings/ical/[^/\"]+\.ics", again)


def test_ical_feed_is_the_users_own_view(world, client):
    meeting_for(world, authority=world.leeds, organiser=world.csa_other, title="Leeds only", starts_at=soon(2))
    token = services.create_ical_token(actor=world.dcs)
    body = client.get(reverse("meetings:ical_feed", args=[token.plain_token])).content.decode()
    assert "Leeds only" not in body
    assert timezone.now()


def test_list_and_month_queries_do_not_grow_with_meetings(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.csa)

    def counts():
        result = []
        for name in ("meetings:list", "meetings:month"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name)).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    def add(n):
        for i in range(n):
            m = meeting_for(world, title=f"M{i}", starts_at=soon(1) + timedelta(minutes=i))
            attend(m, world.dcs)
            MeetingNoteFactory(
                meeting=meeting_for(world, title=f"H{i}", starts_at=soon(1), status="held"), draft_due=london_date()
            )

    add(2)
    small = counts()
    add(10)
    assert counts() == small
