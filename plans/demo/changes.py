"""Demo data: in-year change — the support Newcastle upon Tyne takes up itself and a change request
open on its approved 2009-10 plan, and on its 2010-11 draft an accepted offer the CSA has asked the provider to vary (back with
the Teenage Pregnancy National Support Team as an invitation, the accepted text shown to them).
Through the services, so the demo holds what the portal would; idempotent."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from authorities.models import LocalAuthority
from providers.models import Provider

from ..models import JISP, ChangeRequest, Offer, OfferEvent, OwnSupport, Priority

REQUEST = (
    "The children's centre portfolio review has moved to the autumn, after the new ward boundaries. "
    "Please move Together for Children's November facilitation to January 2010 and add a day on the "
    "outsourced partners' contracts."
)
VARIED_MESSAGE = "Please offer an intensive diagnostic visit on the services in the three wards with the highest rates."
VARY_REASON = "The authority now wants the visit in the autumn term, with a follow-up day for the partnership board."


def _change_request(users, newcastle, stdout):
    from ..services.changes import raise_change_request

    jisp = JISP.objects.filter(authority=newcastle, period="2009-10", status=JISP.Status.APPROVED).first()
    if jisp is None or ChangeRequest.objects.filter(jisp=jisp).exists():
        return
    offers = Offer.objects.filter(
        priority__jisp=jisp, provider__abbreviation="TfC", status=Offer.Status.ACCEPTED, deliver_by__month=11
    )
    raise_change_request(actor=users["dcs@demo.test"], jisp=jisp, body=REQUEST, offers=list(offers))
    stdout.write("  Newcastle upon Tyne JISP 2009-10: a change request open for the CSA")


def _varied_offer(users, newcastle, stdout):
    from ..services.changes import vary_offer

    jisp = JISP.objects.filter(authority=newcastle, period="2010-11", version=1, status=JISP.Status.DRAFT).first()
    provider = Provider.objects.filter(abbreviation="TPNST").first()
    priority = Priority.objects.filter(jisp=jisp, title="Reduce teenage pregnancy").first() if jisp else None
    if priority is None or provider is None:
        return
    if Offer.objects.filter(priority=priority, provider=provider, invitation_message=VARIED_MESSAGE).exists():
        return
    csa, adviser = users["csa@demo.test"], None
    now = timezone.now()
    offer = Offer(
        priority=priority,
        need=priority.needs.order_by("order", "pk").first(),
        provider=provider,
        status=Offer.Status.ACCEPTED,
        invitation_message=VARIED_MESSAGE,
        description="By July 2010, conduct an intensive 3 day diagnostic visit and report on local services",
        deliver_by=date(2010, 7, 31),
        days=Decimal("3"),
        funding=Decimal("4500"),
        invited_by=csa,
        submitted_at=now,
        decided_at=now,
    )
    offer._history_user, offer._change_reason = csa, "Demo data"
    offer.save()
    OfferEvent.objects.create(offer=offer, kind=OfferEvent.Kind.INVITED, actor=csa, message=VARIED_MESSAGE)
    OfferEvent.objects.create(
        offer=offer,
        kind=OfferEvent.Kind.SUBMITTED,
        actor=adviser,
        description=offer.description,
        deliver_by=offer.deliver_by,
        days=offer.days,
        funding=offer.funding,
    )
    OfferEvent.objects.create(offer=offer, kind=OfferEvent.Kind.ACCEPTED, actor=csa)
    vary_offer(actor=csa, offer=offer, reason=VARY_REASON)
    stdout.write("  Newcastle upon Tyne JISP 2010-11: an accepted offer back with its provider to vary")


def _own_support(users, newcastle):
    """What Newcastle's DCS recorded before signing off 2009-10: support it takes up itself."""
    jisp = JISP.objects.filter(authority=newcastle, period="2009-10", version=1).first()
    if jisp is None or jisp.own_support.exists():
        return
    dcs = users["dcs@demo.test"]
    OwnSupport.objects.create(
        jisp=jisp,
        source=OwnSupport.Source.C4EO,
        description="C4EO sector specialist support on early intervention, taken up through the regional offer",
        recorded_by=dcs,
    )
    OwnSupport.objects.create(
        jisp=jisp,
        source=OwnSupport.Source.CSP,
        description="Commissioning Support Programme: two days on joint commissioning of CAMHS",
        cost=Decimal("2400"),
        recorded_by=dcs,
    )


def seed(users, stdout):
    newcastle = LocalAuthority.objects.get(name="Newcastle upon Tyne")
    _own_support(users, newcastle)
    _change_request(users, newcastle, stdout)
    _varied_offer(users, newcastle, stdout)
