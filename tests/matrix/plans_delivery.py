"""Permission matrix for delivery: an accepted offer's delivery page and its update, on a plan in
draft, with the authority and approved.

Whoever may see the offer sees its delivery page (national analysts only once the plan is approved;
another provider: 404). The lead CSA, the authority's DCS and officers and the offer's own provider
may add an update (the GO director, national analysts and administrators: 403); before the plan is
approved the update is refused on the page (200 with the error) and nothing is recorded.
"""

from django.urls import reverse
from django.utils import timezone

from plans.models import JISP, DeliveryUpdate, Offer
from tests.matrix import Case
from tests.matrix.plans_offers import SUBMITTED_VIEWERS, see
from tests.plans.factories import JISPFactory, OfferFactory, PriorityFactory

S = JISP.Status
REPORTERS = ("csa", "dcs", "la_officer", "provider")


def accepted_offer(plan_status):
    def build(world):
        approved = plan_status in (S.APPROVED, S.SUPERSEDED)
        jisp = JISPFactory(
            authority=world.newcastle,
            period="2009-10",
            status=plan_status,
            csa=world.csa,
            approved_at=timezone.now() if approved else None,
        )
        priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy")
        return OfferFactory(
            priority=priority,
            provider=world.tfc,
            status=Offer.Status.ACCEPTED,
            description="Two visits on the sexual health policy",
            submitted_at=timezone.now(),
        )

    return build


def _url(world, offer):
    return reverse("plans:offer_delivery", kwargs={"pk": offer.pk})


def _data(world, offer):
    return {"status": "at_risk", "note": "The second visit has been postponed", "days_given": "1"}


def _recorded_by(allowed):
    def check(world, offer, role, response):
        offer.refresh_from_db()
        made = DeliveryUpdate.objects.filter(offer=offer).exists()
        assert made == (role in allowed), f"{role}: update recorded={made}"
        assert offer.delivery_status == ("at_risk" if role in allowed else "not_started"), role

    return check


CASES = [
    *(
        Case(
            f"plans_delivery: delivery page, plan {state}",
            "plans:offer_delivery",
            _url,
            see(SUBMITTED_VIEWERS, 200, **({"national": 200} if state == S.APPROVED else {})),
            setup=accepted_offer(state),
        )
        for state in (S.DRAFT, S.WITH_AUTHORITY, S.APPROVED)
    ),
    Case(
        "plans_delivery: add an update, plan approved",
        "plans:offer_delivery",
        _url,
        see(SUBMITTED_VIEWERS, 403, national=403, **dict.fromkeys(REPORTERS, 302)),
        method="post",
        data=_data,
        setup=accepted_offer(S.APPROVED),
        then=_recorded_by(REPORTERS),
    ),
    *(
        Case(
            f"plans_delivery: add an update, plan {state} (refused on the page)",
            "plans:offer_delivery",
            _url,
            see(SUBMITTED_VIEWERS, 403, **dict.fromkeys(REPORTERS, 200)),
            method="post",
            data=_data,
            setup=accepted_offer(state),
            then=_recorded_by(()),
        )
        for state in (S.DRAFT, S.WITH_AUTHORITY)
    ),
]


def _region_url(name):
    return lambda w, o: reverse(name, kwargs={"slug": w.ne.slug})


#: The North East's delivery table: its GO staff, national analysts and administrators.
NE_DELIVERY = {"csa": 200, "go_director": 200, "national": 200, "admin": 200}

CASES += [
    Case(
        "plans_delivery: regional delivery table",
        "plans:delivery_region",
        _region_url("plans:delivery_region"),
        NE_DELIVERY,
        setup=accepted_offer(S.APPROVED),
    ),
    Case(
        "plans_delivery: regional delivery CSV",
        "plans:delivery_region_csv",
        _region_url("plans:delivery_region_csv"),
        NE_DELIVERY,
        setup=accepted_offer(S.APPROVED),
    ),
    Case(
        "plans_delivery: national delivery figures",
        "plans:delivery_national",
        lambda w, o: reverse("plans:delivery_national"),
        {"national": 200, "admin": 200},
        setup=accepted_offer(S.APPROVED),
    ),
    Case(
        "plans_delivery: national delivery CSV",
        "plans:delivery_national_csv",
        lambda w, o: reverse("plans:delivery_national_csv"),
        {"national": 200, "admin": 200},
        setup=accepted_offer(S.APPROVED),
    ),
]


# --- delivery reviews at a meeting (the meetings app's page) ---------------------------------------

#: Who may see Newcastle's KIT meeting: the region's GO staff and the authority.
MEETING_VIEWERS = ("csa", "go_director", "dcs", "la_officer")


def review_setup(plan_status):
    def build(world):
        from datetime import date

        from meetings.models import Meeting
        from tests.meetings.factories import meeting_for

        offer = accepted_offer(plan_status)(world)
        meeting = meeting_for(world, kind=Meeting.Kind.KIT, status=Meeting.Status.HELD, held_on=date(2026, 3, 2))
        return {"offer": offer, "meeting": meeting}

    return build


def _review_url(world, o):
    return reverse("meetings:delivery_review", kwargs={"pk": o["meeting"].pk, "offer_pk": o["offer"].pk})


def _reviewed_by(allowed):
    def check(world, o, role, response):
        made = DeliveryUpdate.objects.filter(offer=o["offer"], meeting=o["meeting"]).exists()
        assert made == (role in allowed), f"{role}: review recorded={made}"

    return check


CASES += [
    Case(
        "plans_delivery: delivery review page at a held KIT, plan approved",
        "meetings:delivery_review",
        _review_url,
        see(MEETING_VIEWERS, 403, csa=200),
        setup=review_setup(S.APPROVED),
    ),
    Case(
        "plans_delivery: record a delivery review, plan approved",
        "meetings:delivery_review",
        _review_url,
        see(MEETING_VIEWERS, 403, csa=302),
        method="post",
        data=lambda w, o: {"status": "on_track", "note": "Reviewed with the DCS"},
        setup=review_setup(S.APPROVED),
        then=_reviewed_by(("csa",)),
    ),
    *(
        Case(
            f"plans_delivery: record a delivery review, plan {state} (refused on the page)",
            "meetings:delivery_review",
            _review_url,
            see(MEETING_VIEWERS, 403, csa=200),
            method="post",
            data=lambda w, o: {"status": "on_track", "note": "Reviewed with the DCS"},
            setup=review_setup(state),
            then=_reviewed_by(()),
        )
        for state in (S.DRAFT, S.WITH_AUTHORITY)
    ),
]
