"""State changes for providers: provision feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db import transaction

from accounts.permissions import require
from core.errors import ServiceError
from core.notify import absolute_url, queue_email

from .models import ProvisionFeedback

if TYPE_CHECKING:
    from accounts.models import User
    from providers.models import Provider


@transaction.atomic
def give_feedback(
    *, actor: User, provider: Provider, rating: int | str | None, comments: str = ""
) -> ProvisionFeedback:
    """A DCS or LA officer rates a provider's support to their own authority (1–5, with comments)."""
    require(actor, "providers.give_feedback", provider)
    try:
        stars = int(rating) if rating is not None else 0
    except ValueError:
        stars = 0
    if not 1 <= stars <= 5:
        raise ServiceError("Select a rating from 1 to 5", field="rating")
    feedback = ProvisionFeedback.objects.create(
        provider=provider,
        authority_id=cast(int, actor.authority_id),  # the permission needs the actor's own authority
        rating=stars,
        comments=(comments or "").strip(),
        given_by=actor,
    )
    advisers = list(provider.advisers.filter(is_active=True))
    if advisers:
        queue_email(
            key=f"provision-feedback:{feedback.pk}",
            recipients=advisers,
            subject=f"{feedback.authority} rated your support {stars} out of 5",
            template="providers/email/feedback_given.txt",
            context={"feedback": feedback, "url": absolute_url(provider.get_absolute_url())},
        )
    return feedback
