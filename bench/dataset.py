"""The national dataset, built with bulk inserts (no services, no signals, no history rows).

152 authorities from the reference data; for each, one plan per period of ``scale.rows`` Annex 2 rows
(a priority with one or two needs, one or two offers and National Indicators); one plan of
``scale.big_rows`` rows; GO staff, the authorities' DCSs and officers, ``scale.advisers`` provider
advisers; and ``scale.notes`` held meetings with their notes in every state, dated over four years so
that the recent ones are awaiting a draft, circulated, commented or lapsed and a few old ones are
stuck overdue (the deadline sweep's backlog). The search index is rebuilt from all of it.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from time import perf_counter

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role, User
from authorities.models import LocalAuthority, NationalIndicator, Region, RegionalForum
from core.working_days import LONDON, WorkingCalendar, london_date
from meetings.models import Meeting, MeetingAttendee, MeetingNote
from plans.models import JISP, GoodPractice, Need, Offer, Priority
from providers.models import Provider
from search.index import rebuild as rebuild_search_index

BATCH = 2000
TARGET_REGION = "london"  # the largest region: its GO staff are the bench's CSA and director
BIG_PLAN_PROVIDER = "TfC"
DRAFT_PERIOD = "2011-12"  # the measured drafts: the year after the dataset's
S = JISP.Status
N = MeetingNote.Status
OPEN_NOTE_STATES = (N.AWAITING_DRAFT, N.DRAFT_CIRCULATED, N.COMMENTS_RECEIVED, N.NO_COMMENTS)
MEETING_KINDS = ("kit", "standards", "strategic_engagement", "visit", "laa_review")

TEXT = (
    "Improve the timeliness and quality of initial and core assessments so that children in need are "
    "identified early and supported by the right service, with clear plans reviewed by managers."
)


@dataclass
class Dataset:
    password: str
    users: dict = field(default_factory=dict)  # role -> the user measured in that role
    region: Region = None
    period: str = ""
    plan: JISP = None  # an approved plan of ``scale.rows`` rows, led by users["csa"]
    big_plan: JISP = None  # the plan of ``scale.big_rows`` rows
    drafts: dict = field(default_factory=dict)  # rows -> a draft plan of that many rows, led by users["csa"]
    counts: dict = field(default_factory=dict)
    note_states: dict = field(default_factory=dict)
    seconds: float = 0.0
    index_seconds: float = 0.0  # the search index's rebuild after the bulk load


def build(scale, *, seed=20100331, stdout=None):
    started = timezone.now()
    rng = random.Random(seed)
    call_command("seed_reference", stdout=_Null())
    password = f"bench-{rng.getrandbits(64):x}"
    data = Dataset(password=password)
    regions = list(Region.objects.order_by("name"))
    authorities = list(LocalAuthority.objects.select_related("region").order_by("region__name", "name"))
    providers = list(Provider.objects.order_by("name"))
    indicators = list(NationalIndicator.objects.values_list("pk", flat=True))
    data.region = next(r for r in regions if r.slug == TARGET_REGION)

    staff = _people(scale, rng, password, regions, authorities, providers)
    _forums(regions, staff)

    # Plans: the target region's authorities first, so a small run still measures them.
    with_plans = sorted(authorities, key=lambda a: (a.region_id != data.region.pk, a.region.name, a.name))
    if scale.plan_authorities:
        with_plans = with_plans[: scale.plan_authorities]
    data.period = scale.periods[-1]
    lead, big_authority = with_plans[0], with_plans[1]
    # The measured CSA leads both measured plans (the Annex 2 page shows its lead CSA the most).
    staff["csa_of"][big_authority.pk] = staff["csa_of"][lead.pk]
    LocalAuthority.objects.filter(pk=big_authority.pk).update(csa=staff["csa_of"][lead.pk])
    plans = _plans(scale, rng, with_plans, staff)
    data.users = {
        "csa": staff["csa_of"][lead.pk],
        "go_director": staff["director_of"][data.region.pk],
        "dcs": staff["dcs_of"][lead.pk],
        "la_officer": staff["officer_of"][lead.pk],
        "provider_adviser": staff["adviser_of"][BIG_PLAN_PROVIDER],
        "national": staff["national"],
        "admin": staff["admin"],
    }
    data.plan = next(p for p in plans if p.authority_id == lead.pk and p.period == data.period)
    data.big_plan = next(p for p in plans if p.authority_id == big_authority.pk and p.period == data.period)
    rows = {p.pk: scale.rows for p in plans}
    rows[data.big_plan.pk] = scale.big_rows
    _rows(rng, plans, rows, providers, indicators, staff)
    data.drafts = _drafts(scale, rng, with_plans[:3], staff["csa_of"][lead.pk], providers, indicators, staff)

    _meetings(scale, rng, authorities, staff)
    # Bulk inserts send no signals: the search index is rebuilt from the rows, as after a restore.
    index_started = perf_counter()
    entries = sum(rebuild_search_index().values())
    data.index_seconds = perf_counter() - index_started

    data.counts = {
        "authorities": len(authorities),
        "plans": JISP.objects.count(),
        "priorities": Priority.objects.count(),
        "needs": Need.objects.count(),
        "offers": Offer.objects.count(),
        "users": User.objects.count(),
        "provider advisers": User.objects.filter(role=Role.PROVIDER_ADVISER).count(),
        "meetings": Meeting.objects.count(),
        "meeting notes": MeetingNote.objects.count(),
        "search entries": entries,
    }
    data.note_states = dict(
        MeetingNote.objects.order_by("status").values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    if connection.vendor == "postgresql":  # the planner's statistics, as autovacuum keeps them on a live server
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    data.seconds = (timezone.now() - started).total_seconds()
    return data


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


# --- people ------------------------------------------------------------------------------------------


def _people(scale, rng, password, regions, authorities, providers):
    hashed = make_password(password)  # one hash for everyone: hashing 1,000 passwords would take minutes
    users = []

    def user(email, name, role, **extra):
        u = User(email=email, full_name=name, role=role, password=hashed, **extra)
        users.append(u)
        return u

    staff = {"csa_of": {}, "director_of": {}, "dcs_of": {}, "officer_of": {}, "adviser_of": {}, "csas": {}}
    for region in regions:
        staff["director_of"][region.pk] = user(
            f"director.{region.slug}@bench.test", f"Director {region.name}", Role.GO_DIRECTOR, region=region
        )
        in_region = [a for a in authorities if a.region_id == region.pk]
        count = max(1, (len(in_region) + 4) // 5)  # a CSA leads about five authorities
        csas = [
            user(f"csa{i}.{region.slug}@bench.test", f"Adviser {i} {region.name}", Role.CSA, region=region)
            for i in range(count)
        ]
        staff["csas"][region.pk] = csas
        for i, authority in enumerate(in_region):
            staff["csa_of"][authority.pk] = csas[i % count]
    for authority in authorities:
        code = authority.gss_code.lower()
        staff["dcs_of"][authority.pk] = user(
            f"dcs.{code}@bench.test",
            f"Director {authority.name}",
            Role.DCS,
            region=authority.region,
            authority=authority,
        )
        staff["officer_of"][authority.pk] = user(
            f"officer.{code}@bench.test",
            f"Officer {authority.name}",
            Role.LA_OFFICER,
            region=authority.region,
            authority=authority,
        )
    measured_first = sorted(providers, key=lambda p: p.abbreviation != BIG_PLAN_PROVIDER)
    for i in range(scale.advisers):
        provider = measured_first[i % len(providers)]
        adviser = user(
            f"adviser{i}.{provider.abbreviation.lower()}@bench.test",
            f"Adviser {i} {provider.abbreviation}",
            Role.PROVIDER_ADVISER,
            provider=provider,
        )
        staff["adviser_of"].setdefault(provider.abbreviation, adviser)
    staff["national"] = user("analyst@bench.test", "National Analyst", Role.NATIONAL)
    staff["admin"] = user("admin@bench.test", "Bench Administrator", Role.ADMIN, is_staff=True, is_superuser=True)
    User.objects.bulk_create(users, batch_size=BATCH)

    for authority in authorities:
        authority.csa = staff["csa_of"][authority.pk]
        authority.dcs = staff["dcs_of"][authority.pk]
        authority.support_status = rng.choice(list(LocalAuthority.SupportStatus.values))
    LocalAuthority.objects.bulk_update(authorities, ["csa", "dcs", "support_status"], batch_size=BATCH)
    return staff


def _forums(regions, staff):
    forums = RegionalForum.objects.bulk_create(
        [
            RegionalForum(
                region=r, name=f"{r.name} Children and Young People's Forum", chair=staff["director_of"][r.pk]
            )
            for r in regions
        ]
    )
    Members = RegionalForum.members.through
    Members.objects.bulk_create(
        [
            Members(regionalforum_id=f.pk, user_id=u.pk)
            for f in forums
            for u in [staff["director_of"][f.region_id], *staff["csas"][f.region_id]]
        ]
    )
    staff["forum_of"] = {f.region_id: f for f in forums}


# --- plans -------------------------------------------------------------------------------------------


def _plans(scale, rng, authorities, staff):
    now = timezone.now()
    plans = []
    last = len(scale.periods) - 1
    for authority in authorities:
        for index, period in enumerate(scale.periods):
            if index < last:
                status = S.APPROVED
            else:  # the current year: half approved, the rest on their way
                status = rng.choice([S.APPROVED, S.APPROVED, S.DRAFT, S.WITH_AUTHORITY, S.AWAITING_APPROVAL])
            approved = status == S.APPROVED
            plans.append(
                JISP(
                    authority=authority,
                    period=period,
                    version=1,
                    status=status,
                    csa=staff["csa_of"][authority.pk],
                    created_at=now - timedelta(days=365 * (last - index) + 60),
                    approved_at=now - timedelta(days=365 * (last - index)) if approved else None,
                    approved_by=staff["dcs_of"][authority.pk] if approved else None,
                )
            )
    # The measured plans (the target region's first two authorities, current period) are approved.
    for plan in plans[: 2 * len(scale.periods)]:
        if plan.period == scale.periods[-1]:
            plan.status = S.APPROVED
            plan.approved_at = now - timedelta(days=3)
            plan.approved_by = staff["dcs_of"][plan.authority_id]
    return JISP.objects.bulk_create(plans, batch_size=BATCH)


def _drafts(scale, rng, authorities, csa, providers, indicators, staff):
    """Draft plans of ``scale.draft_rows`` rows for the next year, on authorities the measured CSA leads
    (what a CSA works on all year: every row with its actions)."""
    LocalAuthority.objects.filter(pk__in=[a.pk for a in authorities]).update(csa=csa)
    for a in authorities:
        staff["csa_of"][a.pk] = csa
    drafts = JISP.objects.bulk_create(
        [
            JISP(authority=a, period=DRAFT_PERIOD, version=1, status=S.DRAFT, csa=csa, created_at=timezone.now())
            for a in authorities[: len(scale.draft_rows)]
        ]
    )
    _rows(rng, drafts, {d.pk: n for d, n in zip(drafts, scale.draft_rows, strict=True)}, providers, indicators, staff)
    return dict(zip(scale.draft_rows, drafts, strict=True))


def _priorities(plans, rows):
    priorities = []
    for plan in plans:
        for i in range(rows[plan.pk]):
            priorities.append(
                Priority(
                    jisp=plan,
                    order=i + 1,
                    title=f"Priority {i + 1}: improve outcomes for children in need ({plan.authority.name})",
                    description=TEXT if i % 2 == 0 else "",
                    is_workforce=i % 7 == 0,
                )
            )
    return Priority.objects.bulk_create(priorities, batch_size=BATCH)


def _indicator_links(rng, priorities, indicators):
    Through = Priority.indicators.through
    links = []
    for p in priorities:
        for ni in rng.sample(indicators, 1 + (p.order % 2)):
            links.append(Through(priority_id=p.pk, nationalindicator_id=ni))
    Through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)


def _needs(priorities):
    """The needs of every priority; returns {priority id: its first need}."""
    needs = []
    for p in priorities:
        for j in range(1 + (p.order % 3 == 0)):
            needs.append(
                Need(
                    priority=p,
                    order=j + 1,
                    description=f"Need {j + 1}: better multi-agency assessment and planning in {p.jisp.authority.name}",
                    from_workforce_tool=p.is_workforce,
                )
            )
    Need.objects.bulk_create(needs, batch_size=BATCH)
    first_need = {}
    for n in needs:
        first_need.setdefault(n.priority_id, n)
    return first_need


def _offer(p, k, provider, status, first_need, staff, today):
    plan = p.jisp
    return Offer(
        priority=p,
        need=first_need[p.pk],
        provider=provider,
        status=status,
        description=f"{provider.name} will provide {2 + k} days of tailored support: {TEXT}",
        deliver_by=today + timedelta(days=30 * (1 + p.order % 12)),
        days=Decimal(2 + (p.order + k) % 9),
        funding=Decimal(500 * ((p.order + k) % 7)),
        notes="Reviewed at the quarterly KIT meeting." if k == 0 else "",
        challenge_reason="Please tailor this to the authority's needs." if status == Offer.Status.CHALLENGED else "",
        respond_by=today + timedelta(days=10) if status == Offer.Status.INVITED else None,
        invited_by=staff["csa_of"][plan.authority_id],
        submitted_at=None if status == Offer.Status.INVITED else plan.created_at + timedelta(days=5),
        decided_at=plan.approved_at if status == Offer.Status.ACCEPTED else None,
    )


def _offers(rng, priorities, providers, first_need, staff):
    today = london_date()
    popular = [p for p in providers if p.abbreviation in (BIG_PLAN_PROVIDER, "NS", "C4EO", "RIEPs", "CWDC")]
    offers = []
    open_states = [Offer.Status.INVITED, Offer.Status.SUBMITTED, Offer.Status.CHALLENGED, Offer.Status.ACCEPTED]
    for p in priorities:
        for k in range(1 + (p.order % 2)):
            provider = popular[(p.order + k) % len(popular)] if rng.random() < 0.6 else rng.choice(providers)
            if p.jisp.status == S.APPROVED:
                status = Offer.Status.WITHDRAWN if rng.random() < 0.05 else Offer.Status.ACCEPTED
            else:
                status = rng.choice([*open_states, Offer.Status.WITHDRAWN])
            offers.append(_offer(p, k, provider, status, first_need, staff, today))
    Offer.objects.bulk_create(offers, batch_size=BATCH)


def _rows(rng, plans, rows, providers, indicators, staff):
    priorities = _priorities(plans, rows)
    _indicator_links(rng, priorities, indicators)
    first_need = _needs(priorities)
    _offers(rng, priorities, providers, first_need, staff)
    GoodPractice.objects.bulk_create(
        [
            GoodPractice(jisp=plan, area=area, description="Shared at the regional forum.")
            for plan in plans
            for area in ("Early intervention", "Participation of young people")
        ],
        batch_size=BATCH,
    )


# --- meetings and notes --------------------------------------------------------------------------------


def _meetings(scale, rng, authorities, staff):
    today = london_date()
    calendar = WorkingCalendar(today - timedelta(days=4 * 365 + 30), today + timedelta(days=90))
    meetings, notes = [], []
    kinds = {N.COMMENTS_RECEIVED, N.NO_COMMENTS}
    for i in range(scale.notes):
        authority = authorities[i % len(authorities)]
        csa = staff["csa_of"][authority.pk]
        forum = staff["forum_of"][authority.region_id] if i % 50 == 0 else None
        age = rng.randint(46, 4 * 365) if rng.random() < 0.9 else rng.randint(0, 45)
        held = today - timedelta(days=age)
        if age <= 7:
            status = N.AWAITING_DRAFT
        elif age <= 14:
            status = N.DRAFT_CIRCULATED
        elif age <= 24:
            status = rng.choice(sorted(kinds))
        else:
            status = rng.choice(OPEN_NOTE_STATES) if rng.random() < 0.02 else N.FINAL_SENT
        meetings.append(
            Meeting(
                authority=None if forum else authority,
                forum=forum,
                kind="forum" if forum else MEETING_KINDS[i % len(MEETING_KINDS)],
                title=f"{'Forum' if forum else 'KIT meeting'} {i} with {authority.name}",
                purpose="Review progress against the JISP priorities.",
                starts_at=datetime.combine(held, time(10, 0), tzinfo=LONDON),
                location=f"{authority.name} civic centre",
                organiser=staff["director_of"][authority.region_id] if forum else csa,
                status=Meeting.Status.HELD,
                held_on=held,
                agenda="1. Progress on priorities\n2. Provider offers\n3. Any other business",
                agenda_agreed_at=datetime.combine(held - timedelta(days=7), time(9, 0), tzinfo=LONDON),
            )
        )
        notes.append(_note(calendar, held, status, csa, staff["officer_of"][authority.pk]))
    # Upcoming meetings (no notes yet) for the calendars.
    for i in range(max(20, scale.notes // 50)):
        authority = authorities[i % len(authorities)]
        when = today + timedelta(days=rng.randint(0, 60))
        meetings.append(
            Meeting(
                authority=authority,
                kind=MEETING_KINDS[i % len(MEETING_KINDS)],
                title=f"KIT meeting with {authority.name}",
                purpose="Review progress against the JISP priorities.",
                starts_at=datetime.combine(when, time(14, 0), tzinfo=LONDON),
                location=f"{authority.name} civic centre",
                organiser=staff["csa_of"][authority.pk],
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    for meeting, note in zip(meetings, notes, strict=False):
        note.meeting = meeting
    MeetingNote.objects.bulk_create(notes, batch_size=BATCH)
    MeetingAttendee.objects.bulk_create(
        [
            MeetingAttendee(meeting=m, user=staff["officer_of"][m.authority_id])
            for m in meetings
            if m.authority_id is not None
        ],
        batch_size=BATCH,
    )


def _note(calendar, held, status, author, officer):
    def at(d, hour=11):
        return datetime.combine(d, time(hour, 0), tzinfo=LONDON)

    note = MeetingNote(author=author, officer_concerned=officer, status=status, draft_due=calendar.add(held, 5))
    if status == N.AWAITING_DRAFT:
        return note
    note.draft = "Notes of the meeting: progress against the plan was reviewed. " * 4
    circulated = calendar.add(held, 4)
    note.draft_circulated_at = at(circulated)
    note.response_due = calendar.add(circulated, 5)
    if status == N.DRAFT_CIRCULATED:
        return note
    if status == N.NO_COMMENTS:
        note.final_due = calendar.add(note.response_due, 5)
    else:
        received = calendar.add(circulated, 3)
        note.comments_received_at = at(received)
        note.final_due = calendar.add(received, 5)
    if status == N.FINAL_SENT:
        note.final = note.draft
        note.final_sent_at = at(calendar.add(note.final_due, -1))
    return note
