"""Reads of sector-led improvement that views, services, the dashboard and the authority page share.

- ``conflicts_for(challenge, users)``: why each person may not join a team.
- ``ledger(year, region)``: each authority's days given and received in a year against the five-day
  expectation; ``summarise`` / ``by_status`` / ``by_region`` total them (by support status: the
  early adopters' categories).
- ``overview(year, region)``: every figure of the cycle split by support status.
- ``dashboard_panels(user)`` and ``authority_panels(user, authority)`` for ``core.panels``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse

from accounts.models import Role, User
from authorities.models import LocalAuthority, Region
from core.panels import Panel
from core.working_days import WorkingCalendar, london_date
from plans.models import JISP

if TYPE_CHECKING:
    from core.digest import DigestItem

from .models import (
    EXPECTED_DAYS_PER_YEAR,
    Brokerage,
    Evidence,
    Finding,
    FrameworkArea,
    FrameworkProvider,
    InspectionRecord,
    JudgementLevel,
    PeerChallenge,
    PeerChallengeMember,
    ProfileEntry,
    ReciprocityEntry,
    SelfAssessment,
    SelfAssessmentArea,
    financial_year,
    lead_region_scope,
    year_bounds,
)

#: A person is in conflict with a team if their authority was on a team for the authority challenged
#: (or the other way round) in a peer challenge that ended within this many years.
RECENT_YEARS = 3

STATUSES = LocalAuthority.SupportStatus.choices
M = PeerChallengeMember.Status
C = PeerChallenge.Status


def this_year() -> str:
    return financial_year(london_date())


def year_choices(around: str | None = None) -> list[str]:
    """Financial years for a year filter: from five years back to next year, newest first."""
    first = int((around or this_year())[:4])
    return [financial_year(date(y, 4, 1)) for y in range(first + 1, first - 6, -1)]


# --- self-assessments -----------------------------------------------------------------------------


def self_assessment_detail(user: User) -> QuerySet[SelfAssessment]:
    return (
        SelfAssessment.objects.visible_to(user)
        .select_related("authority__region", "authority__dcs", "framework", "shared_by", "created_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=SelfAssessmentArea.objects.select_related("area", "judgement")
                .prefetch_related("area__levels")
                .order_by("area__order", "area_id"),
            ),
            Prefetch(
                "profile", queryset=ProfileEntry.objects.select_related("indicator").order_by("indicator__number")
            ),
            Prefetch(
                "evidence", queryset=Evidence.objects.select_related("answer__area", "uploaded_by").order_by("pk")
            ),
        )
    )


def self_assessments_for(user: User) -> QuerySet[SelfAssessment]:
    return (
        SelfAssessment.objects.visible_to(user).select_related("authority__region").order_by("-year", "authority__name")
    )


# --- peer challenges ------------------------------------------------------------------------------


def challenge_detail(user: User) -> QuerySet[PeerChallenge]:
    return (
        PeerChallenge.objects.visible_to(user)
        .select_related(
            "authority__region",
            "authority__dcs",
            "authority__csa",
            "lead",
            "self_assessment__framework",
            "responded_by",
            "letter_issued_by",
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=PeerChallengeMember.objects.select_related("user", "authority").order_by("invited_at", "pk"),
            ),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("area", "judgement", "written_by").order_by("area__order"),
            ),
        )
    )


def challenges_for(user: User) -> QuerySet[PeerChallenge]:
    return (
        PeerChallenge.objects.visible_to(user).select_related("authority__region", "lead").order_by("-starts_on", "pk")
    )


def finding_rows(challenge: PeerChallenge) -> list[dict[str, Any]]:
    """One row per framework area: the area, the authority's own answer and the team's finding (or None)."""
    answers = {
        a.area_id: a for a in challenge.self_assessment.answers.select_related("judgement").order_by("area__order")
    }
    findings = {f.area_id: f for f in challenge.findings.all()}
    areas = challenge.self_assessment.framework.areas.prefetch_related("levels").order_by("order", "pk")
    rows = []
    for area in areas:
        answer = answers.get(area.pk)
        finding = findings.get(area.pk)
        own = answer.judgement if answer else None
        rows.append(
            {
                "area": area,
                "answer": answer,
                "own": own,
                "finding": finding,
                "differs": bool(finding and own and finding.judgement_id != own.pk),
            }
        )
    return rows


def member_of(challenge: PeerChallenge, user: User) -> PeerChallengeMember | None:
    """The user's place on the team (any status), or None."""
    for member in challenge.members.all():
        if member.user_id == user.pk:
            return member
    return None


def _years_before(d: date, years: int) -> date:
    return d.replace(year=d.year - years) if not (d.month == 2 and d.day == 29) else date(d.year - years, 2, 28)


def conflicts_for(challenge: PeerChallenge, users: Iterable[User | None]) -> dict[int, list[str]]:
    """{user id: [reason, ...]} for the people who may not join the team of ``challenge``:

    - they belong to the authority challenged;
    - someone else from their authority is already on (or invited to) this team;
    - someone from their authority was on the team of a peer challenge of this authority that ended
      within ``RECENT_YEARS`` years of this one starting;
    - someone from the authority challenged was on the team of such a peer challenge of theirs.

    A fixed number of queries however many people."""
    people = [u for u in users if u is not None]
    found: defaultdict[int, list[str]] = defaultdict(list)
    authority_ids = {u.authority_id for u in people if u.authority_id}
    since = _years_before(challenge.starts_on, RECENT_YEARS)
    team = list(
        PeerChallengeMember.objects.filter(peer_challenge=challenge, status__in=[M.INVITED, M.ACCEPTED])
        .select_related("user", "authority")
        .order_by("pk")
    )
    recent = Q(status=M.ACCEPTED, peer_challenge__ends_on__gte=since, peer_challenge__starts_on__lte=challenge.ends_on)
    recent &= ~Q(peer_challenge__status=C.CANCELLED) & ~Q(peer_challenge=challenge)
    on_their_team = list(
        PeerChallengeMember.objects.filter(recent, peer_challenge__authority=challenge.authority)
        .filter(authority_id__in=authority_ids)
        .select_related("user", "authority", "peer_challenge")
        .order_by("-peer_challenge__ends_on")
    )
    they_challenged_us = list(
        PeerChallengeMember.objects.filter(recent, authority=challenge.authority)
        .filter(peer_challenge__authority_id__in=authority_ids)
        .select_related("user", "peer_challenge__authority")
        .order_by("-peer_challenge__ends_on")
    )
    for user in people:
        reasons = found[user.pk]
        if user.authority_id == challenge.authority_id:
            reasons.append(f"they are from {challenge.authority}, the authority being challenged")
            continue
        for member in team:
            if member.user_id != user.pk and member.authority_id == user.authority_id:
                reasons.append(f"{member.user} of {member.authority} is already on this team")
                break
        for member in on_their_team:
            if member.authority_id == user.authority_id:
                reasons.append(
                    f"{member.authority} ({member.user}) was on the team that challenged {challenge.authority} in "
                    f"{member.peer_challenge.ends_on:%B %Y}"
                )
                break
        for member in they_challenged_us:
            if member.peer_challenge.authority_id == user.authority_id:
                reasons.append(
                    f"{challenge.authority} ({member.user}) was on the team that challenged "
                    f"{member.peer_challenge.authority} in {member.peer_challenge.ends_on:%B %Y}"
                )
                break
    return {pk: reasons for pk, reasons in found.items() if reasons}


@dataclass
class Candidate:
    """Someone who might join a team: their conflicts (reasons, empty if none), their place on this
    team (or None) and their authority's LedgerRow in the challenge's year."""

    user: User
    conflicts: list[str]
    place: PeerChallengeMember | None
    ledger: LedgerRow | None

    @property
    def eligible(self) -> bool:
        return not self.conflicts and not (self.place and self.place.status in (M.INVITED, M.ACCEPTED))

    @property
    def given(self) -> Decimal:
        return self.ledger.given if self.ledger else Decimal("0")


def team_candidates(challenge: PeerChallenge, region: Region | None = None) -> list[Candidate]:
    """The DCSs and senior officers who might join the team (of ``region``; all regions if None): those
    who may be invited first, the authorities that have given the fewest days first."""
    people_qs = (
        User.objects.filter(is_active=True, role__in=[Role.DCS, Role.LA_OFFICER], authority__isnull=False)
        .select_related("authority__region")
        .order_by("authority__name", "role", "full_name")
    )
    if region is not None:
        people_qs = people_qs.filter(authority__region=region)
    people = list(people_qs)
    conflicts = conflicts_for(challenge, people)
    places = {m.user_id: m for m in PeerChallengeMember.objects.filter(peer_challenge=challenge)}
    year = financial_year(challenge.ends_on)
    rows = {row.authority.pk: row for row in ledger(year, authority_ids={p.authority_id or 0 for p in people})}
    candidates = [
        Candidate(p, conflicts.get(p.pk, []), places.get(p.pk), rows.get(p.authority_id or 0)) for p in people
    ]
    candidates.sort(key=lambda c: (not c.eligible, c.given, str(c.user.authority), c.user.full_name))
    return candidates


# --- the reciprocity ledger -----------------------------------------------------------------------

UNDER, MET, OVER = "under", "met", "over"
STANDING_LABELS = {UNDER: "Below 5 days", MET: "5 days", OVER: "Above 5 days"}


@dataclass
class LedgerRow:
    authority: LocalAuthority
    given: Decimal = Decimal("0")
    received: Decimal = Decimal("0")

    @property
    def net(self) -> Decimal:
        return self.given - self.received

    @property
    def standing(self) -> str:
        """Against the expectation of five days given a year: under, met or over."""
        if self.given < EXPECTED_DAYS_PER_YEAR:
            return UNDER
        return MET if self.given == EXPECTED_DAYS_PER_YEAR else OVER

    @property
    def standing_label(self) -> str:
        return STANDING_LABELS[self.standing]

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(EXPECTED_DAYS_PER_YEAR) - self.given, Decimal("0"))


@dataclass
class Totals:
    label: str = ""
    value: str = ""
    authorities: int = 0
    given: Decimal = Decimal("0")
    received: Decimal = Decimal("0")
    under: int = 0
    met: int = 0
    over: int = 0
    shortfall: Decimal = Decimal("0")
    statuses: list[Totals] = field(default_factory=list)

    def add(self, row: LedgerRow) -> Totals:
        self.authorities += 1
        self.given += row.given
        self.received += row.received
        self.shortfall += row.shortfall
        setattr(self, row.standing, getattr(self, row.standing) + 1)
        return self

    @property
    def expected(self) -> Decimal:
        return Decimal(EXPECTED_DAYS_PER_YEAR * self.authorities)


def ledger(year: str, region: Region | None = None, authority_ids: Iterable[int] | None = None) -> list[LedgerRow]:
    """Every authority (of ``region``, or of ``authority_ids``) with its days given and received in the
    financial ``year``, by region then name: three queries however many authorities and entries."""
    authorities = LocalAuthority.objects.select_related("region").order_by("region__name", "name")
    entries = ReciprocityEntry.objects.filter(year=year)
    if region is not None:
        authorities = authorities.filter(region=region)
    if authority_ids is not None:
        authorities = authorities.filter(pk__in=authority_ids)
    rows = {a.pk: LedgerRow(a) for a in authorities}
    if region is not None or authority_ids is not None:
        given_entries = entries.filter(giving_authority_id__in=list(rows))
        received_entries = entries.filter(receiving_authority_id__in=list(rows))
    else:
        given_entries = received_entries = entries
    for pk, days in given_entries.order_by().values_list("giving_authority_id").annotate(n=Sum("days")):
        if pk in rows:
            rows[pk].given = days
    for pk, days in received_entries.order_by().values_list("receiving_authority_id").annotate(n=Sum("days")):
        if pk in rows:
            rows[pk].received = days
    return list(rows.values())


def summarise(rows: Iterable[LedgerRow], label: str = "All authorities") -> Totals:
    totals = Totals(label=label)
    for row in rows:
        totals.add(row)
    return totals


def by_status(rows: list[LedgerRow]) -> tuple[list[Totals], Totals]:
    """A Totals per support status (every status, zeros included), then the overall Totals."""
    groups = {value: Totals(label=label, value=value) for value, label in STATUSES}
    for row in rows:
        groups[row.authority.support_status].add(row)
    return list(groups.values()), summarise(rows)


def by_region(rows: list[LedgerRow]) -> list[Totals]:
    """A Totals per region that has authorities, by name, each with ``statuses`` (by_status)."""
    regions: dict[int, tuple[Region, list[LedgerRow]]] = {}
    for row in rows:
        region = row.authority.region
        regions.setdefault(region.pk, (region, []))[1].append(row)
    out = []
    for region, region_rows in sorted(regions.values(), key=lambda r: r[0].name):
        totals = summarise(region_rows, label=region.name)
        totals.value = region.slug
        totals.statuses = by_status(region_rows)[0]
        out.append(totals)
    return out


def entries_for(year: str, region: Region | None = None) -> QuerySet[ReciprocityEntry]:
    entries = (
        ReciprocityEntry.objects.filter(year=year)
        .select_related("person", "giving_authority", "receiving_authority", "peer_challenge")
        .order_by("-given_on", "pk")
    )
    if region is not None:
        entries = entries.filter(Q(giving_authority__region=region) | Q(receiving_authority__region=region))
    return entries


# --- the overview: every figure split by support status -------------------------------------------


def _count_by_status(
    queryset: QuerySet[Any], path: str = "authority__support_status", **aggregates: Any
) -> dict[str, dict[str, Any]]:
    """{support status: {name: value}} from one grouped query."""
    rows = queryset.order_by().values(path).annotate(**aggregates)
    return {row[path]: row for row in rows}


def overview(year: str, region: Region | None = None) -> tuple[list[str], list[tuple[str, list[Any]]]]:
    """The figures of the cycle for a financial year, each split by support status (columns: every
    status, then all): a fixed number of queries. Returns (columns, rows) where each row is
    (label, [value per status..., total])."""
    start, end = year_bounds(year)
    in_region = {"authority__region": region} if region is not None else {}
    authorities = LocalAuthority.objects.all()
    if region is not None:
        authorities = authorities.filter(region=region)
    counts = {
        row["support_status"]: row["n"]
        for row in authorities.order_by().values("support_status").annotate(n=Count("pk"))
    }
    assessments = _count_by_status(
        SelfAssessment.objects.filter(year=year, **in_region),
        started=Count("pk"),
        shared=Count("pk", filter=Q(status=SelfAssessment.Status.SHARED)),
    )
    challenges = _count_by_status(
        PeerChallenge.objects.filter(ends_on__range=(start, end), **in_region).exclude(status=C.CANCELLED),
        held=Count("pk"),
        issued=Count("pk", filter=Q(status=C.LETTER_ISSUED)),
    )
    brokered = _count_by_status(
        Brokerage.objects.filter(support_plan__period=year, **in_region),
        brokered=Count("pk"),
        approved=Count("pk", filter=Q(support_plan__status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED])),
    )
    rows = ledger(year, region=region)
    statuses, total = by_status(rows)
    figures = [
        ("Authorities", lambda s: counts.get(s, 0)),
        ("Self-assessments started", lambda s: assessments.get(s, {}).get("started", 0)),
        ("Self-assessments shared for peer challenge", lambda s: assessments.get(s, {}).get("shared", 0)),
        ("Peer challenges on site this year", lambda s: challenges.get(s, {}).get("held", 0)),
        ("Peer challenge letters issued", lambda s: challenges.get(s, {}).get("issued", 0)),
        ("Support packages brokered", lambda s: brokered.get(s, {}).get("brokered", 0)),
        ("Brokered support plans approved", lambda s: brokered.get(s, {}).get("approved", 0)),
    ]
    table = []
    for label, value in figures:
        values = [value(s) for s, _ in STATUSES]
        table.append((label, [*values, sum(values)]))
    ledger_figures = [
        ("Days of peer challenge given", "given"),
        ("Days of peer challenge received", "received"),
        (f"Authorities giving fewer than {EXPECTED_DAYS_PER_YEAR} days", "under"),
        (f"Authorities giving more than {EXPECTED_DAYS_PER_YEAR} days", "over"),
    ]
    for label, attr in ledger_figures:
        table.append((label, [*(getattr(t, attr) for t in statuses), getattr(total, attr)]))
    columns = [label for _, label in STATUSES] + ["All authorities"]
    return columns, table


# --- brokerage ------------------------------------------------------------------------------------


def brokerage_detail(user: User) -> QuerySet[Brokerage]:
    return (
        Brokerage.objects.visible_to(user)
        .select_related(
            "authority__region",
            "authority__csa",
            "broker",
            "support_plan",
            "peer_challenge",
            "inspection",
        )
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("area", "judgement").order_by("area__order")),
            "providers",
        )
    )


def framework_providers() -> QuerySet[FrameworkProvider]:
    return FrameworkProvider.objects.filter(is_active=True).select_related("provider").order_by("provider__name")


def inspections_for(user: User) -> QuerySet[InspectionRecord]:
    return InspectionRecord.objects.visible_to(user).select_related("authority__region", "recorded_by")


def regional_leads_list(region: Region | None = None) -> QuerySet[User]:
    leads = (
        User.objects.filter(is_regional_lead=True, role__in=[Role.DCS, Role.ADMIN])
        .select_related("authority__region", "region")
        .order_by("full_name", "email")
    )
    if region is not None:
        leads = leads.filter(Q(authority__region=region) | Q(region=region))
    return leads


def lead_candidates(region: Region | None = None) -> QuerySet[User]:
    """Active DCSs and administrators who are not regional leads (in ``region`` if given)."""
    people = (
        User.objects.filter(is_active=True, is_regional_lead=False)
        .filter(Q(role=Role.DCS, authority__isnull=False) | Q(role=Role.ADMIN))
        .select_related("authority")
        .order_by("full_name", "email")
    )
    if region is not None:
        people = people.filter(Q(authority__region=region) | Q(role=Role.ADMIN, region=region))
    return people


def levels_of(area: FrameworkArea) -> QuerySet[JudgementLevel]:
    return JudgementLevel.objects.filter(area=area).order_by("rank")


# --- panels ---------------------------------------------------------------------------------------


def _due_text(due: date | None, today: date, calendar: WorkingCalendar) -> str:
    if due is None:
        return ""
    n = calendar.between(today, due)
    if due == today:
        return "due today"
    if due > today:
        return f"due in {n} working day{'s' if n != 1 else ''}" if n else "due on the next working day"
    return f"{-n} working day{'s' if n != -1 else ''} overdue" if n else "overdue"


def _label(challenges: Iterable[PeerChallenge], today: date) -> list[PeerChallenge]:
    challenges = list(challenges)
    dues = [c.current_stage[1] for c in challenges if c.current_stage[1]]
    calendar = WorkingCalendar(min([*dues, today]), max([*dues, today]))
    for challenge in challenges:
        stage, due = challenge.current_stage
        challenge.due_text = _due_text(due, today, calendar)
        challenge.is_overdue = bool(due and due < today)
    return challenges


@dataclass
class Work:
    """What waits on a user in sector-led improvement (the dashboard panel's context)."""

    self_assessment: SelfAssessment | None = None
    can_start: bool = False
    year: str = ""
    to_respond: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    on_team: list = field(default_factory=list)
    to_set_up: list = field(default_factory=list)
    leading: list = field(default_factory=list)
    to_broker: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.self_assessment
            or self.can_start
            or self.to_respond
            or self.invitations
            or self.on_team
            or self.to_set_up
            or self.leading
            or self.to_broker
        )


def work_for(user: User, today: date | None = None) -> Work:
    today = today or london_date()
    work = Work(year=financial_year(today))
    open_statuses = [C.PLANNED, C.FINDINGS_SENT, C.RESPONDED, C.NO_RESPONSE]
    if user.role in (Role.DCS, Role.LA_OFFICER) and user.authority_id:
        work.self_assessment = SelfAssessment.objects.filter(authority_id=user.authority_id, year=work.year).first()
        work.can_start = work.self_assessment is None
        work.to_respond = _label(
            PeerChallenge.objects.filter(authority_id=user.authority_id, status=C.FINDINGS_SENT).select_related(
                "authority"
            ),
            today,
        )
        places = PeerChallengeMember.objects.filter(user=user, peer_challenge__status__in=open_statuses).select_related(
            "peer_challenge__authority"
        )
        work.invitations = [m for m in places if m.status == M.INVITED and m.peer_challenge.status == C.PLANNED]
        work.on_team = [m for m in places if m.status == M.ACCEPTED]
    scope = lead_region_scope(user)
    if scope is not None:
        shared = SelfAssessment.objects.visible_to(user).filter(status=SelfAssessment.Status.SHARED)
        shared = shared.exclude(authority_id=user.authority_id) if user.authority_id else shared
        work.to_set_up = list(
            shared.exclude(challenges__status__in=[*open_statuses, C.LETTER_ISSUED])
            .select_related("authority")
            .order_by("authority__name")
        )
        work.leading = _label(
            PeerChallenge.objects.visible_to(user)
            .filter(status__in=open_statuses)
            .exclude(authority_id=user.authority_id or 0)
            .select_related("authority"),
            today,
        )
    if user.role == Role.CSA:
        work.to_broker = list(
            PeerChallenge.objects.filter(authority__csa=user, status=C.LETTER_ISSUED, brokerages__isnull=True)
            .select_related("authority")
            .order_by("-letter_issued_at")
        )
    return work


def dashboard_panels(user: User) -> list[Panel]:
    if not (user and user.is_authenticated) or user.role == Role.PROVIDER_ADVISER:
        return []
    work = work_for(user)
    if work.empty:
        return []
    return [Panel("Sector-led improvement", "improvement/dashboard/_work.html", {"work": work}, order=40)]


def authority_panels(user: User, authority: LocalAuthority) -> list[Panel]:
    if not (user and user.is_authenticated) or user.role == Role.PROVIDER_ADVISER:
        return []
    from accounts.permissions import can

    context = {
        "authority": authority,
        "self_assessments": list(SelfAssessment.objects.visible_to(user).filter(authority=authority).order_by("-year")),
        "challenges": list(
            PeerChallenge.objects.visible_to(user)
            .filter(authority=authority)
            .select_related("lead")
            .order_by("-starts_on")
        ),
        "inspections": list(InspectionRecord.objects.visible_to(user).filter(authority=authority)),
        "brokerages": list(
            Brokerage.objects.visible_to(user).filter(authority=authority).select_related("support_plan")
        ),
        "can_start": can(user, "improvement.add_selfassessment", authority),
        "can_record": can(user, "improvement.record_inspection", authority),
        "index_url": reverse("improvement:index"),
    }
    return [Panel("Sector-led improvement", "improvement/panels/authority.html", context, order=30)]


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def digest_items(users: Mapping[int, User], today: date) -> list[DigestItem]:
    """Peer challenges waiting on ``users`` for the daily digest (``core.digest``), in two queries: the
    response to the findings (the authority's DCS, or its officers when it has none) and the final
    letter (the challenge's lead)."""
    from core.digest import DUE, OVERDUE, WAITING
    from core.digest import DigestItem as Item
    from core.notify import absolute_url

    C = PeerChallenge.Status
    ids = set(users)
    rows = list(
        PeerChallenge.objects.filter(
            Q(status=C.FINDINGS_SENT) | Q(status__in=[C.RESPONDED, C.NO_RESPONSE], lead_id__in=ids)
        ).values_list(
            "pk",
            "status",
            "authority_id",
            "authority__name",
            "authority__dcs_id",
            "lead_id",
            "response_due",
            "letter_due",
        )
    )
    officers: dict[int, list[int]] = defaultdict(list)
    for pk, authority_id in User.objects.filter(
        pk__in=ids, role__in=[Role.DCS, Role.LA_OFFICER], authority_id__in={r[2] for r in rows}
    ).values_list("pk", "authority_id"):
        officers[authority_id].append(pk)
    calendar = WorkingCalendar(today - timedelta(days=366), today + timedelta(days=366))
    tomorrow = calendar.add(today, 1)
    items: list[DigestItem] = []
    for pk, status, authority_id, name, dcs_id, lead_id, response_due, letter_due in rows:
        if status == C.FINDINGS_SENT:
            due, title = response_due, "Respond to the peer challenge findings"
            link = absolute_url(reverse("improvement:respond", kwargs={"pk": pk}))
            who = [dcs_id] if dcs_id in ids else [] if dcs_id else officers.get(authority_id, [])
        else:
            due, title = letter_due, f"Send the peer challenge letter to {name}"
            link = absolute_url(reverse("improvement:challenge", kwargs={"pk": pk}))
            who = [lead_id]
        if due is None:
            continue
        state = OVERDUE if due < today else DUE if due <= tomorrow else WAITING
        when = _due_text(due, today, calendar)
        items += [Item(u, name, "Peer challenge", title, state, link, due, when) for u in who if u in ids]
    return items
