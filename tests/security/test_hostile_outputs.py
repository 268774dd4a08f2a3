"""Hostile text where autoescaping of pages does not reach: the signed-off PDF (read back with pypdf),
email subjects, the iCalendar feed and the CSV export.

- A ``<script>`` in a priority, need, offer or good-practice area appears in the PDF as the literal
  text, and any text renders (hypothesis: a few PDFs, each takes a moment).
- A newline in a meeting title never makes an email unsendable (a header injection would be refused
  by Django with BadHeaderError, so the email would never go): the subject is one line.
- The iCalendar feed folds and escapes a title full of CRLF and property names: no injected property.
- Text that a spreadsheet would run as a formula (``=HYPERLINK(…)``) is quoted in the compliance CSV.
"""

import csv
import io
from datetime import date, datetime, timedelta
from io import BytesIO

import icalendar
import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from accounts.models import OutboundEmail
from accounts.tasks import send_email
from core.notify import queue_email
from core.working_days import LONDON
from meetings.models import Meeting, MeetingNote
from meetings.services import create_ical_token
from plans.models import JISP, GoodPractice, Offer
from plans.pdf import render_jisp_pdf_bytes
from plans.services.workflow import publish_jisp_pdf
from tests.matrix.plans_workflow import build_plan
from tests.meetings.factories import MeetingNoteFactory, meeting_for
from tests.plans.factories import NeedFactory, OfferFactory, PriorityFactory
from tests.security.hostile import FRAGMENTS, SCRIPT, hostile_text

pytestmark = pytest.mark.django_db
S = JISP.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(data):
    """The PDF's text without whitespace (and without the NULs pypdf leaves in two-byte-font runs)."""
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return "".join(text.replace("\x00", "").split())


def squashed(text):
    return "".join(text.split())


def test_script_in_every_part_of_the_plan_is_literal_text_in_the_signed_off_pdf(world):
    jisp = build_plan(world, S.APPROVED, offers=[(world.tfc, Offer.Status.ACCEPTED, f"Offer {SCRIPT} one")])
    priority = PriorityFactory(jisp=jisp, title=f"Priority {SCRIPT} two", order=2)
    NeedFactory(priority=priority, description=f"Need {SCRIPT} three")
    OfferFactory(
        priority=priority, provider=world.tfc, status=Offer.Status.ACCEPTED, description="x", notes=f"Note {SCRIPT}"
    )
    GoodPractice.objects.create(jisp=jisp, area=f"Area {SCRIPT} four", description=f"<b>{SCRIPT}</b>")

    publish_jisp_pdf(jisp_id=jisp.pk)
    jisp.refresh_from_db()
    with jisp.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    for expected in ("Offer", "Priority", "two", "Need", "three", "Note", "Area", "four"):
        assert expected in text
    assert text.count(squashed(SCRIPT)) >= 5, "each <script> must be printed as text"
    assert squashed(f"<b>{SCRIPT}</b>") in text


PDF_TEXT = hostile_text.map(lambda s: s.replace("\x00", "")[:3000])


@settings(max_examples=4, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=PDF_TEXT, offer=PDF_TEXT)
def test_any_text_renders_into_the_pdf_and_stays_text(world, title, offer):
    with transaction.atomic():
        jisp = build_plan(
            world, S.APPROVED, offers=[(world.tfc, Offer.Status.ACCEPTED, f"jisp-begin {offer} jisp-end")]
        )
        priority = jisp.priorities.get()
        priority.title = (title or "x")[:300]  # the form holds a title to the column's 300 characters
        priority.save()
        text = pdf_text(render_jisp_pdf_bytes(jisp))
        assert "jisp-begin" in text
        assert "jisp-end" in text
        if SCRIPT in offer:
            assert squashed(SCRIPT) in text
        transaction.set_rollback(True)


def test_a_newline_in_a_title_cannot_break_an_email_header(world):
    title = "KIT\r\nBcc: everyone@example.org\nSubject: forged"
    meeting = meeting_for(world, title=title)
    queue_email(
        key="hostile:subject",
        recipients=[world.dcs],
        subject=f"Cancelled: {meeting.title}",
        template="meetings/email/cancelled.txt",
        context={"meeting": meeting, "reason": SCRIPT},
    )
    email = OutboundEmail.objects.get(key="hostile:subject")
    assert "\n" not in email.subject
    assert "\r" not in email.subject
    # an older row (queued before the fix, or by a bulk insert) is made one line when sent
    OutboundEmail.objects.filter(pk=email.pk).update(subject=f"Cancelled: {title}")
    send_email(email.pk)
    email.refresh_from_db()
    assert email.sent_at is not None
    (message,) = mail.outbox
    assert message.subject == "Cancelled: KIT Bcc: everyone@example.org Subject: forged"
    assert message.bcc == []
    assert message.to == [world.dcs.email]
    assert SCRIPT in message.body  # plain text: the words as typed, not HTML entities


def test_the_icalendar_feed_escapes_a_hostile_title(world, client):
    title = "KIT\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected;ATTENDEE:mailto:x@example.org"
    meeting_for(
        world,
        title=title,
        purpose="".join(FRAGMENTS).replace("\x00", ""),
        starts_at=datetime.now(tz=LONDON) + timedelta(days=7),
    )
    token = create_ical_token(actor=world.csa).plain_token
    response = client.get(reverse("meetings:ical_feed", args=[token]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    assert str(events[0]["summary"]).startswith(title.replace("\r\n", "\n"))  # one event, the title as text
    assert b"\r\nATTENDEE" not in response.content
    assert b"\r\nSUMMARY:injected" not in response.content


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2", "@SUM(A1)"])
def test_a_formula_in_a_meeting_title_stays_text_in_the_compliance_csv(world, client, title):
    meeting = meeting_for(
        world,
        title=title,
        status=Meeting.Status.HELD,
        held_on=date(2026, 3, 2),
        starts_at=datetime(2026, 3, 2, 10, tzinfo=LONDON),
    )
    MeetingNoteFactory(meeting=meeting, status=MeetingNote.Status.AWAITING_DRAFT, draft_due=date(2026, 3, 9))
    client.force_login(world.csa)
    response = client.get(reverse("meetings:compliance_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [row[0] for row in rows[1:]]
    assert titles
    assert all(t == "'" + title for t in titles), titles
