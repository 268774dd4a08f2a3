"""Demo data: offers — on Newcastle upon Tyne's 2010-11 plan (version 1, in draft, CSA
csa@demo.test) an offer in every state, each with its timeline: the Regional Teenage Pregnancy
Coordinator's accepted offer (the guidance's own NI 112 example), a National Strategies offer
challenged as undifferentiated, Together for Children's submitted offer and an invitation it has
still to answer (NI 109), and a National Strategies offer it withdrew.

Idempotent: the plan and its priorities are fetched or created on (authority, period, version) and
(jisp, title) — engineer h4's drafting demo seeds the same — and each offer on (priority, provider,
invitation message), so running it again adds nothing."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from authorities.models import LocalAuthority, NationalIndicator
from core.working_days import add_working_days, london_date
from providers.models import Provider

from ..models import JISP, Need, Offer, OfferEvent, Priority

TEENAGE_PREGNANCY = "Reduce teenage pregnancy"
CHILDRENS_CENTRES = "Children's centres reach the most disadvantaged families"

PRIORITIES = [
    (TEENAGE_PREGNANCY, 112, "Develop a sexual health policy for young people"),
    (CHILDRENS_CENTRES, 109, "Improve outreach to families not using children's centres"),
]

E = OfferEvent.Kind
O = Offer.Status  # noqa: E741


def _offers():
    """(priority title, provider abbreviation, status, invitation message, offer fields, timeline).
    The timeline is (kind, actor key "csa"/"provider", working days ago, message, snapshot)."""
    return [
        (
            TEENAGE_PREGNANCY,
            "RTPC",
            O.ACCEPTED,
            "Please offer support to help the authority develop a new sexual health policy for young people.",
            {
                "description": "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people",
                "deliver_by": date(2010, 5, 31),
                "days": Decimal("2"),
                "funding": None,
                "notes": "Visits with the teenage pregnancy partnership board.",
            },
            [
                (E.INVITED, "csa", 15, "", False),
                (E.SUBMITTED, "provider", 12, "", True),
                (E.ACCEPTED, "csa", 10, "", False),
            ],
        ),
        (
            TEENAGE_PREGNANCY,
            "NS",
            O.CHALLENGED,
            "Please offer support for sex and relationships education in the schools with the highest under-18 "
            "conception rates.",
            {
                "description": "Access to the National Strategies' PSHE continuing professional development programme",
                "deliver_by": date(2011, 3, 31),
                "days": Decimal("1.5"),
                "funding": None,
                "notes": "",
            },
            [
                (E.INVITED, "csa", 14, "", False),
                (E.SUBMITTED, "provider", 9, "", True),
                (
                    E.CHALLENGED,
                    "csa",
                    7,
                    "This is the national PSHE programme from the National Prospectus, open to every authority. "
                    "Please tailor the offer to the six secondary schools with the highest under-18 conception "
                    "rates, with dates and days.",
                    False,
                ),
            ],
        ),
        (
            CHILDRENS_CENTRES,
            "TfC",
            O.SUBMITTED,
            "Please offer support to plan outreach to the families not using the children's centres.",
            {
                "description": "By June 2010, provide 3 days support to plan outreach from the five children's centres "
                "serving the most disadvantaged families",
                "deliver_by": date(2010, 6, 30),
                "days": Decimal("3"),
                "funding": None,
                "notes": "Builds on the 2009-10 review of the children's centre portfolio.",
            },
            [(E.INVITED, "csa", 12, "", False), (E.SUBMITTED, "provider", 3, "", True)],
        ),
        (
            CHILDRENS_CENTRES,
            "TfC",
            O.INVITED,
            "Please offer support to review and shape the authority's capital build programme for the new centres.",
            {},
            [(E.INVITED, "csa", 2, "", False)],
        ),
        (
            CHILDRENS_CENTRES,
            "NS",
            O.WITHDRAWN,
            "Please offer support to link the children's centres with the extended services in primary schools.",
            {
                "description": "The extended services core offer programme",
                "deliver_by": date(2010, 9, 30),
                "days": Decimal("1"),
                "funding": None,
                "notes": "",
            },
            [
                (E.INVITED, "csa", 15, "", False),
                (E.SUBMITTED, "provider", 11, "", True),
                (E.WITHDRAWN, "provider", 8, "Together for Children is better placed to support this need.", False),
            ],
        ),
    ]


def _plan(users):
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    csa = users["csa@demo.test"]
    jisp, created = JISP.objects.get_or_create(
        authority=newcastle, period="2010-11", version=1, defaults={"status": JISP.Status.DRAFT, "csa": csa}
    )
    priorities = {}
    indicators = {ni.number: ni for ni in NationalIndicator.objects.filter(number__in=[p[1] for p in PRIORITIES])}
    for order, (title, ni, need_text) in enumerate(PRIORITIES, start=1):
        priority, _ = Priority.objects.get_or_create(jisp=jisp, title=title, defaults={"order": order})
        if ni in indicators:
            priority.indicators.add(indicators[ni])
        need = Need.objects.filter(priority=priority, description=need_text).first()
        if need is None:
            need = Need.objects.create(priority=priority, description=need_text, order=1)
        priorities[title] = (priority, need)
    return jisp, priorities


def seed(users, stdout):
    jisp, priorities = _plan(users)
    csa = users["csa@demo.test"]
    advisers = {u.provider.abbreviation: u for u in users.values() if u.provider_id}
    providers = {p.abbreviation: p for p in Provider.objects.filter(abbreviation__in=["RTPC", "NS", "TfC"])}
    today = london_date()
    now = timezone.now()
    added = 0
    for title, abbr, status, message, fields, timeline in _offers():
        provider = providers.get(abbr)
        if provider is None:
            continue
        priority, need = priorities[title]
        if Offer.objects.filter(priority=priority, provider=provider, invitation_message=message).exists():
            continue
        adviser = advisers.get(abbr)

        def day(days_ago):
            return add_working_days(today, -days_ago)

        def when(days_ago):
            return now - (today - day(days_ago))

        submitted = [t for t in timeline if t[0] in (E.SUBMITTED, E.RESUBMITTED)]
        decided = [t for t in timeline if t[0] in (E.ACCEPTED, E.WITHDRAWN)]
        challenge = next((t for t in timeline if t[0] == E.CHALLENGED), None)
        invited_respond_by = add_working_days(day(timeline[0][2]), 10)
        # A challenge asks for the revised offer within 5 working days: the demo's is overdue, so the
        # CSA sees it on the dashboard and the plan page.
        respond_by = add_working_days(day(challenge[2]), 5) if challenge else invited_respond_by
        offer = Offer(
            priority=priority,
            need=need,
            provider=provider,
            status=status,
            invitation_message=message,
            respond_by=respond_by,
            invited_by=csa,
            invited_at=when(timeline[0][2]),
            submitted_at=when(submitted[-1][2]) if submitted else None,
            decided_at=when(decided[-1][2]) if decided else None,
            challenge_reason=challenge[3] if challenge else "",
            is_tailored=status != O.CHALLENGED,
            **fields,
        )
        offer._history_user = csa
        offer._change_reason = "Demo data"
        offer.save()
        for kind, who, days_ago, text, snapshot in timeline:
            snap = {}
            if snapshot:
                snap = {k: fields.get(k) for k in ("deliver_by", "days", "funding")}
                snap["description"] = fields.get("description", "")
            OfferEvent.objects.create(
                offer=offer,
                kind=kind,
                actor=csa if who == "csa" else adviser,
                message=message if kind == E.INVITED else text,
                respond_by=invited_respond_by if kind == E.INVITED else respond_by if kind == E.CHALLENGED else None,
                created_at=when(days_ago),
                **snap,
            )
        added += 1
    if added:
        stdout.write(
            f"  Newcastle upon Tyne JISP 2010-11: {added} offers (invited, submitted, challenged, accepted, withdrawn)"
        )
