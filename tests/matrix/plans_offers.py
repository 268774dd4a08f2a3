"""Permission matrix for offers: every page and POST × every role.

A provider adviser sees only its own provider's offers (another provider's: 404) and no draft plan
(the invitation page on a priority: 404); the authority's users see submitted and accepted offers but
never an invitation still in draft (404); only the lead CSA invites, challenges and accepts (other
viewers: 403); only the offer's own provider writes it; the lead CSA or the provider withdraws it.
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from core.working_days import add_working_days, london_date
from plans.models import JISP, Offer
from tests.matrix import Case, everyone
from tests.plans.factories import JISPFactory, NeedFactory, OfferFactory, PriorityFactory

S = JISP.Status
O = Offer.Status  # noqa: E741

#: Who may see a submitted offer on Newcastle's draft plan (TfC's): GO staff of the region, the
#: authority, the provider, admins. Everyone else 404.
SUBMITTED_VIEWERS = ("csa", "go_director", "dcs", "la_officer", "provider", "admin")
#: An invited offer is a draft: the authority does not see it.
INVITED_VIEWERS = ("csa", "go_director", "provider", "admin")
#: Who may see Newcastle's draft plan (and so its priorities).
PLAN_VIEWERS = ("csa", "go_director", "dcs", "la_officer", "admin")


def see(viewers, status, **overrides):
    expect = dict.fromkeys(viewers, status)
    expect.update(overrides)
    return expect


def build_offer(world, status=O.SUBMITTED, plan_status=S.DRAFT, provider=None):
    jisp = JISPFactory(authority=world.newcastle, period="2010-11", status=plan_status, csa=world.csa)
    priority = PriorityFactory(jisp=jisp, title="Reduce teenage pregnancy")
    need = NeedFactory(priority=priority, description="Develop a sexual health policy for young people")
    fields = {}
    if status != O.INVITED:
        fields = {
            "description": "By May 2010, conduct 2 visits to help develop a new sexual health policy for young people",
            "deliver_by": date(2010, 5, 31),
            "days": 2,
        }
        fields["submitted_at"] = timezone.now()
    return OfferFactory(
        priority=priority,
        need=need,
        provider=provider or world.tfc,
        status=status,
        respond_by=add_working_days(london_date(), 10),
        **fields,
    )


def _offer(status=O.SUBMITTED, **kw):
    return lambda w: build_offer(w, status, **kw)


def _url(name):
    return lambda w, o: reverse(name, kwargs={"pk": o.pk})


def _respond_by():
    return add_working_days(london_date(), 10).strftime("%d/%m/%Y")


def _status_is(expected_for_actor, actors):
    def check(world, offer, role, response):
        offer.refresh_from_db()
        if role in actors:
            assert offer.status == expected_for_actor, f"{role}: {offer.status}"
        else:
            assert offer.status == O.SUBMITTED, f"{role} changed the offer to {offer.status}"

    return check


def _invited_only_by_csa(world, role):
    invited = Offer.objects.filter(provider=world.ns).exists()
    assert invited == (role == "csa"), f"{role}: invited={invited}"


CASES = [
    Case(
        "plans_offers: invitation page",
        "plans:invite",
        lambda w, o: reverse("plans:invite", kwargs={"pk": o.priority_id}),
        see(PLAN_VIEWERS, 403, csa=200),
        setup=_offer(),
    ),
    Case(
        "plans_offers: invite providers",
        "plans:invite",
        lambda w, o: reverse("plans:invite", kwargs={"pk": o.priority_id}),
        see(PLAN_VIEWERS, 403, csa=302),
        method="post",
        data=lambda w, o: {"providers": [w.ns.pk], "need": "", "message": "Please offer", "respond_by": _respond_by()},
        setup=_offer(),
        then=lambda w, o, role, r: _invited_only_by_csa(w, role),
    ),
    Case("plans_offers: list", "plans:offer_list", lambda w, o: reverse("plans:offer_list"), everyone(200)),
    Case(
        "plans_offers: submitted offer page",
        "plans:offer_detail",
        _url("plans:offer_detail"),
        see(SUBMITTED_VIEWERS, 200),
        setup=_offer(),
    ),
    Case(
        "plans_offers: invited offer page (a draft)",
        "plans:offer_detail",
        _url("plans:offer_detail"),
        see(INVITED_VIEWERS, 200),
        setup=_offer(O.INVITED),
    ),
    Case(
        "plans_offers: accepted offer page in an approved plan",
        "plans:offer_detail",
        _url("plans:offer_detail"),
        see(SUBMITTED_VIEWERS, 200, national=200),
        setup=_offer(O.ACCEPTED, plan_status=S.APPROVED),
    ),
    Case(
        "plans_offers: offer form",
        "plans:offer_edit",
        _url("plans:offer_edit"),
        see(INVITED_VIEWERS, 403, provider=200),
        setup=_offer(O.INVITED),
    ),
    Case(
        "plans_offers: submit offer",
        "plans:offer_edit",
        _url("plans:offer_edit"),
        see(INVITED_VIEWERS, 403, provider=302),
        method="post",
        data=lambda w, o: {
            "lock_version": o.lock_version,
            "description": "By May 2010, conduct 2 visits to help develop a new sexual health policy",
            "deliver_by": "31/05/2010",
            "days": "2",
            "funding": "",
            "notes": "",
            "submit_offer": "",
        },
        setup=_offer(O.INVITED),
    ),
    Case(
        "plans_offers: challenge page",
        "plans:offer_challenge",
        _url("plans:offer_challenge"),
        see(SUBMITTED_VIEWERS, 403, csa=200),
        setup=_offer(),
    ),
    Case(
        "plans_offers: challenge",
        "plans:offer_challenge",
        _url("plans:offer_challenge"),
        see(SUBMITTED_VIEWERS, 403, csa=302),
        method="post",
        data=lambda w, o: {"reason": "A generic programme", "respond_by": _respond_by()},
        setup=_offer(),
        then=_status_is(O.CHALLENGED, ("csa",)),
    ),
    Case(
        "plans_offers: accept page",
        "plans:offer_accept",
        _url("plans:offer_accept"),
        see(SUBMITTED_VIEWERS, 403, csa=200),
        setup=_offer(),
    ),
    Case(
        "plans_offers: accept",
        "plans:offer_accept",
        _url("plans:offer_accept"),
        see(SUBMITTED_VIEWERS, 403, csa=302),
        method="post",
        setup=_offer(),
        then=_status_is(O.ACCEPTED, ("csa",)),
    ),
    Case(
        "plans_offers: withdraw page",
        "plans:offer_withdraw",
        _url("plans:offer_withdraw"),
        see(SUBMITTED_VIEWERS, 403, csa=200, provider=200),
        setup=_offer(),
    ),
    Case(
        "plans_offers: withdraw",
        "plans:offer_withdraw",
        _url("plans:offer_withdraw"),
        see(SUBMITTED_VIEWERS, 403, csa=302, provider=302),
        method="post",
        data=lambda w, o: {"reason": "No capacity"},
        setup=_offer(),
        then=_status_is(O.WITHDRAWN, ("csa", "provider")),
    ),
]
