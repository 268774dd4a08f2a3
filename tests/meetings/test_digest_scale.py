"""The daily digest at scale: 5,000 people with 100,000 open items get one email each, in a bounded
number of queries, and a second run sends nothing. The dataset is bulk-inserted: 1,000 CSAs with 10
draft notes each to write (10,000 items) and 4,000 advisers of 400 providers, 10 each, whose providers
have 9,000 invitations to answer between them (90,000 items)."""

import math
import time
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OutboundEmail, Role, User
from core.working_days import LONDON
from meetings.digest import BATCH as DIGEST_BATCH
from meetings.digest import send_digests
from meetings.models import Digest, Meeting, MeetingNote
from plans.models import JISP, Offer, Priority
from providers.models import Provider

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 9)  # a Tuesday
SEVEN = datetime(2026, 6, 9, 7, 0, tzinfo=LONDON)
CSAS, NOTES_EACH = 1000, 10
PROVIDERS, ADVISERS_EACH, OFFERS = 400, 10, 9000
PEOPLE = CSAS + PROVIDERS * ADVISERS_EACH
ITEMS = CSAS * NOTES_EACH + OFFERS * ADVISERS_EACH
#: The reads of a run whatever the number of people and items: the people, the calendar (each
#: source asks it for its window, and a process that has not yet read the bank holidays' snapshot
#: reads it once), the sources' reads (the plans delivery part's one read of deliver-by dates
#: among them), the digests claimed and the emails recorded read back.
FIXED_READS = 15


def _insert_statements(model, rows, batch_size=None):
    """How many INSERT statements ``rows`` rows take: the database's limit on parameters a statement
    (none on PostgreSQL; on SQLite 999 values) or the caller's batch size, whichever is smaller."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    limit = connection.ops.bulk_batch_size(fields, [None] * rows)
    return math.ceil(rows / min(limit, batch_size or limit))


def _statements(captured, verb):
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(verb)]


def _people(world):
    csas = User.objects.bulk_create(
        [
            User(email=f"csa{i}@scale.example.gov.uk", full_name=f"Adviser {i}", role=Role.CSA, region=world.ne)
            for i in range(CSAS)
        ],
        batch_size=1000,
    )
    providers = Provider.objects.bulk_create(
        [Provider(name=f"Provider {i}", abbreviation=f"P{i}", kind=Provider.Kind.PRIVATE) for i in range(PROVIDERS)]
    )
    User.objects.bulk_create(
        [
            User(email=f"adviser{i}.{j}@scale.example.org", role=Role.PROVIDER_ADVISER, provider=p)
            for i, p in enumerate(providers)
            for j in range(ADVISERS_EACH)
        ],
        batch_size=1000,
    )
    User.objects.filter(email__contains="@scale.").update(password="!")  # unusable: nobody signs in as them
    return csas, providers


def _notes(world, csas):
    authorities = [world.newcastle, world.gateshead, world.leeds]
    held = date(2026, 6, 1)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                authority=authorities[n % 3],
                kind=Meeting.Kind.KIT,
                title=f"KIT {n}",
                purpose="Review progress",
                starts_at=datetime(2026, 6, 1, 10, 0, tzinfo=LONDON),
                organiser=csa,
                status=Meeting.Status.HELD,
                held_on=held,
            )
            for csa in csas
            for n in range(NOTES_EACH)
        ],
        batch_size=2000,
    )
    MeetingNote.objects.bulk_create(
        [
            MeetingNote(meeting=m, author_id=m.organiser_id, draft_due=held + timedelta(days=3 + i % 14))
            for i, m in enumerate(meetings)
        ],
        batch_size=2000,
    )


def _offers(world, providers):
    plans = JISP.objects.bulk_create(
        [JISP(authority=world.newcastle, period="2026-27", version=v, status=JISP.Status.DRAFT) for v in range(1, 11)]
    )
    priorities = Priority.objects.bulk_create(
        [Priority(jisp=j, order=n, title=f"Priority {n}") for j in plans for n in range(10)]
    )
    Offer.objects.bulk_create(
        [
            Offer(
                priority=priorities[i % len(priorities)],
                provider=providers[i % PROVIDERS],
                status=Offer.Status.INVITED,
                respond_by=DAY + timedelta(days=i % 9),
            )
            for i in range(OFFERS)
        ],
        batch_size=2000,
    )


def test_five_thousand_people_with_a_hundred_thousand_items_get_one_email_each(world):
    csas, providers = _people(world)
    _notes(world, csas)
    _offers(world, providers)
    assert PEOPLE == 5000
    assert ITEMS == 100_000

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as run:
        sent = send_digests(now=SEVEN)
    seconds = time.perf_counter() - started
    print(f"\ndigest: {sent} emails, {ITEMS} items, {len(run.captured_queries)} queries, {seconds:.1f} s")

    assert sent == PEOPLE == Digest.objects.filter(day=DAY).count()
    assert sum(Digest.objects.values_list("items", flat=True)) == ITEMS
    assert len(_statements(run.captured_queries, "SELECT")) <= FIXED_READS
    inserts = _insert_statements(Digest, PEOPLE, DIGEST_BATCH) + _insert_statements(OutboundEmail, PEOPLE)
    assert len(_statements(run.captured_queries, "INSERT")) <= inserts
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == PEOPLE
    csa = OutboundEmail.objects.get(recipient="csa7@scale.example.gov.uk")
    assert csa.body.count("Write and circulate the draft note of KIT") == NOTES_EACH
    adviser = OutboundEmail.objects.get(recipient="adviser3.0@scale.example.org")
    assert adviser.body.count("Answer the invitation") == len(range(3, OFFERS, PROVIDERS))  # provider 3's offers

    with CaptureQueriesContext(connection) as again:
        assert send_digests(now=SEVEN) == 0
    assert len(_statements(again.captured_queries, "SELECT")) <= FIXED_READS  # the people without a digest
    assert not _statements(again.captured_queries, "INSERT")
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == PEOPLE
