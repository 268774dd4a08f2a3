"""State changes for providers: provision feedback."""

from django.db import transaction

from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from .models import ProvisionFeedback


@transaction.atomic
def give_feedback(*, actor, provider, rating, comments=""):
    """A DCS or LA officer rates a provider's support to their own authority (1–5, with comments)."""
    require(actor, "providers.give_feedback", provider)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ServiceError("Select a rating from 1 to 5", field="rating")
    feedback = ProvisionFeedback.objects.create(
        provider=provider,
        authority_id=actor.authority_id,
        rating=rating,
        comments=(comments or "").strip(),
        given_by=actor,
    )
    advisers = list(provider.advisers.filter(is_active=True))
    if advisers:
        queue_email(
            key=f"provision-feedback:{feedback.pk}",
            recipients=advisers,
            subject=f"{feedback.authority} rated your support {rating} out of 5",
            template="providers/email/feedback_given.txt",
            context={"feedback": feedback, "url": absolute_url(provider.get_absolute_url())},
        )
    return feedback
