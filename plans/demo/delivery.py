"""Demo data: delivery — the accepted offers of Newcastle upon Tyne's approved 2009-10 plan in every
delivery status, each with the updates that brought it there (the provider's reports, the CSA's and
the DCS's comments). Idempotent: a plan that has delivery updates already is left alone."""

from datetime import datetime, timedelta
from decimal import Decimal

from authorities.models import LocalAuthority
from core.working_days import LONDON

from ..models import JISP, DeliveryUpdate, Offer

D = Offer.DeliveryStatus

#: For each accepted offer in order: (status, [(days after approval, who, status, what happened, days given)]).
#: "provider" is the offer's own adviser when the demo has one (else the CSA).
STORY = [
    (
        D.DELIVERED,
        [
            (40, "provider", D.ON_TRACK, "First visit held with the sexual health lead.", "1"),
            (62, "provider", D.DELIVERED, "Second visit held; the draft policy went to the partnership board.", "2"),
        ],
    ),
    (
        D.AT_RISK,
        [
            (70, "provider", D.ON_TRACK, "Managers have the business case template.", "0.5"),
            (120, "provider", D.AT_RISK, "The finance lead has left; the business case is stalled.", None),
            (125, "dcs", None, "We are appointing an interim finance lead this month.", None),
        ],
    ),
    (
        D.NOT_DELIVERED,
        [
            (150, "provider", D.AT_RISK, "The diagnostic visit was postponed twice.", None),
            (190, "csa", D.NOT_DELIVERED, "Agreed with the DCS to drop the diagnostic visit this year.", "0"),
        ],
    ),
    (D.ON_TRACK, [(30, "provider", D.ON_TRACK, "Portfolio review workshop booked with the early years team.", "1")]),
    (D.NOT_STARTED, []),
]


def _author(kind, offer, users, advisers):
    if kind == "provider":
        return advisers.get(offer.provider_id) or users["csa@demo.test"]
    return users["dcs@demo.test"] if kind == "dcs" else users["csa@demo.test"]


def seed(users, stdout):
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    jisp = (
        JISP.objects.filter(
            authority=newcastle, period="2009-10", status__in=[JISP.Status.APPROVED, JISP.Status.SUPERSEDED]
        )
        .order_by("version")
        .first()
    )
    if jisp is None or DeliveryUpdate.objects.filter(offer__priority__jisp=jisp).exists():
        return
    offers = list(
        Offer.objects.filter(priority__jisp=jisp, status=Offer.Status.ACCEPTED).order_by("priority__order", "pk")
    )
    advisers = {u.provider_id: u for u in users.values() if u.provider_id}
    start = jisp.approved_at or datetime(2009, 3, 27, 11, 30, tzinfo=LONDON)
    for offer, (final, steps) in zip(offers, STORY * 2, strict=False):
        status = D.NOT_STARTED
        for days, who, new, body, given in steps:
            DeliveryUpdate.objects.create(
                offer=offer,
                author=_author(who, offer, users, advisers),
                created_at=start + timedelta(days=days),
                previous_status=status,
                status=new or status,
                body=body,
                days_given=Decimal(given) if given is not None else None,
            )
            status = new or status
        if status != final:  # pragma: no cover - the story ends on its status
            raise AssertionError(f"{offer}: {status} != {final}")
        offer.delivery_status = final
        offer._history_user = users["csa@demo.test"]
        offer._change_reason = "Delivery (demo)"
        offer.save(update_fields=["delivery_status"])
    stdout.write("  Newcastle upon Tyne JISP 2009-10: its support in every delivery status")
