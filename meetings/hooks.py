"""What meetings does when a lower app tells it something happened (``core.hooks``)."""

from contextlib import suppress

from core.errors import ServiceError

from .services import revoke_ical_token


def user_deactivated(*, user, actor):
    """A switched-off account's calendar feed stops at once (the feed also refuses inactive users)."""
    with suppress(ServiceError):  # they had no feed, or it was already revoked
        revoke_ical_token(actor=user)
