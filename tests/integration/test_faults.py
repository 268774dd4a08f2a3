"""Faults survived, against the real database and a real worker on Redis (CI: PostgreSQL and Redis).

- The broker is down when the DCS approves: the approval commits and the DCS sees it; once the broker
  is back the periodic re-queue (``plans.tasks.requeue_missing_pdfs``, ``accounts.tasks.
  requeue_unsent_emails``, here fired twice as an overlapping beat would) produces exactly one PDF and
  one email per recipient.
- A worker dies mid-render and mid-sweep (the process is killed inside the task, after the work and
  before the commit): acks_late and reject-on-worker-lost give the task to the worker again, and the
  result is the same as one clean run — one PDF, one copy and one email per recipient, one reminder each.
- Two users save the same meeting at once: one wins; the other is told, with their text kept in the
  form; nothing is silently lost. (With PostgreSQL the two saves really run at the same moment.)
"""

import hashlib
import threading
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import OutboundEmail
from accounts.tasks import requeue_unsent_emails
from core.working_days import LONDON
from jisp_portal.celery import app as celery_app
from meetings.models import Meeting, MeetingNote, Reminder
from meetings.tasks import sweep_deadlines
from plans.models import JISP, Decision, PlanCopy
from plans.tasks import render_jisp_pdf, requeue_missing_pdfs
from tests.integration.test_worker import broker_url, wait_for
from tests.integration.workers import mails_to, running_worker, use_broker
from tests.matrix.plans_workflow import build_plan
from tests.meetings.factories import MeetingNoteFactory, meeting_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
S = JISP.Status
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens there: every publish is refused


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    use_broker(broker_url())


def pdf_files(tmp_path):
    return sorted((tmp_path / "media").rglob("*.pdf"))


def assert_one_pdf_and_one_email_each(jisp, tmp_path):
    jisp.refresh_from_db()
    files = pdf_files(tmp_path)
    assert len(files) == 1, f"exactly one PDF file, found {files}"
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == jisp.pdf_sha256
    emails = list(OutboundEmail.objects.all())
    assert emails
    assert all(e.sent_at is not None and e.attempts == 1 for e in emails), [
        (e.key, e.recipient, e.sent_at, e.attempts) for e in emails
    ]
    for email in emails:
        assert (
            len(mails_to(tmp_path, email.recipient)) == OutboundEmail.objects.filter(recipient=email.recipient).count()
        ), f"{email.recipient} got a different number of emails than were recorded"
    copies = list(PlanCopy.objects.filter(jisp=jisp).values_list("email", flat=True))
    assert len(copies) == len(set(copies))
    return emails


def all_sent():
    return OutboundEmail.objects.exists() and not OutboundEmail.objects.filter(sent_at__isnull=True).exists()


def test_broker_down_when_the_dcs_approves_then_the_requeue_delivers_once(world, tmp_path):
    jisp = build_plan(world, S.AWAITING_APPROVAL)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    use_broker(DEAD_BROKER)
    try:
        client = Client()
        client.force_login(world.dcs)
        response = client.post(
            reverse("plans:approve", kwargs={"pk": jisp.pk}),
            {"version": jisp.version, "lock_version": jisp.lock_version, "confirm": "on"},
            follow=True,
        )
    finally:
        celery_app.conf.task_always_eager = previous
    assert response.status_code == 200
    assert "You have approved version 1 of the plan" in response.content.decode()
    jisp.refresh_from_db()
    assert jisp.status == S.APPROVED
    assert Decision.objects.filter(jisp=jisp, outcome="approved").count() == 1
    assert not jisp.pdf
    assert not pdf_files(tmp_path)
    waiting = OutboundEmail.objects.filter(sent_at__isnull=True)
    assert waiting.filter(recipient=world.csa.email).exists(), "the CSA's email waits for the broker"

    with running_worker(tmp_path):
        for _ in range(2):  # two beats while the backlog is worked off: still one of everything
            requeue_missing_pdfs.delay()
            requeue_unsent_emails.delay(0)
        wait_for(lambda: JISP.objects.filter(pk=jisp.pk).exclude(pdf="").exists(), "render the PDF")
        wait_for(
            lambda: PlanCopy.objects.filter(jisp=jisp).count() == len(partners(world)), "copy the plan to the partners"
        )
        requeue_unsent_emails.delay(0)
        wait_for(all_sent, "send every email")
        requeue_missing_pdfs.delay()  # a beat after everything is done finds nothing to do
        requeue_unsent_emails.delay(0)
        wait_for(lambda: len(mails_to(tmp_path, world.provider.email)) >= 1, "deliver the partner's copy")

    emails = assert_one_pdf_and_one_email_each(jisp, tmp_path)
    assert {e.recipient for e in emails} == {world.csa.email, *partners(world)}
    assert len(mails_to(tmp_path, world.dcs.email)) == 1
    assert len(mails_to(tmp_path, world.csa.email)) == 1


def partners(world):
    """Who gets a copy of the approved plan: its DCS, the adviser and the contact address of the
    provider whose offer was accepted, and the region's GO director."""
    return {world.dcs.email, world.provider.email, world.tfc.contact_email, world.go_director.email}


def test_a_worker_killed_mid_render_renders_and_copies_once(world, tmp_path):
    jisp = build_plan(world, S.APPROVED)
    with running_worker(tmp_path, crash_in="plans.pdf:render_jisp_pdf_bytes") as log:
        render_jisp_pdf.delay(jisp.pk)
        wait_for(lambda: (tmp_path / "crashed").exists(), "crash")
        wait_for(lambda: JISP.objects.filter(pk=jisp.pk).exclude(pdf="").exists(), "render after the crash")
        wait_for(all_sent, "send the copies")
        render_jisp_pdf.delay(jisp.pk)  # a late duplicate delivery changes nothing
        requeue_unsent_emails.delay(0)
        wait_for(lambda: log.read_text().count("succeeded") >= 3, "run the duplicate")
        assert "WorkerLostError" in log.read_text() or "exited" in log.read_text()
    emails = assert_one_pdf_and_one_email_each(jisp, tmp_path)
    assert {e.recipient for e in emails} == partners(world)
    assert PlanCopy.objects.filter(jisp=jisp).count() == len(partners(world))


def test_a_worker_killed_mid_sweep_reminds_once(world, tmp_path, reminders_as_they_happen):
    meeting = meeting_for(world, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
    note = MeetingNoteFactory(meeting=meeting, status=MeetingNote.Status.AWAITING_DRAFT, draft_due=date(2026, 3, 9))
    with running_worker(tmp_path, crash_in="meetings.services:queue_emails") as log:
        sweep_deadlines.delay()
        wait_for(lambda: (tmp_path / "crashed").exists(), "crash")
        wait_for(lambda: Reminder.objects.filter(note=note).count() == 2, "sweep after the crash")
        wait_for(lambda: OutboundEmail.objects.count() == 2 and all_sent(), "send the reminders")
        sweep_deadlines.delay()  # the next beat: nothing new
        wait_for(lambda: log.read_text().count("succeeded") >= 4, "run the second sweep")
    assert Reminder.objects.filter(note=note).count() == 2
    assert set(Reminder.objects.values_list("recipient", "kind")) == {
        (world.csa.pk, Reminder.Kind.OVERDUE),
        (world.go_director.pk, Reminder.Kind.ESCALATION),
    }
    assert len(mails_to(tmp_path, world.csa.email)) == 1
    assert len(mails_to(tmp_path, world.go_director.email)) == 1
    assert all(e.attempts == 1 for e in OutboundEmail.objects.all())


def _meeting_post(lock_version, title):
    starts = datetime.now(tz=LONDON) + timedelta(days=14)
    return {
        "lock_version": lock_version,
        "kind": "kit",
        "title": title,
        "purpose": f"Purpose written by {title}",
        "date": starts.strftime("%d/%m/%Y"),
        "time": "10:00",
        "is_remote": "on",
    }


def test_two_users_save_the_same_meeting_at_once(world):
    meeting = meeting_for(world, organiser=world.provider, starts_at=datetime.now(tz=LONDON) + timedelta(days=7))
    url = reverse("meetings:edit", args=[meeting.pk])
    editors = {"csa": world.csa, "provider": world.provider}
    clients = {}
    for name, user in editors.items():
        clients[name] = Client()
        clients[name].force_login(user)
        opened = clients[name].get(url)  # both open the form at the same version
        assert opened.status_code == 200
    version = Meeting.objects.get(pk=meeting.pk).lock_version
    responses = {}
    barrier = threading.Barrier(len(editors))

    def save(name):
        try:
            barrier.wait(timeout=10)
            responses[name] = clients[name].post(url, _meeting_post(version, f"Title from {name}"))
        finally:
            connection.close()

    if connection.vendor == "postgresql":  # two requests at the same moment, each on its own connection
        threads = [threading.Thread(target=save, args=(name,)) for name in editors]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    else:  # SQLite allows one writer: the second save follows the first, on the same stale version
        for name in editors:
            responses[name] = clients[name].post(url, _meeting_post(version, f"Title from {name}"))

    statuses = sorted(r.status_code for r in responses.values())
    assert statuses == [200, 302], statuses
    winner = next(n for n, r in responses.items() if r.status_code == 302)
    loser = next(n for n, r in responses.items() if r.status_code == 200)
    meeting.refresh_from_db()
    assert meeting.title == f"Title from {winner}"
    assert meeting.lock_version == version + 1
    page = responses[loser].content.decode()
    assert "govuk-error-summary" in page
    assert "Nothing was saved" in page
    assert f'value="Title from {loser}"' in page, "the loser's text is kept in the form"
    assert f"Purpose written by Title from {loser}" in page
