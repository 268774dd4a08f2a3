"""Providers with nobody on the portal: their contact address hears of what the portal would have
told their advisers, with a link to ask for access (``accounts.services.access_request_link``)."""

from typing import Any

from accounts.models import User
from accounts.services import access_request_link
from core.notify import absolute_url, queue_email

from ..models import Offer


def email_invitation_to_contact(offer: Offer, *, actor: User, message: str = "") -> list[Any]:
    """An invitation to offer, for a provider with no active adviser: to its contact address."""
    provider = offer.provider
    if not provider.contact_email:
        return []
    jisp = offer.priority.jisp
    return queue_email(
        key=f"offer-invited-contact:{offer.pk}",
        recipients=[provider.contact_email],
        subject=f"Invitation to offer support to {jisp.authority} by {offer.respond_by:%-d %B %Y}",
        template="plans/email/offer_invited_contact.txt",
        context={
            "offer": offer,
            "priority": offer.priority,
            "jisp": jisp,
            "authority": jisp.authority,
            "actor": actor,
            "message": message,
            "offer_link": absolute_url(offer.get_absolute_url()),
            "access_link": access_request_link(provider),
        },
    )
